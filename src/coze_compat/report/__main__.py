"""``python -m coze_compat.report``: build the report, or refresh the README section.

python -m coze_compat.report build [--results results] [--out results/report]
    [--nox-report nox-report.json ...] [--summary "$GITHUB_STEP_SUMMARY"]
    (exits 1 when a release lost a capability that the release before offered: ``report.lost``)
python -m coze_compat.report readme [--results results] [--readme README.md] [--check]

Both read the dependency data (``--dependencies``, default ``src/coze_compat/data/dependencies.json``).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import shutil
import sys
from pathlib import Path
from typing import Sequence

from coze_compat import dependencies, matrix
from coze_compat.report import Report, build, build_studio
from coze_compat.report.html import render_html
from coze_compat.report.jsonreport import render_json
from coze_compat.report.lost import describe
from coze_compat.report.markdown import render_markdown
from coze_compat.report.readme import MarkersError, readme_section, replace_section
from coze_compat.report.terminal import render_terminal

#: GitHub refuses a job summary over 1 MiB; past this the summary leaves out the per-test tables.
SUMMARY_LIMIT = 1_000_000


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coze_compat.report", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_ = commands.add_parser("build", help="write report.md, report.json and report.html")
    build_.add_argument("--results", type=Path, default=matrix.PROJECT_ROOT / "results", help="the cells' results")
    build_.add_argument("--out", type=Path, default=matrix.PROJECT_ROOT / "results" / "report", help="output folder")
    build_.add_argument(
        "--nox-report",
        type=Path,
        action="append",
        default=[],
        help="nox --report output (a file, or a folder of them): why cells were skipped",
    )
    build_.add_argument("--summary", type=Path, help="append the Markdown here (e.g. $GITHUB_STEP_SUMMARY)")
    build_.add_argument("--generated", default=None, help="the time shown as generated (default: now, UTC)")
    build_.add_argument("--terminal", action="store_true", help="end with the story x release summary for a terminal")
    readme = commands.add_parser("readme", help="rewrite the README section between the report markers")
    readme.add_argument("--results", type=Path, default=matrix.PROJECT_ROOT / "results")
    readme.add_argument("--readme", type=Path, default=matrix.PROJECT_ROOT / "README.md")
    readme.add_argument("--heading", default="###", help="the Markdown heading level of the section's title")
    readme.add_argument("--check", action="store_true", help="only check that the README is up to date")
    for command in (build_, readme):
        command.add_argument(
            "--dependencies", type=Path, default=dependencies.FILE, help="the dependency data (nox -s dependencies)"
        )
    return parser


def nox_report_files(paths: Sequence[Path]) -> list[Path]:
    """``--nox-report`` values: files, or folders whose ``*.json`` files are nox reports."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def interpreter_found(python: str, path: str) -> bool:
    """Whether ``python3.X`` is on ``path``, where nox looks for a cell's interpreter."""
    return shutil.which(f"python{python}", path=path) is not None


def studio_markdown(studio: Report, generated: str, details: bool = True) -> str:
    """The Coze Studio part of the Markdown report (its own summary, breaks and bugs)."""
    return render_markdown(studio, generated=generated, title=f"cozepy against {studio.server_title}", details=details)


def write_report(
    report: Report, results: Path, out: Path, generated: str, studio: Report | None = None
) -> tuple[str, str]:
    """Write report.md, report.json, report.html and summary.txt into ``out`` (each with the Coze Studio
    part after the hosted one when ``studio`` is given); the Markdown and the summary."""
    if not report.cell_results:
        print(f"warning: no cell results under {results}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    markdown = render_markdown(report, generated=generated)
    if studio is not None:
        markdown += "\n" + studio_markdown(studio, generated)
    outputs = {
        "report.md": markdown,
        "report.json": render_json(report, generated=generated, studio=studio),
        "report.html": render_html(report, generated=generated, studio=studio),
    }
    for name, text in outputs.items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}")
    found = functools.partial(interpreter_found, path=os.environ.get("PATH", ""))
    terminal = render_terminal(report, html=(out / "report.html").resolve(), found=found, studio=studio)
    (out / "summary.txt").write_text(terminal, encoding="utf-8")
    print(f"wrote {out / 'summary.txt'}")
    return markdown, terminal


def _build(args: argparse.Namespace) -> int:
    table = dependencies.load(args.dependencies)
    report = build(args.results, nox_report_files(args.nox_report), dependencies=table)
    studio = build_studio(args.results, dependencies=table)
    generated = args.generated if args.generated is not None else now()
    markdown, terminal = write_report(report, args.results, args.out, generated, studio)
    if args.terminal:
        print("\n" + terminal, end="")
    if args.summary is not None:
        if len(markdown.encode("utf-8")) > SUMMARY_LIMIT:
            markdown = render_markdown(report, generated=generated, details=False)
            if studio is not None:
                markdown += "\n" + studio_markdown(studio, generated, details=False)
        with args.summary.open("a", encoding="utf-8") as summary:
            summary.write(markdown + "\n")
    return _lost_status(report)


def _lost_status(report: Report) -> int:
    """1 when some release lost a capability without a recorded removal (printed), else 0."""
    for loss in report.lost_capabilities:
        print(f"{'error' if loss.is_break else 'note'}: lost capability {describe(loss)}", file=sys.stderr)
    return 1 if any(loss.is_break for loss in report.lost_capabilities) else 0


def _readme(args: argparse.Namespace) -> int:
    table = dependencies.load(args.dependencies)
    report = build(args.results, releases=matrix.pinned_releases(), dependencies=table)
    try:
        current = args.readme.read_text(encoding="utf-8")
        updated = replace_section(current, readme_section(report, matrix.pinned_releases(), heading=args.heading))
    except (OSError, MarkersError) as error:
        print(f"error: {args.readme}: {error}", file=sys.stderr)
        return 2
    if args.check:
        if updated != current:
            print(f"{args.readme}: the compatibility section is out of date; run python -m coze_compat.report readme")
            return 1
        print(f"{args.readme}: up to date")
        return 0
    if updated != current:
        args.readme.write_text(updated, encoding="utf-8")
        print(f"updated {args.readme}")
    else:
        print(f"{args.readme}: already up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    commands = {"build": _build, "readme": _readme}
    try:
        return commands[str(args.command)](args)
    except dependencies.DependenciesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
