"""First-order mutants generated from cozepy's own source, one small change each (issue 10, point 5).

The hand-written regressions (``us1`` ... ``us5``) are the changes we expect; these are the ones
nobody thought of. Every in-scope module of the installed cozepy (``[tool.coze-compat.coverage]
cozepy_modules``) is parsed with ``ast`` and each of these operators yields mutants:

=================  =========================================================================
``compare``        ``==``/``!=``, ``<``/``<=``, ``>``/``>=``, ``is``/``is not``, ``in``/``not in``
``boolean``        ``and``/``or`` swapped (every operator of one ``and``/``or`` chain)
``not``            ``not x`` becomes ``x``
``constant``       numbers ``n`` -> ``n + 1``, ``True``/``False`` swapped, ``None`` -> ``""``,
                   strings ``"s"`` -> ``"XXsXX"`` (also each literal part of an f-string)
``dict-entry``     one ``key: value`` of a dict literal dropped (a request body field, a header)
``keyword``        one keyword argument of a call dropped (``stream=True``, ``**kwargs``)
``field-rename``   a class attribute annotation renamed (a pydantic model field)
``statement``      a statement inside a function replaced by ``pass``
=================  =========================================================================

Not mutated: docstrings and other bare string statements, the literal operand of ``is`` (``x is
None`` -> ``x is ""`` is a SyntaxWarning, so an import error under ``-W error``), annotations (they are types, and
strings in them are forward references), ``if TYPE_CHECKING:`` blocks, ``__all__``, and calls
listed in ``avoid_calls_to`` (the logging calls, as PIT's ``avoidCallsTo`` does by default:
no story reads cozepy's log lines, so their mutants would only dilute the score).

Each mutant is a text edit on the source (so its diff is one or two lines, comments kept) *and*
the AST change it stands for; ``check`` parses the edited top-level statement and fails with
``GeneratorError`` when the two disagree (a generator bug), and reports the mutant as
equivalent when the edit leaves the AST unchanged (``ast.dump`` ignores layout and comments).

Why our own generator rather than an existing tool (the versions on PyPI in 2026-11):

* mutmut 3.8 mutates only code inside functions (its trampolines switch a function's variants at
  run time), so pydantic model fields, enum values and module constants, where most of cozepy's
  wire format lives, cannot be mutated; it mutates the project's own source paths copied into
  ``./mutants``, not an installed package; it has no sample.
* cosmic-ray 8.7 has no operator for strings, dict entries, keyword arguments, attribute names or
  deleted statements (new operators need a plugin distribution registered by entry point), applies
  each mutant to the module in place, has no coverage-based test selection and no sample.
* pytest-gremlins 1.12 and poodle 1.3 have comparison, arithmetic, boolean and constant operators,
  none of the request-shape ones (dict entry, keyword, field); mutatest 3.1 (2022) is unmaintained.

Standard library only; Python 3.9+ (``ast.unparse``, positions of keyword nodes).
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import difflib
import fnmatch
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

OPERATORS = ("compare", "boolean", "not", "constant", "dict-entry", "keyword", "field-rename", "statement")

#: A path from the module to a node: (field, index) steps, index None for a single child.
NodePath = tuple[tuple[str, "int | None"], ...]

_COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], str, str]] = {
    # op: (its mutant, a regex finding the op's text between the operands, the mutant's text)
    ast.Eq: (ast.NotEq, r"==", "!="),
    ast.NotEq: (ast.Eq, r"!=", "=="),
    ast.Lt: (ast.LtE, r"<", "<="),
    ast.LtE: (ast.Lt, r"<=", "<"),
    ast.Gt: (ast.GtE, r">", ">="),
    ast.GtE: (ast.Gt, r">=", ">"),
    ast.Is: (ast.IsNot, r"\bis\b", "is not"),
    ast.IsNot: (ast.Is, r"\bis\s+not\b", "is"),
    ast.In: (ast.NotIn, r"\bin\b", "not in"),
    ast.NotIn: (ast.In, r"\bnot\s+in\b", "in"),
}
_SIMPLE_OPERAND = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)


class GeneratorError(RuntimeError):
    """The generator produced a mutant that does not parse or is not the change it claims."""


@dataclass(frozen=True)
class Edit:
    """Replace bytes ``start:end`` of the file's UTF-8 source with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mutant:
    """One first-order change to one file of the package.

    ``file`` is relative to the package (``bots/__init__.py``); ``line`` and ``col`` locate the
    mutated node; ``lines`` are the source lines whose execution runs it; ``in_function`` says
    whether it runs only when a function is called (otherwise at import time).
    """

    file: str
    line: int
    col: int
    operator: str
    change: str
    edits: tuple[Edit, ...] = field(repr=False)
    path: NodePath = field(repr=False)
    replacement: ast.AST = field(repr=False, compare=False)
    lines: tuple[int, ...] = field(repr=False)
    in_function: bool = field(repr=False)

    @property
    def id(self) -> str:
        """Stable while the release's source is: ``bots/__init__.py:412:8:keyword:drop stream=``."""
        return f"{self.file}:{self.line}:{self.col}:{self.operator}:{self.change}"

    def apply(self, source: bytes) -> bytes:
        return apply_edits(source, self.edits)

    def diff(self, source: bytes) -> str:
        """A unified diff of the change, one line of context, paths as ``a/cozepy/<file>``."""
        before = source.decode("utf-8").splitlines(keepends=True)
        after = self.apply(source).decode("utf-8").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/cozepy/{self.file}", f"b/cozepy/{self.file}", n=1)
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class Options:
    """What not to mutate: calls by dotted name (``log_debug``, ``logger.debug``), and definitions
    out of the stories' scope by ``file:qualified.name`` (``workflows/__init__.py:WorkflowBasic``,
    ``workflows/__init__.py:WorkflowsClient.list``): a class or function, with everything in it."""

    avoid_calls_to: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()


def in_scope(package: Path, patterns: Sequence[str]) -> list[str]:
    """The package's ``.py`` files matching ``patterns`` (coverage's fnmatch globs, relative to
    the package: ``bots/*`` takes every file below ``bots/``), sorted."""
    files = sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py"))
    return [name for name in files if any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]


def generate_package(package: Path, patterns: Sequence[str], options: Options = Options()) -> list[Mutant]:
    """Every mutant of the in-scope files, sorted by file, line, column, operator and change."""
    if not package.is_dir():
        raise GeneratorError(f"{package} is not a package directory")
    files = in_scope(package, patterns)
    if not files:
        raise GeneratorError(f"no file of {package} matches {list(patterns)}: check cozepy_modules in pyproject.toml")
    mutants: list[Mutant] = []
    skipped: set[str] = set()
    for name in files:
        mutants.extend(generate(name, (package / name).read_bytes(), options, skipped))
    missing = sorted(set(options.out_of_scope) - skipped)
    if missing:
        raise GeneratorError(f"out-of-scope definitions not found in {package}: {', '.join(missing)} (out_of_scope)")
    return mutants


def generate(file: str, source: bytes, options: Options = Options(), skipped: set[str] | None = None) -> list[Mutant]:
    """Every mutant of one file, sorted; ids are unique (a repeated one gets ``#2``, ``#3``). The
    out-of-scope definitions met are added to ``skipped``."""
    try:
        tree = ast.parse(source, filename=file)
    except SyntaxError as error:
        raise GeneratorError(f"cozepy/{file} does not parse: {error}") from error
    visitor = _Visitor(file, source, options)
    found = sorted(visitor.run(tree), key=_sort_key)
    if skipped is not None:
        skipped |= visitor.skipped
    unique: list[Mutant] = []
    seen: dict[str, int] = {}
    for mutant in found:
        count = seen[mutant.id] = seen.get(mutant.id, 0) + 1
        if count > 1:
            mutant = dataclasses.replace(mutant, change=f"{mutant.change} #{count}")
        unique.append(mutant)
    return unique


def sample(mutants: Sequence[Mutant], seed: int, size: int) -> list[Mutant]:
    """``size`` mutants: those whose ids rank first by ``rank(seed, id)``, in that order (bottom-k
    sampling). The same ones for the same seed and set, whatever order the set came in; and the
    sample stays put as the set changes: a mutant joining the set (a story now executes its line)
    displaces at most one drawn mutant, where an index-based draw (``random.sample``) would draw
    an entirely different sample after one insertion, so "the fixed-seed sample" would move with
    every new test."""
    ranked = sorted(mutants, key=lambda mutant: (rank(seed, mutant.id), _sort_key(mutant)))
    return ranked[: max(size, 0)]


def rank(seed: int, mutant_id: str) -> str:
    """A mutant's place in the seed's draw: a hash of the seed and its id (the same in every process)."""
    return hashlib.sha256(f"{seed}:{mutant_id}".encode()).hexdigest()


def apply_edits(source: bytes, edits: Iterable[Edit], offset: int = 0) -> bytes:
    """``source`` with the edits made (their positions less ``offset``: for a slice of a file)."""
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        source = source[: edit.start - offset] + edit.text.encode("utf-8") + source[edit.end - offset :]
    return source


class Checker:
    """Parses mutated top-level statements of the files it has seen (a cache per file)."""

    def __init__(self, sources: dict[str, bytes]) -> None:
        self._sources = sources
        self._trees: dict[str, ast.Module] = {}
        self._slices: dict[tuple[str, int], tuple[int, int, ast.Module, str]] = {}

    def check(self, mutant: Mutant) -> bool:
        """True when the mutant changes the AST; False when it is equivalent by construction.

        Raises GeneratorError when the edited source does not parse, or its AST is not the one
        the mutant's AST change gives (the text edit and the change it stands for disagree)."""
        start, end, original, original_dump = self._slice(mutant)
        text = apply_edits(self._sources[mutant.file][start:end], mutant.edits, offset=start)
        try:
            mutated = ast.parse(text)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # as the stories run (filterwarnings = error)
                compile(mutated, mutant.file, "exec")
        except (SyntaxError, SyntaxWarning) as error:
            raise GeneratorError(f"{mutant.id}: the mutated source does not compile: {error}") from error
        mutated_dump = ast.dump(mutated)
        if mutated_dump != _dump_with(original, (("body", 0), *mutant.path[1:]), mutant.replacement):
            raise GeneratorError(f"{mutant.id}: the text edit does not make the AST change it stands for")
        return mutated_dump != original_dump

    def _slice(self, mutant: Mutant) -> tuple[int, int, ast.Module, str]:
        """The top-level statement holding the mutant: its bytes, parsed alone, and its dump."""
        index = mutant.path[0][1]
        if index is None:  # pragma: no cover - a module's statements are a list
            raise GeneratorError(f"{mutant.id}: its path does not start at a statement")
        key = (mutant.file, index)
        if key not in self._slices:
            source = self._sources[mutant.file]
            if mutant.file not in self._trees:
                self._trees[mutant.file] = ast.parse(source)
            statement = self._trees[mutant.file].body[index]
            first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
            starts = _line_starts(source)
            start, end = starts[first - 1], starts[statement.end_lineno or first]
            original = ast.parse(source[start:end])
            self._slices[key] = (start, end, original, ast.dump(original))
        return self._slices[key]


# -- internals -------------------------------------------------------------------------------------


def _sort_key(mutant: Mutant) -> tuple[str, int, int, str, str]:
    return (mutant.file, mutant.line, mutant.col, mutant.operator, mutant.change)


def _line_starts(source: bytes) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _dump_with(tree: ast.Module, path: NodePath, replacement: ast.AST) -> str:
    """``ast.dump(tree)`` with the node at ``path`` replaced; the tree is left as it was."""
    parent: ast.AST = tree
    for step, index in path[:-1]:
        value = getattr(parent, step)
        parent = value if index is None else value[index]
    step, index = path[-1]
    if index is None:
        old = getattr(parent, step)
        setattr(parent, step, replacement)
        try:
            return ast.dump(tree)
        finally:
            setattr(parent, step, old)
    items = getattr(parent, step)
    old = items[index]
    items[index] = replacement
    try:
        return ast.dump(tree)
    finally:
        items[index] = old


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _is_bare_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _first_body_line(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The line of the first statement a call executes (a docstring is not executed)."""
    body = [statement for statement in function.body if not _is_bare_constant(statement)] or function.body
    return body[0].lineno


def _mutated_constant(value: object) -> tuple[str | bool | int | float, str] | None:
    if isinstance(value, bool):
        return (not value), f"{value} -> {not value}"
    if value is None:
        return "", 'None -> ""'
    if isinstance(value, int):
        return value + 1, f"{value} -> {value + 1}"
    if isinstance(value, float):
        return value + 1.0, f"{value} -> {value + 1.0}"
    if isinstance(value, str):
        return f"XX{value}XX", f"{_short(value)} -> {_short('XX' + value + 'XX')}"
    return None  # bytes, complex, Ellipsis: none in scope worth a mutant


def _short(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


@dataclass(frozen=True)
class _Context:
    """Where the walk is: in a function body (run per call), the innermost statement's line, and
    for a function's default arguments the line whose execution means the function was called."""

    in_function: bool = False
    statement_line: int = 0
    call_line: int = 0


class _Visitor:
    def __init__(self, file: str, source: bytes, options: Options) -> None:
        self.file = file
        self.source = source
        self.options = options
        self.starts = _line_starts(source)
        self.found: list[Mutant] = []
        self.identity_operands: set[int] = set()
        self.scope: list[str] = []  # the names of the enclosing classes and functions
        self.skipped: set[str] = set()  # the out-of-scope definitions met

    def run(self, tree: ast.Module) -> list[Mutant]:
        self._walk_statements(tree, "body", (), _Context())
        return self.found

    # positions

    def _pos(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def _start(self, node: ast.AST) -> int:
        return self._pos(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def _end(self, node: ast.AST) -> int:
        return self._pos(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def _text(self, node: ast.AST) -> str:
        return self.source[self._start(node) : self._end(node)].decode("utf-8")

    def _emit(
        self,
        node: ast.AST,
        path: NodePath,
        ctx: _Context,
        operator: str,
        change: str,
        edits: Iterable[Edit],
        replacement: ast.AST,
    ) -> None:
        first = min(ctx.statement_line or node.lineno, node.lineno)  # type: ignore[attr-defined]
        last = node.end_lineno or node.lineno  # type: ignore[attr-defined]
        lines = (ctx.call_line,) if ctx.call_line else tuple(range(first, last + 1))
        self.found.append(
            Mutant(
                file=self.file,
                line=node.lineno,  # type: ignore[attr-defined]
                col=node.col_offset,  # type: ignore[attr-defined]
                operator=operator,
                change=change,
                edits=tuple(edits),
                path=path,
                replacement=replacement,
                lines=lines,
                in_function=ctx.in_function or bool(ctx.call_line),
            )
        )

    # walking

    def _walk_statements(self, parent: ast.AST, name: str, path: NodePath, ctx: _Context) -> None:
        for index, statement in enumerate(getattr(parent, name)):
            here = (*path, (name, index))
            if _is_bare_constant(statement) or self._avoided_statement(statement):
                continue
            if isinstance(statement, ast.If) and _dotted(statement.test) == "TYPE_CHECKING":
                continue
            if isinstance(statement, ast.Assign) and any(_dotted(t) == "__all__" for t in statement.targets):
                continue
            if isinstance(statement, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                self.scope.append(statement.name)
                qualified = f"{self.file}:{'.'.join(self.scope)}"
                if qualified in self.options.out_of_scope:
                    self.skipped.add(qualified)
                else:
                    self._walk_statement(parent, name, index, statement, here, ctx)
                self.scope.pop()
                continue
            self._walk_statement(parent, name, index, statement, here, ctx)

    def _walk_statement(
        self, parent: ast.AST, name: str, index: int, statement: ast.stmt, here: NodePath, ctx: _Context
    ) -> None:
        inner = _Context(ctx.in_function, statement.lineno)
        if ctx.in_function and self._deletable(parent, name, index, statement):
            self._emit(
                statement,
                here,
                inner,
                "statement",
                f"{type(statement).__name__} -> pass",
                [Edit(self._start(statement), self._end(statement), "pass")],
                ast.Pass(),
            )
        if isinstance(parent, ast.ClassDef) and isinstance(statement, ast.AnnAssign):
            self._field_rename(statement, here, inner)
        self._walk(statement, here, inner)

    def _walk(self, node: ast.AST, path: NodePath, ctx: _Context) -> None:
        self._mutate(node, path, ctx)
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "type_comment"):
                continue
            if isinstance(node, ast.JoinedStr):
                continue  # its literal parts are mutated as a whole (positions inside are unreliable)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                child = ctx
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and name == "body":
                    child = _Context(True, ctx.statement_line)
                self._walk_statements(node, name, path, child)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and name == "args":
                # a default is evaluated once, at import, but only a call that omits the argument sees it
                called = _Context(ctx.in_function, ctx.statement_line, _first_body_line(node))
                self._walk_item(node, value, (*path, (name, None)), called)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        self._walk_item(node, item, (*path, (name, index)), ctx)
            elif isinstance(value, ast.AST):
                self._walk_item(node, value, (*path, (name, None)), ctx)

    def _walk_item(self, parent: ast.AST, node: ast.AST, path: NodePath, ctx: _Context) -> None:
        if isinstance(node, ast.Call) and self._avoided(node):
            return
        if isinstance(node, ast.ExceptHandler):
            self._walk_statements(node, "body", path, ctx)
            if node.type is not None:
                self._walk(node.type, (*path, ("type", None)), ctx)
            return
        self._walk(node, path, ctx)

    def _avoided(self, call: ast.Call) -> bool:
        return _dotted(call.func) in self.options.avoid_calls_to

    def _avoided_statement(self, statement: ast.stmt) -> bool:
        return (
            isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and self._avoided(statement.value)
        )

    def _deletable(self, parent: ast.AST, name: str, index: int, statement: ast.stmt) -> bool:
        if isinstance(statement, (ast.Pass, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        if isinstance(statement, (ast.Global, ast.Nonlocal)):
            return False
        # an `elif` is an If alone in its parent's orelse, written from the `elif` keyword
        elif_ = isinstance(parent, ast.If) and name == "orelse" and isinstance(statement, ast.If)
        return not (elif_ and self.source[self._start(statement) : self._start(statement) + 4] == b"elif")

    # operators

    def _mutate(self, node: ast.AST, path: NodePath, ctx: _Context) -> None:
        if isinstance(node, ast.Compare):
            self._compare(node, path, ctx)
        elif isinstance(node, ast.BoolOp):
            self._boolean(node, path, ctx)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self._text(node.operand)
            if not isinstance(node.operand, _SIMPLE_OPERAND):
                operand = f"({operand})"
            self._emit(
                node, path, ctx, "not", "not x -> x", [Edit(self._start(node), self._end(node), operand)], node.operand
            )
        elif isinstance(node, ast.Constant):
            self._constant(node, path, ctx)
        elif isinstance(node, ast.JoinedStr):
            self._fstring(node, path, ctx)
        elif isinstance(node, ast.Dict):
            self._dict_entries(node, path, ctx)
        elif isinstance(node, ast.Call):
            self._keywords(node, path, ctx)

    def _compare(self, node: ast.Compare, path: NodePath, ctx: _Context) -> None:
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            if isinstance(op, (ast.Is, ast.IsNot)):  # `x is ""` is a SyntaxWarning: an error under -W error
                self.identity_operands.update({id(operands[index]), id(operands[index + 1])})
        for index, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is None:
                continue
            mutant_op, pattern, text = swap
            start, end = self._end(operands[index]), self._start(operands[index + 1])
            between = self.source[start:end].decode("utf-8")
            if type(op) is ast.Lt or type(op) is ast.Gt:
                pattern += "(?!=)"
            match = re.search(pattern, between)
            if match is None:  # pragma: no cover - the op is between its operands by Python's grammar
                raise GeneratorError(f"cozepy/{self.file}:{node.lineno}: no {pattern!r} in {between!r}")
            replacement = copy.copy(node)
            replacement.ops = [*node.ops[:index], mutant_op(), *node.ops[index + 1 :]]
            edit = Edit(
                start + len(between[: match.start()].encode()), start + len(between[: match.end()].encode()), text
            )
            self._emit(node, path, ctx, "compare", f"{match.group()} -> {text}", [edit], replacement)

    def _boolean(self, node: ast.BoolOp, path: NodePath, ctx: _Context) -> None:
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        edits = []
        for left, right in zip(node.values, node.values[1:]):
            start, end = self._end(left), self._start(right)
            between = self.source[start:end].decode("utf-8")
            match = re.search(rf"\b{old}\b", between)
            if match is None:  # pragma: no cover - the op is between its operands by Python's grammar
                raise GeneratorError(f"cozepy/{self.file}:{node.lineno}: no {old!r} in {between!r}")
            edits.append(
                Edit(start + len(between[: match.start()].encode()), start + len(between[: match.end()].encode()), new)
            )
        replacement = ast.BoolOp(op=ast.Or() if old == "and" else ast.And(), values=node.values)
        self._emit(node, path, ctx, "boolean", f"{old} -> {new}", edits, replacement)

    def _constant(self, node: ast.Constant, path: NodePath, ctx: _Context) -> None:
        mutated = _mutated_constant(node.value)
        if mutated is None:
            return
        value, change = mutated
        if id(node) in self.identity_operands and not isinstance(value, bool):
            return
        edit = Edit(self._start(node), self._end(node), repr(value))
        self._emit(node, path, ctx, "constant", change, [edit], ast.Constant(value=value))

    def _fstring(self, node: ast.JoinedStr, path: NodePath, ctx: _Context) -> None:
        for index, part in enumerate(node.values):
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str) and part.value):
                continue
            replacement = ast.JoinedStr(values=list(node.values))
            replacement.values[index] = ast.Constant(value=f"XX{part.value}XX")
            edit = Edit(self._start(node), self._end(node), ast.unparse(replacement))
            change = f"f-string {_short(part.value)} -> {_short('XX' + part.value + 'XX')}"
            self._emit(node, path, ctx, "constant", change, [edit], replacement)

    def _dict_entries(self, node: ast.Dict, path: NodePath, ctx: _Context) -> None:
        for index, key in enumerate(node.keys):
            if key is None:
                continue  # a `**mapping` entry
            previous = node.values[index - 1] if index > 0 else None
            start, end = self._drop_span(key, node.values[index], previous)
            replacement = ast.Dict(
                keys=[*node.keys[:index], *node.keys[index + 1 :]],
                values=[*node.values[:index], *node.values[index + 1 :]],
            )
            name = (
                _short(key.value) if isinstance(key, ast.Constant) and isinstance(key.value, str) else self._text(key)
            )
            self._emit(key, path, ctx, "dict-entry", f"drop {name}", [Edit(start, end, "")], replacement)

    def _keywords(self, node: ast.Call, path: NodePath, ctx: _Context) -> None:
        arguments = sorted([*node.args, *node.keywords], key=self._start)
        for index, keyword in enumerate(node.keywords):
            position = arguments.index(keyword)
            previous = arguments[position - 1] if position > 0 else None
            start, end = self._drop_span(keyword, keyword, previous)
            replacement = copy.copy(node)
            replacement.keywords = [*node.keywords[:index], *node.keywords[index + 1 :]]
            name = f"{keyword.arg}=" if keyword.arg else f"**{self._text(keyword.value)}"
            self._emit(keyword, path, ctx, "keyword", f"drop {name}", [Edit(start, end, "")], replacement)

    def _drop_span(self, first: ast.AST, last: ast.AST, previous: ast.AST | None) -> tuple[int, int]:
        """The bytes to delete to drop an item spanning ``first`` .. ``last`` from a comma list:
        the item, its comma and the space after it; or, for a last item without a comma, the
        comma before it."""
        start, end = self._start(first), self._end(last)
        rest = self.source[end:]
        stripped = rest.lstrip(b" \t\r\n")
        if stripped.startswith(b","):
            comma = end + (len(rest) - len(stripped)) + 1
            after = stripped[1:]
            line_start = self.source.rfind(b"\n", 0, start) + 1
            newline = after.find(b"\n")
            if 0 <= newline < len(after) - len(after.lstrip(b" \t\r\n")) and not self.source[line_start:start].strip():
                return line_start, comma + newline + 1  # the item is a line of its own: drop the line
            return start, comma + (len(after) - len(after.lstrip(b" \t\r\n")))
        if previous is not None:
            return self._end(previous), end
        return start, end

    def _field_rename(self, statement: ast.AnnAssign, path: NodePath, ctx: _Context) -> None:
        target = statement.target
        if not isinstance(target, ast.Name) or target.id.startswith("__"):
            return
        new = f"{target.id}_renamed"
        replacement = copy.copy(statement)
        replacement.target = ast.Name(id=new, ctx=ast.Store())
        edit = Edit(self._start(target), self._end(target), new)
        self._emit(statement, path, ctx, "field-rename", f"{target.id} -> {new}", [edit], replacement)


def iter_ids(mutants: Iterable[Mutant]) -> Iterator[str]:
    return (mutant.id for mutant in mutants)
