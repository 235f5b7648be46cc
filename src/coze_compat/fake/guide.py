"""The examples of the fake's guide (``docs/fake.md``) as test modules, so that the page cannot rot.

Each ```` ```python ```` block of the guide is a whole test module a team could copy. The harness
test (``tests/harness/test_docs.py``) runs every block under pytest with the plugin; the
``typecheck`` session checks them with ``mypy --strict`` against the newest cozepy (so a copied
example type-checks in a team's project too: the package ships ``py.typed``):

    python -m coze_compat.fake.guide DIR    # write each block to DIR/test_fake_md_line_<N>.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Sequence

from coze_compat import matrix

GUIDE = matrix.PROJECT_ROOT / "docs" / "fake.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def examples(text: str) -> dict[str, str]:
    """The python blocks of ``text`` as test modules, named by the line each block's code starts on."""
    return {
        f"test_fake_md_line_{text.count(chr(10), 0, match.start()) + 2}": match.group(1)
        for match in BLOCK.finditer(text)
    }


def write(folder: Path, guide: Path = GUIDE) -> list[Path]:
    """Write the guide's examples into ``folder`` (made if missing; earlier examples there removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("test_fake_md_line_*.py"):
        stale.unlink()
    written = []
    for name, code in examples(guide.read_text(encoding="utf-8")).items():
        path = folder / f"{name}.py"
        path.write_text(code, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) != 1:
        print("usage: python -m coze_compat.fake.guide DIR", file=sys.stderr)
        return 2
    written = write(Path(arguments[0]))
    print(f"{len(written)} examples of {GUIDE.name} written to {arguments[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
