"""The servers the matrix runs the stories against: the hosted Coze OpenAPI, and Coze Studio.

* ``coze.com`` (``HOSTED``, the default): the hosted service (coze.com, coze.cn), as its docs and
  cozepy's fixtures describe it (``shared/reference/coze-wire-format.md``);
* ``coze-studio`` (``STUDIO``): Coze Studio (coze-dev/coze-studio), the open-source, self-hosted
  edition, as its source at ``STUDIO_RELEASE`` answers (``coze_compat.fake.studio`` cites each
  answer's file and line).

A cell of the matrix runs one server: the hosted cells are ``py3.11-cozepy0.20.0``, the Studio
cells ``studio-py3.11-cozepy0.20.0`` (nox session ``tests-studio(py3.11-cozepy0.20.0)``). The
pytest plugin reads the server of a run from ``--coze-compat-server`` or ``$COZE_COMPAT_SERVER``.

Standard library only, Python 3.8 syntax: the noxfile, the report and the fake all read it.
"""

from __future__ import annotations

HOSTED = "coze.com"
STUDIO = "coze-studio"
#: Every server, the default first.
SERVERS = (HOSTED, STUDIO)
#: The Coze Studio release (git tag of coze-dev/coze-studio) the Studio flavour of the fake follows:
#: the newest release, 2026-01-20. Its OpenAPI handlers are those of the newest commit read
#: (4f786d6, 2026-03-25): between the two, under backend/api, backend/application/{conversation,
#: workflow} and backend/domain/conversation only the admin check of middleware/session.go changed.
#: It is the first release with a blocking chat, ``/v3/chat/retrieve`` and ``/v3/chat/message/list``
#: (2eb29dab7) and ``/v1/conversation/retrieve`` (bfd69ac17): v0.5.0 and older answer them NoRoute's 404.
STUDIO_RELEASE = "v0.5.1"
#: The environment variable (and ``--coze-compat-server``) naming the server of a pytest run.
SERVER_ENV = "COZE_COMPAT_SERVER"
#: How a skipped test says the server lacks what it needs (cf. ``not offered by cozepy X``).
NOT_SERVED_PREFIX = "not served by"

TITLES = {HOSTED: "coze.com", STUDIO: f"Coze Studio {STUDIO_RELEASE}"}
#: The prefix of a cell id (and of a results folder) of each server: "" for the hosted cells.
CELL_PREFIXES = {HOSTED: "", STUDIO: "studio-"}


class UnknownServerError(ValueError):
    """A server name that is none of ``SERVERS``."""


def check(server: str) -> str:
    """``server`` if it is one the matrix knows, else an error naming the choices."""
    if server not in SERVERS:
        raise UnknownServerError(f"unknown server {server!r}: choose one of {', '.join(SERVERS)}")
    return server


def title(server: str) -> str:
    """``coze.com`` or ``Coze Studio v0.5.1``."""
    return TITLES[check(server)]


def not_served(server: str, what: str) -> str:
    """The skip reason of a test that needs ``what`` (``GET /v1/bots``) the server does not serve."""
    return f"{NOT_SERVED_PREFIX} {title(server)}: {what}"
