"""``coze-compat``: the report and the upgrade advice of any matrix's results (a team's or this project's).

coze-compat report [--results results] [--out results/report] [--nox-report FILE ...] [--server coze-studio]
    The compatibility report (report.md, report.json, report.html, summary.txt) of the cells under
    ``--results``: their releases and Pythons only; a team's tests grouped by test module.
coze-compat upgrade --from 0.13.1 [--to 0.20.0] [--results results | --report report.json] [--format markdown|json]
    [--server coze-studio]
    What moving from one release to another changes for the tests: features gained, breaks fixed
    (with the coze_compat.bugs ids the tests name), new breaks on the way, the dependency floors.

``--server coze-studio``: the cells that ran against Coze Studio (the Studio flavour of the fake,
``tests(studio-py3.11-cozepyX)``) instead of the hosted service's.

Paths default to the current folder's ``results/`` (where ``coze_compat.nox`` cells write); both
read the dependency data shipped in the package (``--dependencies`` to read another file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from coze_compat import dependencies, servers
from coze_compat.report import team, upgrade
from coze_compat.report.__main__ import now, nox_report_files, write_report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coze-compat", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="write the compatibility report of the cells' results")
    report.add_argument("--results", type=Path, default=Path("results"), help="the cells' results (default: results)")
    report.add_argument("--out", type=Path, default=None, help="output folder (default: <results>/report)")
    report.add_argument(
        "--nox-report", type=Path, action="append", default=[], help="nox --report output: skipped cells"
    )
    report.add_argument("--generated", default=None, help="the time shown as generated (default: now, UTC)")
    advice = commands.add_parser("upgrade", help="what moving from one cozepy release to another changes")
    advice.add_argument("--from", dest="start", required=True, help="the release the project is on, e.g. 0.13.1")
    advice.add_argument(
        "--to", dest="target", default=None, help="the release to move to (default: the newest with results)"
    )
    source = advice.add_mutually_exclusive_group()
    source.add_argument("--results", type=Path, default=Path("results"), help="the cells' results (default: results)")
    source.add_argument("--report", type=Path, default=None, help="a report.json written by a report instead")
    advice.add_argument("--format", choices=("markdown", "json"), default="markdown")
    for command in (report, advice):
        command.add_argument(
            "--dependencies", type=Path, default=dependencies.FILE, help="the dependency data (default: the package's)"
        )
        command.add_argument(
            "--server",
            choices=servers.SERVERS,
            default=servers.HOSTED,
            help=f"the server the cells ran against (default: {servers.HOSTED}; {servers.STUDIO}: the Studio cells)",
        )
    return parser


def _report(args: argparse.Namespace) -> int:
    table = dependencies.load(args.dependencies)
    report = team.build(
        args.results, dependencies=table, nox_reports=nox_report_files(args.nox_report), server=args.server
    )
    out = args.out if args.out is not None else args.results / "report"
    _, terminal = write_report(report, args.results, out, args.generated if args.generated is not None else now())
    print("\n" + terminal, end="")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    history = upgrade.load(args.report or args.results, dependencies.load(args.dependencies), server=args.server)
    target = args.target or next((r for r in reversed(history.releases) if r != "latest"), "")
    advice = upgrade.advise(history, args.start, target)
    if args.format == "json":
        print(json.dumps(upgrade.advice_json(advice), indent=2, ensure_ascii=False))
    else:
        print(upgrade.render_markdown(advice), end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    commands = {"report": _report, "upgrade": _upgrade}
    try:
        return commands[str(args.command)](args)
    except (dependencies.DependenciesError, upgrade.UpgradeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
