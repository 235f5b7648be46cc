"""ACME assistant's test matrix: its own tests across cozepy releases, with coze-compat's helper.

    nox                       # every cell, then the report and the upgrade advice
    nox -t cozepy0.20.0       # one release
    nox -s report             # the report of what the cells wrote into results/

``COMPAT_RELEASES`` overrides the releases (a specifier such as ``">=0.13"``, or versions separated
by commas), ``COMPAT_PYTHONS`` the Pythons (``3.11,3.12``).
"""

from __future__ import annotations

import os
import sys

import nox

from coze_compat import matrix
from coze_compat import nox as compat

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = False  # a Python this machine lacks: its cells are skipped
nox.options.sessions = ["tests", "report"]

#: The releases we are on (0.13.1) and could move to, one per minor line we care about.
RELEASES = os.environ.get("COMPAT_RELEASES", "0.13.1,0.16.2,0.17.0,0.20.0")
PYTHONS = os.environ.get("COMPAT_PYTHONS", "3.11").split(",")
SELECTED = RELEASES.split(",") if RELEASES[:1].isdigit() else RELEASES
#: The release the advice starts from: the oldest selected.
START = matrix.releases_in(SELECTED)[0]


@nox.session
@nox.parametrize(("python", "cozepy"), compat.cells(releases=SELECTED, pythons=PYTHONS))
def tests(session: nox.Session, cozepy: str) -> None:
    """Our tests against one cozepy release on one Python."""
    compat.install_cell(session, cozepy)  # the release's pinned set, our project (.) and coze-compat
    compat.run_tests(session, cozepy, "-p", "no:cacheprovider")


@nox.session(venv_backend="none")
def report(session: nox.Session) -> None:
    """The compatibility report of our tests (results/report/), and what moving from START to the newest gives."""
    session.run(sys.executable, "-m", "coze_compat", "report")
    session.run(sys.executable, "-m", "coze_compat", "upgrade", "--from", START)
