"""The mutation session's tools: the hand-written catalogue, the mutant generator, the coverage-based
selection and sample, the fork-server worker, the runner and its report. None runs the story suite."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Sequence

import pytest

from coze_compat.mutations import Mutation, all_mutations, generate, machine, offered, run, worker
from coze_compat.mutations.equivalent import EQUIVALENT
from coze_compat.mutations.generate import Edit, GeneratorError

MODULES = ("coze.py", "auth/*", "request.py", "model.py", "bots/*", "chat/*", "conversations/*", "workflows/*")
LOGGING = ("log_debug", "log_info", "log_warning", "log_error", "log_fatal")


def mutants_of(source: str, operator: str | None = None, avoid: tuple[str, ...] = ()) -> dict[str, str]:
    """change -> mutated source, for the mutants of one snippet; each must pass the generator's check."""
    text = textwrap.dedent(source).encode()
    found = generate.generate("m.py", text, generate.Options(avoid))
    checker = generate.Checker({"m.py": text})
    assert all(checker.check(mutant) for mutant in found)
    return {m.change: m.apply(text).decode() for m in found if operator is None or m.operator == operator}


def settings(**changes: Any) -> machine.Settings:
    base = machine.Settings(MODULES, seed=1, sample=3, budget=60, mutant_timeout=5, test_timeout=1)
    return dataclasses.replace(base, **changes)


# -- the hand-written catalogue --------------------------------------------------------------------


def test_every_mutation_applies_once_to_the_installed_newest_cozepy() -> None:
    """Given the mutation catalogue and the newest pinned cozepy installed here,
    When each mutation is made to its file,
    Then each finds its text exactly once and changes the file."""
    source = run.installed_cozepy()
    mutations = all_mutations()

    assert len(mutations) >= 25
    assert {mutation.story for mutation in mutations} == {"US1", "US2", "US3", "US4", "US5"}
    for mutation in mutations:
        assert run.mutated_source(mutation, source) != (source / mutation.file).read_text()


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (Mutation("m", "US1", "x", "missing.py", "a", "b"), "m: cozepy/missing.py does not exist"),
        (Mutation("m", "US1", "x", "config.py", "no such text", "b"), "occurs 0 times in cozepy/config.py"),
        (Mutation("m", "US1", "x", "config.py", "=", "b"), "times in cozepy/config.py"),
    ],
    ids=["no-file", "no-match", "many-matches"],
)
def test_mutation_that_does_not_apply_is_an_error(mutation: Mutation, message: str) -> None:
    """Given a mutation whose file or text is not (exactly once) in the installed cozepy,
    When it is made,
    Then MutationError says why."""
    with pytest.raises(run.MutationError, match=message):
        run.mutated_source(mutation, run.installed_cozepy())


def test_apply_rewrites_the_file_of_a_copy(tmp_path: Path) -> None:
    """Given a copy of cozepy and a mutation of its config,
    When the mutation is applied,
    Then the copy's file holds the replacement."""
    shutil.copytree(run.installed_cozepy(), tmp_path / "cozepy", ignore=shutil.ignore_patterns("__pycache__"))

    run.apply(
        Mutation("m", "US1", "x", "config.py", "https://api.coze.com", "https://api.example.com"), tmp_path / "cozepy"
    )

    assert 'COZE_COM_BASE_URL = "https://api.example.com"' in (tmp_path / "cozepy" / "config.py").read_text()


def test_installed_cozepy_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given an environment without cozepy,
    When the runner looks for it,
    Then MutationError says so."""
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)

    with pytest.raises(run.MutationError, match="cozepy is not installed"):
        run.installed_cozepy()


def test_judge_and_table() -> None:
    """Given one mutation the stories catch, one they miss, one that stops pytest and one that hangs,
    When they are judged,
    Then the table names the catching test, MISSED, BROKEN MUTANT with pytest's exit code, and the timeout."""
    names = ("m-caught", "m-missed", "m-broken", "m-hangs")
    mutations = [Mutation(name, "US2", name[2:], "config.py", "a", "b") for name in names]
    results = [
        machine.Result(1, "tests/x.py::test_header", "E assert", False, 0.1),
        machine.Result(0, None, "", False, 0.1),
        machine.Result(4, None, "ImportError in conftest", False, 0.1),
        machine.Result(-1, None, "killed after 5 s", True, 5.0),
    ]

    outcomes = [run.judge(mutation, result) for mutation, result in zip(mutations, results)]

    assert [(outcome.caught, outcome.broken) for outcome in outcomes] == [
        (True, False),
        (False, False),
        (False, True),
        (True, False),
    ]
    assert run.table(outcomes)[2:] == [
        "| `m-caught` | US2 | caught | `tests/x.py::test_header` |",
        "| `m-missed` | US2 | missed | **MISSED** |",
        "| `m-broken` | US2 | broken | **BROKEN MUTANT** (pytest exit code 4: ImportError in conftest) |",
        "| `m-hangs` | US2 | hangs | `timed out (killed after 5 s)` |",
    ]


def test_judge_counts_a_lost_capability_as_caught() -> None:
    """Given a hand-written mutation under which every story passes but one the unmutated copy runs
    is skipped as not offered (and one the copy skips too),
    When it is judged,
    Then it is caught as a lost capability naming that test."""
    mutation = Mutation("m-probe", "US3", "probe", "bots/__init__.py", "a", "b")
    result = machine.Result(0, None, "", False, 0.1, ("t.py::test_folder", "t.py::test_log_listing"))

    outcome = run.judge(mutation, result, frozenset({"t.py::test_log_listing"}))

    assert (outcome.caught, outcome.evidence) == (True, "lost capability: t.py::test_folder skipped as not offered")
    assert not run.judge(mutation, result, frozenset(result.not_offered)).caught


def test_mutation_ids_are_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given two catalogue entries with the same id,
    When the catalogue is read,
    Then it refuses naming the id."""
    from coze_compat.mutations import us1

    monkeypatch.setattr(us1, "MUTATIONS", (*us1.MUTATIONS, us1.MUTATIONS[0]))

    with pytest.raises(ValueError, match=f"mutation ids must be unique: {us1.MUTATIONS[0].id}"):
        all_mutations()


# -- the generator: one operator at a time -----------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "source", "expected"),
    [
        ("compare", "x = a == b\n", {"== -> !=": "x = a != b\n"}),
        ("compare", "x = a != b\n", {"!= -> ==": "x = a == b\n"}),
        ("compare", "x = a < b <= c\n", {"< -> <=": "x = a <= b <= c\n", "<= -> <": "x = a < b < c\n"}),
        ("compare", "x = (a) > b >= c\n", {"> -> >=": "x = (a) >= b >= c\n", ">= -> >": "x = (a) > b > c\n"}),
        ("compare", "x = a is not None\n", {"is not -> is": "x = a is None\n"}),
        ("constant", "x = a is not None or a is True\n", {"True -> False": "x = a is not None or a is False\n"}),
        ("compare", "x = a is None\n", {"is -> is not": "x = a is not None\n"}),
        ("compare", "x = a in b\n", {"in -> not in": "x = a not in b\n"}),
        ("compare", "x = a not in b\n", {"not in -> in": "x = a in b\n"}),
        ("boolean", "x = a and b and c\n", {"and -> or": "x = a or b or c\n"}),
        ("boolean", "x = a or (b and c)\n", {"or -> and": "x = a and (b and c)\n", "and -> or": "x = a or (b or c)\n"}),
        ("not", "x = not a.b\n", {"not x -> x": "x = a.b\n"}),
        ("not", "x = y and not (a or b)\n", {"not x -> x": "x = y and (a or b)\n"}),
        ("constant", "x = 1\n", {"1 -> 2": "x = 2\n"}),
        ("constant", "x = 0.5\n", {"0.5 -> 1.5": "x = 1.5\n"}),
        ("constant", "x = True\n", {"True -> False": "x = False\n"}),
        ("constant", "x = False\n", {"False -> True": "x = True\n"}),
        ("constant", "x = None\n", {'None -> ""': "x = ''\n"}),
        ("constant", 'x = "s"\n', {"'s' -> 'XXsXX'": "x = 'XXsXX'\n"}),
        ("constant", 'x = b"s"\n', {}),
        (
            "constant",
            'x = f"/v1/{y}/z"\n',
            {
                "f-string '/v1/' -> 'XX/v1/XX'": "x = f'XX/v1/XX{y}/z'\n",
                "f-string '/z' -> 'XX/zXX'": "x = f'/v1/{y}XX/zXX'\n",
            },
        ),
        ("dict-entry", 'x = {"a": 1, "b": 2}\n', {"drop 'a'": 'x = {"b": 2}\n', "drop 'b'": 'x = {"a": 1}\n'}),
        ("dict-entry", 'x = {"a": 1}\n', {"drop 'a'": "x = {}\n"}),
        ("dict-entry", "x = {k: 1, **y}\n", {"drop k": "x = {**y}\n"}),
        (
            "dict-entry",
            'x = {\n    "a": 1,\n    "b": 2,\n}\n',
            {
                "drop 'a'": 'x = {\n    "b": 2,\n}\n',
                "drop 'b'": 'x = {\n    "a": 1,\n}\n',
            },
        ),
        ("keyword", "f(a, b=1, **kw)\n", {"drop b=": "f(a, **kw)\n", "drop **kw": "f(a, b=1)\n"}),
        ("keyword", "f(b=1, c=2)\n", {"drop b=": "f(c=2)\n", "drop c=": "f(b=1)\n"}),
        ("keyword", "f(\n    a,\n    b=1,\n)\n", {"drop b=": "f(\n    a,\n)\n"}),
        (
            "field-rename",
            "class M:\n    name: str\n    __slots__: tuple\n    a.b: int\n",
            {
                "name -> name_renamed": "class M:\n    name_renamed: str\n    __slots__: tuple\n    a.b: int\n",
            },
        ),
        (
            "statement",
            "def f():\n    x = 1\n    return x\n",
            {
                "Assign -> pass": "def f():\n    pass\n    return x\n",
                "Return -> pass": "def f():\n    x = 1\n    pass\n",
            },
        ),
        (
            "statement",
            "def f(x):\n    if x:\n        y()\n    else:\n        return z\n",
            {
                "If -> pass": "def f(x):\n    pass\n",
                "Expr -> pass": "def f(x):\n    if x:\n        pass\n    else:\n        return z\n",
                "Return -> pass": "def f(x):\n    if x:\n        y()\n    else:\n        pass\n",
            },
        ),
    ],
)
def test_operator(operator: str, source: str, expected: dict[str, str]) -> None:
    """Given a snippet with something an operator mutates,
    When the generator runs,
    Then it yields exactly these mutants, each passing its own AST check."""
    assert mutants_of(source, operator) == expected


def test_what_is_not_mutated() -> None:
    """Given docstrings, annotations, a TYPE_CHECKING block, __all__, a logging call, pass, nested
    definitions, global and an elif,
    When the generator runs,
    Then only the default value and the code around them are mutated."""
    source = '''
        """Module doc."""
        from typing import TYPE_CHECKING
        __all__ = ["f"]
        if TYPE_CHECKING:
            import b
        def f(x: "T" = 1) -> "R":
            """Function doc."""
            global g
            log_debug("text %s", x)
            def inner(): ...
            class Inner: ...
            if x:
                pass
            elif x:
                pass
    '''

    assert sorted(mutants_of(source, avoid=("log_debug",))) == ["1 -> 2", "If -> pass"]


def test_out_of_scope_definitions_are_not_mutated() -> None:
    """Given a module with a model, a client class and its methods,
    When the generator runs with a class and one method out of scope,
    Then nothing in them is mutated, the rest is."""
    text = textwrap.dedent(
        """
        class Model:
            name: str = "a"
        class Client:
            def list(self):
                return 1
            def create(self):
                return 2
        """
    ).encode()
    options = generate.Options(out_of_scope=("m.py:Model", "m.py:Client.list"))
    skipped: set[str] = set()

    changes = sorted(mutant.change for mutant in generate.generate("m.py", text, options, skipped))

    assert changes == ["2 -> 3", "Return -> pass"]
    assert skipped == {"m.py:Model", "m.py:Client.list"}


def test_out_of_scope_definition_that_is_not_found_is_an_error() -> None:
    """Given an out-of-scope name no in-scope file defines (a typo, or a release that renamed it),
    When the package's mutants are generated,
    Then the generator fails naming it."""
    options = generate.Options(LOGGING, ("workflows/__init__.py:WorkflowsClient.lst",))

    with pytest.raises(GeneratorError, match=r"not found .*WorkflowsClient\.lst"):
        generate.generate_package(run.installed_cozepy(), MODULES, options)


def test_default_arguments_count_as_run_by_a_call() -> None:
    """Given a function whose default value is mutated,
    When the generator runs,
    Then the mutant's line is the first statement a call runs (not the def line, run at import)."""
    (mutant,) = generate.generate("m.py", b'def f(x=1):\n    """Doc."""\n    return x\n')[:1]

    assert (mutant.change, mutant.lines, mutant.in_function) == ("1 -> 2", (3,), True)


def test_lines_and_import_time() -> None:
    """Given a model field and a statement inside a method,
    When the generator runs,
    Then the field runs at import time and the statement only when the method is called."""
    source = b"class M:\n    a: int = 0\n    def f(self):\n        return {\n            'k': 1,\n        }\n"

    by_change = {m.change: m for m in generate.generate("m.py", source)}

    assert (by_change["a -> a_renamed"].in_function, by_change["a -> a_renamed"].lines) == (False, (2,))
    assert (by_change["drop 'k'"].in_function, by_change["drop 'k'"].lines) == (True, (4, 5))


def test_repeated_ids_are_numbered() -> None:
    """Given an f-string with the same literal twice,
    When the generator runs,
    Then the second mutant's id carries #2."""
    ids = [mutant.id for mutant in generate.generate("m.py", b'x = f"a{y}a"\n')]

    assert ids == ["m.py:1:4:constant:f-string 'a' -> 'XXaXX'", "m.py:1:4:constant:f-string 'a' -> 'XXaXX' #2"]


def test_diff() -> None:
    """Given a mutant,
    When its diff is rendered,
    Then it is a unified diff of the cozepy file with one line of context."""
    source = b"a = 1\nb = 2\nc = 3\nd = 4\n"
    mutant = next(m for m in generate.generate("x/m.py", source) if m.change == "2 -> 3")

    assert mutant.diff(source).splitlines() == [
        "--- a/cozepy/x/m.py",
        "+++ b/cozepy/x/m.py",
        "@@ -1,3 +1,3 @@",
        " a = 1",
        "-b = 2",
        "+b = 3",
        " c = 3",
    ]


def test_check_refuses_a_mutant_that_is_not_its_change() -> None:
    """Given mutants whose text edit does not parse, or makes another change than they claim,
    When they are checked,
    Then GeneratorError names them."""
    source = b"x = 1\n"
    (mutant,) = generate.generate("m.py", source)
    checker = generate.Checker({"m.py": source})
    garbled = dataclasses.replace(mutant, edits=(Edit(4, 5, "= 1"),))
    other = dataclasses.replace(mutant, edits=(Edit(4, 5, "3"),))

    with pytest.raises(GeneratorError, match="the mutated source does not compile"):
        checker.check(garbled)
    with pytest.raises(GeneratorError, match="does not make the AST change it stands for"):
        checker.check(other)


def test_check_reports_an_unchanged_ast_as_equivalent() -> None:
    """Given a mutant whose edit changes only the layout,
    When it is checked,
    Then it is reported as not changing the AST."""
    source = b"x = 1\n"
    (mutant,) = generate.generate("m.py", source)
    layout = dataclasses.replace(mutant, edits=(Edit(4, 5, "(1)"),), replacement=ast.Constant(value=1))

    assert generate.Checker({"m.py": source}).check(layout) is False


def test_generator_errors(tmp_path: Path) -> None:
    """Given a file that does not parse, a folder that is not there, and globs that match nothing,
    When the generator runs,
    Then GeneratorError says which."""
    (tmp_path / "bad.py").write_text("def (:\n")

    with pytest.raises(GeneratorError, match=r"cozepy/bad\.py does not parse"):
        generate.generate_package(tmp_path, ["*.py"])
    with pytest.raises(GeneratorError, match="is not a package directory"):
        generate.generate_package(tmp_path / "missing", ["*.py"])
    with pytest.raises(GeneratorError, match=r"no file of .* matches"):
        generate.generate_package(tmp_path, ["other/*"])


def test_in_scope_uses_coverage_globs(tmp_path: Path) -> None:
    """Given a package with nested folders,
    When the in-scope files are listed for `bots/*` and `coze.py`,
    Then `bots/*` takes every file below bots/ and nothing else matches."""
    for name in ("coze.py", "bots/__init__.py", "bots/deep/x.py", "chat/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")

    assert generate.in_scope(tmp_path, ["bots/*", "coze.py"]) == ["bots/__init__.py", "bots/deep/x.py", "coze.py"]


@pytest.mark.timeout(120)  # generating and checking take seconds, more under coverage on a busy machine
def test_every_generated_mutant_of_a_sample_of_cozepy_is_its_change() -> None:
    """Given the newest pinned cozepy's in-scope modules,
    When the generator runs and a fixed sample of its mutants is checked,
    Then every operator is represented, the ids are unique and every sampled mutant parses and is its change."""
    source = run.installed_cozepy()
    mutants = generate.generate_package(source, MODULES, generate.Options(LOGGING))
    checker = generate.Checker({name: (source / name).read_bytes() for name in {m.file for m in mutants}})

    assert {mutant.operator for mutant in mutants} == set(generate.OPERATORS)
    assert len({mutant.id for mutant in mutants}) == len(mutants)
    assert all(checker.check(mutant) for mutant in generate.sample(mutants, seed=7, size=60))


# -- the sample, its budget, the equivalent allow-list ------------------------------------------------


def test_sample_is_fixed_by_its_seed() -> None:
    """Given a set of mutants in two orders,
    When samples are drawn,
    Then the same seed draws the same mutants in the same order, another seed others, and a size
    beyond the set draws all of it."""
    mutants = generate.generate("m.py", b"".join(f"x{i} = {i}\n".encode() for i in range(40)))
    shuffled = list(reversed(mutants))

    first = generate.sample(mutants, seed=3, size=10)

    assert len(first) == 10
    assert first == generate.sample(shuffled, seed=3, size=10)
    assert first != generate.sample(mutants, seed=4, size=10)
    assert sorted(generate.sample(mutants, seed=3, size=100), key=lambda m: m.id) == sorted(mutants, key=lambda m: m.id)
    assert generate.sample(mutants, seed=3, size=-1) == []


def test_sample_stays_put_as_the_set_grows() -> None:
    """Given a drawn sample, and the same set with more mutants (a new story executes more lines),
    When the sample is drawn again with the same seed,
    Then it keeps all but at most one drawn mutant per mutant added."""
    everything = generate.generate("m.py", b"".join(f"x{i} = {i}\n".encode() for i in range(60)))
    before = generate.sample(everything[:50], seed=3, size=10)

    after = generate.sample(everything, seed=3, size=10)

    assert len(set(before) - set(after)) <= len(everything) - 50
    assert len(before) == len(after) == 10
    for added in everything[50:]:
        grown = generate.sample([*everything[:50], added], seed=3, size=10)
        assert len(set(before) - set(grown)) <= 1


@pytest.mark.timeout(60)
def test_equivalent_allow_list_names_generated_mutants() -> None:
    """Given the allow-list of mutants examined and found equivalent,
    When the newest pinned cozepy's mutants are generated,
    Then every listed id is one of them and says why it is equivalent."""
    mutants = generate.generate_package(run.installed_cozepy(), MODULES, generate.Options(LOGGING))
    ids = {mutant.id for mutant in mutants}

    assert sorted(set(EQUIVALENT) - ids) == []
    assert all(len(reason) > 20 for reason in EQUIVALENT.values())


SNIPPET = b"def f(a):\n    return a == 1\n\nX = 2\n\ndef g():\n    return 0\n"


def coverage_of_snippet() -> machine.Coverage:
    """Line 2 run by two tests, line 4 at import, g never called."""
    return machine.Coverage({"m.py": {2: frozenset({"t.py::b", "t.py::a"}), 4: frozenset({""})}})


def test_coverage_selects_the_tests_of_a_line() -> None:
    """Given coverage contexts of a module,
    When the tests of its mutants are asked for,
    Then a function's mutant runs the tests that executed its line, an import-time one every story,
    and one on a line never executed is reported as such."""
    by_change = {m.change: m for m in generate.generate("m.py", SNIPPET)}
    coverage = coverage_of_snippet()

    assert coverage.tests_for(by_change["== -> !="]) == (True, ("t.py::a", "t.py::b"))
    assert coverage.tests_for(by_change["2 -> 3"]) == (True, ())
    assert coverage.tests_for(by_change["0 -> 1"]) == (False, ())
    assert machine.Coverage({"m.py": {2: frozenset({"", "t.py::a"})}}).tests_for(by_change["== -> !="]) == (True, ())


def test_coverage_read(tmp_path: Path) -> None:
    """Given a coverage data file with test contexts for a file of the package and one elsewhere,
    When it is read,
    Then only the package's file is kept, by relative path, with node ids for contexts."""
    import coverage

    package = tmp_path / "cozepy"
    package.mkdir()
    data = coverage.CoverageData(basename=str(tmp_path / ".coverage"))
    data.set_context("tests/t.py::test_a|run")
    data.add_lines({str(package / "m.py"): [2], str(tmp_path / "other.py"): [1]})
    data.write()

    assert machine.Coverage.read(tmp_path / ".coverage", package).lines == {
        "m.py": {2: frozenset({"tests/t.py::test_a"})}
    }


def test_plan_draws_the_sample_from_executed_lines() -> None:
    """Given the snippet's mutants and its coverage,
    When runs are planned with and without the executed-lines filter, a sample, --all and --every-story,
    Then the sample comes from the executed mutants unless told otherwise."""
    mutants = generate.generate("m.py", SNIPPET)
    coverage = coverage_of_snippet()

    default = machine.plan(mutants, coverage, settings(sample=100))
    every_line = machine.plan(mutants, coverage, settings(sample=100, executed_only=False))
    small = machine.plan(mutants, coverage, settings(sample=2))
    everything = machine.plan(mutants, coverage, settings(run_all=True, select_by_coverage=False))

    assert sorted(m.change for m in default.drawn) == ["1 -> 2", "2 -> 3", "== -> !=", "Return -> pass"]
    assert len(every_line.drawn) == len(mutants) == 6
    assert len(small.drawn) == 2
    assert [m.id for m in everything.drawn] == sorted(m.id for m in default.drawn)
    assert set(everything.tests.values()) == {()}
    assert default.tests[next(m.id for m in mutants if m.change == "== -> !=")] == ("t.py::a", "t.py::b")


@pytest.mark.parametrize(
    ("result", "status", "evidence"),
    [
        (None, "not run", "the time budget ran out first"),
        (machine.Result(-1, None, "killed after 5 s", True, 5.0), "timed out", "killed after 5 s"),
        (machine.Result(0, None, "", False, 0.5), "survived", "every story it ran passed"),
        (machine.Result(1, "t.py::a", "E assert 1 == 2", False, 0.5), "killed", "t.py::a: E assert 1 == 2"),
        (
            machine.Result(1, "t.py::a", "E Failed: Timeout >1.0s", False, 1.5),
            "timed out",
            "t.py::a: E Failed: Timeout >1.0s",
        ),
        (machine.Result(2, None, "E ImportError: x", False, 0.5), "broken", "pytest exit code 2: E ImportError: x"),
    ],
    ids=["not-run", "deadline", "survived", "killed", "pytest-timeout", "broken"],
)
def test_machine_judge(result: machine.Result | None, status: str, evidence: str) -> None:
    """Given what a worker reported for a mutant,
    When it is judged,
    Then the outcome is Stryker's: killed, timed out, survived, broken, or not run."""
    (mutant,) = generate.generate("m.py", b"x = 1\n")

    outcome = machine.judge(mutant, result, 0)

    assert (outcome.status, outcome.evidence) == (status, evidence)


def test_machine_judge_lost_capability() -> None:
    """Given a mutant under which every story passes, but a test the unmutated copy runs is skipped
    as not offered,
    When it is judged and scored,
    Then it is a lost capability, detected; a skip the copy makes too is not."""
    (mutant,) = generate.generate("m.py", b"x = 1\n")
    result = machine.Result(0, None, "", False, 0.5, ("t.py::b", "t.py::a"))

    lost = machine.judge(mutant, result, 0, frozenset({"t.py::b"}))
    same = machine.judge(mutant, result, 0, frozenset({"t.py::a", "t.py::b"}))

    assert (lost.status, lost.evidence) == (
        "lost capability",
        "t.py::a: skipped as not offered (the unmutated copy runs it)",
    )
    assert same.status == "survived"
    assert machine.score([lost, same]) == (1, 2)


def fake_execute(exit_of: dict[str, int]) -> Any:
    """An ``execute`` for ``machine.run``: exit code by the mutated source's text, recording the jobs."""
    seen: list[machine.Job] = []

    def execute(jobs: Sequence[machine.Job], deadline: float | None) -> list[machine.Result | None]:
        seen.extend(jobs)
        results: list[machine.Result | None] = []
        for job in jobs:
            code = next((code for text, code in exit_of.items() if text in (job.source or "")), 0)
            results.append(None if code < 0 else machine.Result(code, "t.py::a" if code else None, "", False, 0.1))
        return results

    execute.seen = seen  # type: ignore[attr-defined]
    return execute


def test_run_checks_skips_equivalents_and_respects_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the snippet's executed mutants, one on the allow-list, and a worker that kills one,
    lets one survive and is out of time for the last,
    When they run,
    Then the allow-listed one is not run, and each outcome is reported in the drawn order."""
    mutants = generate.generate("m.py", SNIPPET)
    allowed = next(m for m in mutants if m.change == "2 -> 3")
    monkeypatch.setitem(EQUIVALENT, allowed.id, "X is never read by anything, so its value does not matter")
    the_plan = machine.plan(mutants, coverage_of_snippet(), settings(sample=100))
    execute = fake_execute({"a != 1": 1, "pass": -1})

    outcomes = machine.run(the_plan, {"m.py": SNIPPET}, ["tests/us1_setup"], settings(), execute)

    assert {o.mutant.change: o.status for o in outcomes} == {
        "== -> !=": "killed",
        "1 -> 2": "survived",
        "2 -> 3": "equivalent",
        "Return -> pass": "not run",
    }
    assert [m.id for m in the_plan.drawn] == [o.mutant.id for o in outcomes]
    assert {job.tests for job in execute.seen} == {("t.py::a", "t.py::b")}
    assert machine.score(outcomes) == (1, 2)


def test_run_does_not_run_mutants_no_story_executes() -> None:
    """Given a plan drawn from every line, including a function no story calls,
    When it runs,
    Then that function's mutants survive without running, and the report says so."""
    mutants = generate.generate("m.py", SNIPPET)
    every_line = settings(sample=100, executed_only=False)
    the_plan = machine.plan(mutants, coverage_of_snippet(), every_line)
    execute = fake_execute({})

    outcomes = machine.run(the_plan, {"m.py": SNIPPET}, ["tests"], every_line, execute)
    lines = machine.report(the_plan, outcomes, {"m.py": SNIPPET}, every_line, 1)

    unexecuted = [outcome for outcome in outcomes if outcome.mutant.line == 7]
    assert [(o.status, o.evidence) for o in unexecuted] == [("survived", "no story executes its line (not run)")] * 2
    assert len(execute.seen) == 4
    assert "Of the survivors, 2 are on lines no story executes." in lines
    assert "- `m.py:7` constant: 0 -> 1 (no story executes its line; id `m.py:7:11:constant:0 -> 1`)" in lines


def test_run_reports_an_ast_unchanged_mutant_as_equivalent() -> None:
    """Given a drawn mutant whose edit leaves the AST as it was,
    When the run checks it,
    Then it is equivalent and not run."""
    (mutant,) = generate.generate("m.py", b"x = 1\n")
    layout = dataclasses.replace(mutant, edits=(Edit(4, 5, "(1)"),), replacement=ast.Constant(value=1))
    the_plan = machine.Plan((layout,), frozenset({layout.id}), (layout,), {layout.id: ()})
    execute = fake_execute({})

    (outcome,) = machine.run(the_plan, {"m.py": b"x = 1\n"}, ["tests"], settings(run_all=True), execute)

    assert (outcome.status, execute.seen) == ("equivalent", [])


def test_report_lists_survivors_with_their_diff() -> None:
    """Given outcomes of the snippet's mutants,
    When the Markdown section is rendered (sample, and every line),
    Then it counts each outcome, states the score both ways, and shows each survivor's file, line and diff."""
    mutants = generate.generate("m.py", SNIPPET)
    the_plan = machine.plan(mutants, coverage_of_snippet(), settings(sample=100))
    by_change = {m.change: m for m in the_plan.drawn}
    outcomes = [
        machine.Outcome(by_change["== -> !="], "killed", "t.py::a: E assert", 2),
        machine.Outcome(by_change["1 -> 2"], "survived", "every story it ran passed", 2),
        machine.Outcome(by_change["2 -> 3"], "timed out", "killed after 5 s"),
        machine.Outcome(by_change["Return -> pass"], "broken", "pytest exit code 2: x|y"),
    ]

    lines = machine.report(the_plan, outcomes, {"m.py": SNIPPET}, settings(), 12.0)
    every_line = machine.report(the_plan, outcomes, {"m.py": SNIPPET}, settings(executed_only=False, run_all=True), 1)

    text = "\n".join(lines)
    assert "6 first-order mutants" in text
    assert "4 on lines the stories execute, 2 on lines they never execute" in text
    assert "| killed | 1 |" in lines
    assert "| survived | 1 |" in lines
    assert "| broken | 1 |" in lines
    assert "**Score: 2 of 3 mutants that change behaviour detected (66.7 %)**" in text
    assert "Counting the mutants on lines the stories never execute as survivors" in text
    assert "- `m.py:2` constant: 1 -> 2 (ran 2 covering tests; id `m.py:2:16:constant:1 -> 2`)" in lines
    assert "  -    return a == 1" in lines
    assert "  +    return a == 2" in lines
    assert "| `m.py:2:11:compare:== -> !=` | killed | t.py::a: E assert |" in lines
    assert "| `m.py:2:4:statement:Return -> pass` | broken | pytest exit code 2: x\\|y |" in lines
    assert "Of the survivors, 0 are on lines no story executes." in every_line


def test_report_without_survivors() -> None:
    """Given a run where nothing survived,
    When it is rendered,
    Then the survivors section says none."""
    (mutant,) = generate.generate("m.py", b"x = 1\n")
    the_plan = machine.Plan((mutant,), frozenset({mutant.id}), (mutant,), {mutant.id: ()})

    lines = machine.report(the_plan, [machine.Outcome(mutant, "killed", "t")], {"m.py": b"x = 1\n"}, settings(), 1)

    assert lines[lines.index("### Survivors (0)") + 2] == "None."


# -- the worker ----------------------------------------------------------------------------------------


def test_third_party_imports(tmp_path: Path) -> None:
    """Given files importing third-party, own, relative and future modules, and one that does not parse,
    When their imports are listed,
    Then only the third-party modules remain."""
    (tmp_path / "a.py").write_text("from __future__ import annotations\nimport httpx, cozepy.x\nfrom . import y\n")
    (tmp_path / "b.py").write_text("from authlib.jose import jwt\nimport tests.z\n")
    (tmp_path / "bad.py").write_text("def (:\n")

    assert worker.third_party_imports([tmp_path, tmp_path / "a.py"]) == ["authlib.jose", "httpx"]


def test_preload_reports_failures_and_refuses_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a plugin that does not load, a module that is not installed, and then an own module already imported,
    When the worker preloads,
    Then it lists the failures, and refuses once an own module is imported."""

    class Plugin:
        value = "broken_plugin"

        def load(self) -> None:
            raise ImportError("no")

    monkeypatch.setattr(worker, "entry_points", lambda group: [Plugin()])
    monkeypatch.setattr(worker, "OWN", ("no_such_own_package",))

    assert worker.preload(["json", "no_such_module_here"]) == ["broken_plugin", "no_such_module_here"]
    monkeypatch.setitem(sys.modules, "no_such_own_package.x", sys)
    with pytest.raises(RuntimeError, match=r"preloading imported no_such_own_package\.x"):
        worker.preload([])


def test_leaked_ignores_the_workers_own_modules() -> None:
    """Given the harness importing the mutation modules,
    When the worker looks for leaked modules of the harness,
    Then its own package does not count."""
    assert [name for name in worker.leaked(("coze_compat",)) if name.startswith("coze_compat.mutations")] == []


def test_recorder_keeps_the_first_failure() -> None:
    """Given pytest reports: a pass, a failure with an E line, another failure,
    When the recorder sees them,
    Then it keeps the first failing test and its first E line."""

    @dataclasses.dataclass
    class Report:
        nodeid: str
        failed: bool
        longreprtext: str = ""

    recorder = worker._Recorder()
    recorder.pytest_runtest_logreport(Report("t::ok", False))
    recorder.pytest_runtest_logreport(
        Report("t::a", True, "def test_a():\n>  assert x\nE   assert 1 == 2\nE   more\nt.py:3")
    )
    recorder.pytest_collectreport(Report("t::b", True, "ImportError"))

    assert (recorder.failed, recorder.message) == ("t::a", "E   assert 1 == 2")


@dataclasses.dataclass
class SkipReport:
    """What pytest reports for a skipped test (an xfail carries ``wasxfail``)."""

    nodeid: str
    longrepr: Any
    skipped: bool = True
    failed: bool = False


def test_skipped_as_not_offered() -> None:
    """Given reports of a not-offered skip (from a marker and from pytest.skip), another skip, an
    xfail, a pass and a skip without a location,
    When they are read,
    Then only the not-offered skips count, and the recorder keeps their node ids."""
    marker = SkipReport("t::a", ("t.py", 3, "Skipped: not offered by cozepy 0.20.0: the folder"))
    call = SkipReport("t::b", ("t.py", 9, "not offered by cozepy 0.20.0: AsyncCoze"))
    other = SkipReport("t::c", ("t.py", 5, "Skipped: no network"))
    xfail = SkipReport("t::d", ("t.py", 7, "Skipped: not offered by cozepy 0.20.0: x"))
    xfail.wasxfail = "known break"  # type: ignore[attr-defined]
    passed = SkipReport("t::e", None, skipped=False)
    bare = SkipReport("t::f", "Skipped: not offered by cozepy 0.20.0: x")

    recorder = worker._Recorder()
    for report in (marker, call, other, xfail, passed, bare):
        recorder.pytest_runtest_logreport(report)

    assert recorder.not_offered == ["t::a", "t::b"]
    assert [offered.skipped_as_not_offered(r) for r in (marker, call, other, xfail, passed, bare)] == [
        True, True, False, False, False, False,
    ]  # fmt: skip


@pytest.mark.timeout(60)  # one pytest run in a subprocess
def test_offered_plugin_writes_the_not_offered_tests(tmp_path: Path) -> None:
    """Given tests that pass, skip as not offered, skip for another reason and xfail,
    When pytest runs them with the plugin and the file named by $COZE_COMPAT_NOT_OFFERED,
    Then the file lists the not-offered test alone, and reading a file never written gives none."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_p.py").write_text(
        "import pytest\n\n\ndef test_ok():\n    pass\n\n\n"
        "@pytest.mark.skip(reason='not offered by cozepy 9.9.9: the folder')\ndef test_folder():\n    pass\n\n\n"
        "def test_other():\n    pytest.skip('no network')\n\n\n"
        "@pytest.mark.xfail(reason='not offered by cozepy 9.9.9: x', strict=True)\ndef test_xfail():\n    assert 0\n"
    )
    target = tmp_path / "not-offered.json"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "coze_compat.mutations.offered", "-p", "no:randomly",
               "-p", "no:cacheprovider", "--no-cov", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)]  # fmt: skip
    env = dict(machine._harness_env(), **{offered.ENV: str(target)})

    completed = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, check=False)

    assert completed.returncode == 0, completed.stdout
    assert offered.read(target) == {"test_p.py::test_folder"}
    assert offered.read(tmp_path / "never-written.json") == frozenset()


def test_recorder_without_error_lines() -> None:
    """Given a collection failure without E lines,
    When the recorder sees it,
    Then its first line is the message."""

    @dataclasses.dataclass
    class Report:
        nodeid: str = "t.py"
        failed: bool = True
        longreprtext: str = "ImportError while importing t.py\n"

    recorder = worker._Recorder()
    recorder.pytest_collectreport(Report())

    assert recorder.message == "ImportError while importing t.py"


def test_mutated_restores_the_file_and_drops_compiled_copies(tmp_path: Path) -> None:
    """Given a module with a compiled copy,
    When it is mutated for a block,
    Then inside the block it holds the mutant and no compiled copy, and after it the original and no compiled copy."""
    target = tmp_path / "m.py"
    target.write_text("X = 1\n")
    pyc = tmp_path / "__pycache__" / "m.cpython-311.pyc"
    pyc.parent.mkdir()
    pyc.write_bytes(b"old")

    with worker.mutated(target, "X = 2\n"):
        assert (target.read_text(), pyc.exists()) == ("X = 2\n", False)
        pyc.write_bytes(b"mutant")
    with worker.mutated(target, None):
        assert target.read_text() == "X = 1\n"

    assert (target.read_text(), pyc.exists()) == ("X = 1\n", False)


def tiny_project(tmp_path: Path, package: str = "cozepy") -> tuple[Path, Path]:
    """A scratch folder with a package (one module) and a test file reading it. The harness has
    imported the real cozepy, so a child forked from it needs another package name."""
    scratch = tmp_path / "scratch"
    (scratch / package).mkdir(parents=True)
    (scratch / package / "__init__.py").write_text("")
    (scratch / package / "m.py").write_text("VALUE = 1\n")
    tests = tmp_path / "project"
    tests.mkdir()
    (tests / "pytest.ini").write_text("[pytest]\n")
    (tests / "test_m.py").write_text(
        f"import time\n\nfrom {package} import m\n\n\ndef test_value():\n    assert m.VALUE == 1\n\n\n"
        "def test_hang():\n    if m.VALUE == 3:\n        while True:\n            time.sleep(0.01)\n\n\n"
        "def test_offered():\n    if m.VALUE == 4:\n        import pytest\n"
        "        pytest.skip('not offered by cozepy 9.9.9: the value')\n"
    )
    return scratch, tests / "test_m.py"


@pytest.mark.timeout(120)  # four pytest runs in forked children
def test_run_one_forks_pytest_on_the_scratch_copy(tmp_path: Path) -> None:
    """Given a scratch package and a test reading it, unchanged, mutated, and made to hang,
    When each runs in a forked child,
    Then the child sees the scratch copy: it passes, fails naming the test, and is killed at the deadline."""
    scratch, test = tiny_project(tmp_path, "tinypkg")
    args = [
        str(test),
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "--no-cov",
        "-c",
        str(test.parent / "pytest.ini"),
    ]

    passed = worker.run_one(scratch, [*args, "-k", "value"], timeout=30)
    with worker.mutated(scratch / "tinypkg" / "m.py", "VALUE = 2\n"):
        failed = worker.run_one(scratch, [*args, "-k", "value"], timeout=30)
    with worker.mutated(scratch / "tinypkg" / "m.py", "VALUE = 3\n"):
        hung = worker.run_one(scratch, [*args, "-k", "hang", "-p", "no:timeout"], timeout=1)
    with worker.mutated(scratch / "tinypkg" / "m.py", "VALUE = 4\n"):
        lost = worker.run_one(scratch, [*args, "-k", "offered"], timeout=30)

    assert (passed.exit, passed.failed, passed.timed_out) == (0, None, False)
    assert (failed.exit, failed.failed, failed.message) == (1, f"{test.name}::test_value", "E       assert 2 == 1")
    assert (hung.exit, hung.timed_out, hung.message) == (-1, True, "killed after 1 s")
    assert (lost.exit, lost.not_offered, passed.not_offered) == (0, (f"{test.name}::test_offered",), ())


def test_run_one_child_without_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a child that dies before it reports,
    When the worker waits for it,
    Then the result says so."""
    monkeypatch.setattr(worker, "_child", lambda scratch, args, write: os._exit(0))

    result = worker.run_one(tmp_path, [], timeout=30)

    assert (result.exit, result.message) == (-1, "the child died without a result")


def test_serve_answers_each_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given two jobs (one blank line between) for a scratch package,
    When the worker serves them,
    Then each runs with its file mutated and gets one JSON result line."""
    scratch, _ = tiny_project(tmp_path)
    seen: list[tuple[str, list[str], float]] = []

    def fake_run_one(scratch: Path, args: list[str], timeout: float) -> worker.Result:
        seen.append(((scratch / "cozepy" / "m.py").read_text(), args[:1], timeout))
        return worker.Result(0, None, "", False, 0.1)

    monkeypatch.setattr(worker, "run_one", fake_run_one)
    out = io.StringIO()
    jobs = [
        json.dumps({"file": "m.py", "source": "VALUE = 2\n", "tests": ["t.py"], "timeout": 3}),
        "",
        json.dumps({"file": "m.py", "source": None, "tests": ["u.py"], "timeout": 4}),
    ]

    worker.serve(scratch, 1.0, jobs, out)

    assert seen == [("VALUE = 2\n", ["t.py"], 3.0), ("VALUE = 1\n", ["u.py"], 4.0)]
    assert [json.loads(line)["exit"] for line in out.getvalue().splitlines()] == [0, 0]


def test_pytest_args() -> None:
    """Given tests and a per-test timeout,
    When the child's arguments are built,
    Then they stop at the first failure, keep the order, skip the cache and coverage, and set the timeout."""
    assert worker.pytest_args(["tests/us1_setup"], 2.0) == [
        "tests/us1_setup", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-x", "-q",
        "-p", "no:randomly", "-p", "no:cacheprovider", "--no-cov", "-o", "timeout=2",
    ]  # fmt: skip


def test_worker_main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Given a scratch folder and an input without jobs,
    When the worker's main runs,
    Then it preloads, says what it could not preload, and serves until the input ends."""
    scratch, _ = tiny_project(tmp_path)
    monkeypatch.setattr(worker, "preload", lambda modules: ["missing_module"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    assert worker.main([str(scratch), "--test-timeout=1"]) == 0
    assert "not preloaded (a child imports them if it can): missing_module" in capsys.readouterr().err


# -- the pool and the runner ---------------------------------------------------------------------------


class FakeProcess:
    """A worker process answering each job line with a canned result line."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.stdin = io.StringIO()
        self.stdout = self
        self.closed = False
        self.pid = 1

    def readline(self) -> str:
        return self.answers.pop(0) if self.answers else ""

    def poll(self) -> int:
        return 3

    def close(self) -> None:
        self.closed = True

    def wait(self) -> int:
        return 0


def fake_pool(*processes: FakeProcess) -> machine.Pool:
    pool = machine.Pool.__new__(machine.Pool)
    pool.processes = list(processes)  # type: ignore[arg-type]
    return pool


def test_pool_runs_jobs_in_order_until_the_deadline() -> None:
    """Given a pool of one worker,
    When jobs run, then jobs run with a deadline already passed, then a worker that exits,
    Then results come back in order, none once the deadline has passed, and an exited worker is an error."""
    answer = json.dumps({"exit": 1, "failed": "t::a", "message": "E x", "timed_out": False, "seconds": 0.2})
    job = machine.Job("m.py", "X = 2\n", ("t.py",), 5)

    results = fake_pool(FakeProcess([answer, answer])).run([job, job])
    late = fake_pool(FakeProcess([answer])).run([job], deadline=time.monotonic() - 1)

    assert results == [machine.Result(1, "t::a", "E x", False, 0.2)] * 2
    assert late == [None]
    with pytest.raises(RuntimeError, match="mutation worker 1 exited"):
        fake_pool(FakeProcess([])).run([job])
    fake_pool(FakeProcess([])).close()


@pytest.mark.timeout(120)  # a worker process preloading pytest's plugins, then one pytest run
def test_pool_with_a_real_worker(tmp_path: Path) -> None:
    """Given a real worker on a tiny package and a test reading it,
    When the package is mutated so that the test fails,
    Then the pool reports the failing test."""
    scratch, test = tiny_project(tmp_path)
    pool = machine.Pool(scratch / "cozepy", tmp_path / "workers", 1, 5, [test])
    try:
        (result,) = pool.run(
            [machine.Job("m.py", "VALUE = 2\n", (str(test), "-c", str(test.parent / "pytest.ini")), 60)]
        )
    finally:
        pool.close()

    assert (result.exit if result else None, result.failed if result else None) == (1, f"{test.name}::test_value")


class RunnerFakes:
    """Stand-ins for the runner's scratch copies, baseline, coverage and workers."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        baseline_code: int = 0,
        exit_of: dict[str, int] | None = None,
        not_offered_of: dict[str, tuple[str, ...]] | None = None,
        baseline_not_offered: Sequence[str] = (),
    ) -> None:
        self.jobs: list[machine.Job] = []
        exits = exit_of or {}
        skips = not_offered_of or {}
        fakes = self

        class Pool:
            def __init__(self, *args: object) -> None:
                pass

            def run(self, jobs: Sequence[machine.Job], deadline: float | None = None) -> list[machine.Result | None]:
                fakes.jobs.extend(jobs)
                results: list[machine.Result | None] = []
                for job in jobs:
                    code = next((c for text, c in exits.items() if text in (job.source or "")), 0)
                    skipped = next((s for text, s in skips.items() if text in (job.source or "")), ())
                    results.append(
                        machine.Result(code, "tests/x.py::test_y" if code else None, "E boom", False, 0.1, skipped)
                    )
                return results

            def close(self) -> None:
                pass

        def prepare(source: Path, folder: Path) -> Path:
            (folder / "cozepy").mkdir(parents=True)
            return folder

        monkeypatch.setattr(machine, "Pool", Pool)
        monkeypatch.setattr(machine, "prepare_scratch", prepare)

        def baseline(scratch: Path, stories: Sequence[str], data: Path) -> subprocess.CompletedProcess[str]:
            machine.not_offered_file(data).write_text(json.dumps(list(baseline_not_offered)))
            return subprocess.CompletedProcess([], baseline_code, "out", "err")

        monkeypatch.setattr(machine, "baseline", baseline)
        monkeypatch.setattr(machine.Coverage, "read", classmethod(lambda cls, data, package: cls(self.coverage)))
        self.coverage: dict[str, dict[int, frozenset[str]]] = {}


def test_run_main_reports_and_fails_on_a_missed_mutation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a clean baseline, one hand-written mutation the stories catch and one they miss,
    When the runner runs the hand-written set,
    Then it prints the table, writes it as Markdown, and exits 1 naming the missed one."""
    caught = Mutation("m-caught", "US1", "caught", "config.py", "https://api.coze.com", "https://caught")
    missed = Mutation("m-missed", "US1", "missed", "config.py", "https://api.coze.cn", "https://missed")
    monkeypatch.setattr(run, "all_mutations", lambda: (caught, missed))
    fakes = RunnerFakes(monkeypatch, exit_of={"https://caught": 1})
    markdown = tmp_path / "mutation.md"

    code = run.main(["tests/us1_setup", "--jobs=1", "--set=hand", f"--markdown={markdown}"])

    captured = capsys.readouterr()
    assert code == 1
    assert "1 of 2 regressions caught" in captured.out
    assert "MISSED: m-missed: missed: every story passed" in captured.err
    assert markdown.read_text().splitlines()[6] == "| `m-caught` | US1 | caught | `tests/x.py::test_y` |"
    assert [job.tests for job in fakes.jobs] == [("tests/us1_setup",)] * 2


def test_run_main_runs_a_hand_written_mutation_with_the_tests_of_its_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given coverage saying which tests execute the lines of config.py,
    When the runner runs US1's hand-written mutations of a line run by two tests, of a line run at
    import, and of a line no test runs (one the stories miss), then again with --every-story,
    Then the first runs those two tests, the others US1's folder, the missed one again with every
    story; with --every-story, each runs every story once."""
    package = tmp_path / "cozepy"
    package.mkdir()
    (package / "config.py").write_text("A = 1\ndef f():\n    return 'x'\ndef g():\n    return 'y'\n")
    mutations = (
        Mutation("m-body", "US1", "body", "config.py", "return 'x'", "return 'z'"),
        Mutation("m-import", "US1", "import", "config.py", "A = 1", "A = 2"),
        Mutation("m-never", "US1", "never", "config.py", "return 'y'", "return 'w'"),
    )
    monkeypatch.setattr(run, "all_mutations", lambda: mutations)
    monkeypatch.setattr(run, "installed_cozepy", lambda: package)
    fakes = RunnerFakes(monkeypatch, exit_of={"'z'": 1, "A = 2": 1})
    fakes.coverage = {"config.py": {1: frozenset({""}), 3: frozenset({"t.py::b", "t.py::a"})}}
    stories = ["tests/us1_setup", "tests/us2_client"]

    assert run.main([*stories, "--jobs=1", "--set=hand"]) == 1
    first = [job.tests for job in fakes.jobs]
    fakes.jobs.clear()
    assert run.main([*stories, "--jobs=1", "--set=hand", "--every-story"]) == 1

    assert "MISSED: m-never" in capsys.readouterr().err
    own, every = ("tests/us1_setup",), tuple(stories)
    assert first == [("t.py::a", "t.py::b"), own, own, every]
    assert [job.tests for job in fakes.jobs] == [every] * 3


def test_run_main_stops_when_the_baseline_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given stories that fail against an unmodified copy,
    When the runner starts,
    Then it stops with exit code 2 before running any mutant."""
    fakes = RunnerFakes(monkeypatch, baseline_code=1)
    monkeypatch.setattr(run, "all_mutations", lambda: ())

    assert run.main(["tests/us1_setup", "--set=hand"]) == 2
    assert "the stories fail against an unmodified copy of cozepy" in capsys.readouterr().err
    assert fakes.jobs == []


def test_run_main_stops_on_a_mutation_that_does_not_apply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a mutation whose text is not in the installed cozepy,
    When the runner starts,
    Then it stops with exit code 2 naming it, before running anything."""
    monkeypatch.setattr(run, "all_mutations", lambda: (Mutation("m", "US1", "x", "config.py", "no such text", "b"),))

    assert run.main(["tests/us1_setup"]) == 2
    assert "m: the text to replace occurs 0 times in cozepy/config.py" in capsys.readouterr().err


def fake_cozepy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    package = tmp_path / "cozepy"
    package.mkdir()
    (package / "coze.py").write_text(body)
    monkeypatch.setattr(run, "installed_cozepy", lambda: package)
    return package


def test_run_main_machine_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a tiny cozepy whose function the stories execute, a mutant they kill and one that survives,
    When the runner runs the machine-made set,
    Then it exits 0, and the Markdown counts them and shows the survivor's diff."""
    fake_cozepy(tmp_path, monkeypatch, "def f(a):\n    return a == 1\n")
    fakes = RunnerFakes(monkeypatch, exit_of={"a != 1": 1, "pass": 1})
    fakes.coverage = {"coze.py": {2: frozenset({"tests/t.py::test_f"})}}
    markdown = tmp_path / "mutation.md"

    code = run.main(["tests/us1_setup", "--set=machine", "--module=coze.py", "--seed=1", f"--markdown={markdown}"])

    text = markdown.read_text()
    assert code == 0
    assert "| killed | 2 |" in text
    assert "| survived | 1 |" in text
    assert "- `coze.py:2` constant: 1 -> 2 (ran 1 covering tests; id `coze.py:2:16:constant:1 -> 2`)" in text
    assert "  +    return a == 2" in text
    assert {job.tests for job in fakes.jobs} == {("tests/t.py::test_f",)}
    assert "## Machine-made mutants" in capsys.readouterr().out


def test_run_main_counts_lost_capabilities(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a baseline that skips one test as not offered, a hand-written mutation and a machine-made
    mutant under which no story fails but another test is skipped as not offered,
    When the runner runs both sets,
    Then the mutation is caught and the mutant detected, each as a lost capability."""
    fake_cozepy(tmp_path, monkeypatch, "FOLDER = 'folder_id'\n")
    probe = Mutation("m-probe", "US3", "probe", "coze.py", "'folder_id'", "'folder'")
    monkeypatch.setattr(run, "all_mutations", lambda: (probe,))
    lost = ("tests/t.py::test_folder", "tests/t.py::test_log_listing")
    fakes = RunnerFakes(
        monkeypatch,
        not_offered_of={"'folder'": lost, "XXfolder_idXX": lost},
        baseline_not_offered=["tests/t.py::test_log_listing"],
    )
    fakes.coverage = {"coze.py": {1: frozenset({""})}}

    code = run.main(["tests/us3_bots", "--set=both", "--module=coze.py"])

    out = capsys.readouterr().out
    assert code == 0
    assert "| `m-probe` | US3 | probe | `lost capability: tests/t.py::test_folder skipped as not offered` |" in out
    assert "| lost capability | 1 |" in out
    assert "**Score: 1 of 1 mutants that change behaviour detected (100.0 %)**" in out


@pytest.mark.parametrize(
    ("body", "arguments", "message"),
    [
        ("def (:\n", ["--module=coze.py"], "the mutant generator failed: cozepy/coze.py does not parse"),
        ("x = 1\n", [], "no in-scope module given (--module)"),
    ],
    ids=["does-not-parse", "no-module"],
)
def test_run_main_stops_when_the_generator_cannot_run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    body: str,
    arguments: list[str],
    message: str,
) -> None:
    """Given an in-scope file that does not parse, or no in-scope module,
    When the runner starts the machine-made set,
    Then it stops with exit code 2 saying why."""
    fake_cozepy(tmp_path, monkeypatch, body)

    assert run.main(["tests/us1_setup", "--set=machine", *arguments]) == 2
    assert message in capsys.readouterr().err


def test_run_main_stops_when_a_drawn_mutant_fails_its_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Given a generator whose mutant does not stand for its change,
    When the runner checks the drawn mutants,
    Then it stops with exit code 2 naming the failure."""
    fake_cozepy(tmp_path, monkeypatch, "x = 1\n")
    RunnerFakes(monkeypatch).coverage = {"coze.py": {1: frozenset({""})}}

    def broken(*args: object) -> list[machine.Outcome]:
        raise GeneratorError("coze.py:1:4:constant:1 -> 2: the text edit does not make the AST change it stands for")

    monkeypatch.setattr(machine, "run", broken)

    assert run.main(["tests/us1_setup", "--set=machine", "--module=coze.py"]) == 2
    assert "the mutant generator failed: coze.py:1:4" in capsys.readouterr().err


def test_baseline_records_coverage_contexts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a scratch copy,
    When the baseline runs,
    Then pytest runs the stories with the copy first on PYTHONPATH, test contexts, and its own data file."""
    seen: dict[str, Any] = {}

    def fake_run(command: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen.update(command=command[1:], path=env["PYTHONPATH"].split(os.pathsep)[0], data=env["COVERAGE_FILE"])
        seen.update(not_offered=env[offered.ENV])
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)

    machine.baseline(tmp_path, ["tests/us1_setup"], tmp_path / ".coverage")

    assert seen == {
        "command": ["-m", "pytest", "tests/us1_setup", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                    "-p", "coze_compat.mutations.offered", "--cov=cozepy", "--cov-context=test", "--cov-report="],
        "path": str(tmp_path),
        "data": str(tmp_path / ".coverage"),
        "not_offered": str(tmp_path / ".coverage.not-offered.json"),
    }  # fmt: skip


def test_recorder_keeps_an_internal_error_and_last_lines() -> None:
    """Given pytest's internal error, and pytest output ending in an error,
    When the child reports them,
    Then the message is the error's last line, and the output's last lines."""
    recorder = worker._Recorder()
    recorder.pytest_internalerror("Traceback\n  File x\nKeyError: 'k'\n", None)

    assert recorder.message == "INTERNALERROR KeyError: 'k'"
    assert worker.last_lines("a\n\nImportError while loading conftest\nE   SyntaxError: x\n", count=2) == (
        "ImportError while loading conftest / E   SyntaxError: x"
    )


def test_check_refuses_a_mutant_that_warns_at_compile_time() -> None:
    """Given a mutant comparing a string literal with `is` (a SyntaxWarning, so an error under -W error),
    When it is checked,
    Then GeneratorError says it does not compile."""
    source = b"x = a is None\n"
    (mutant,) = generate.generate("m.py", source)
    literal = dataclasses.replace(mutant, edits=(Edit(9, 13, "''"),))

    with pytest.raises(GeneratorError, match="does not compile"):
        generate.Checker({"m.py": source}).check(literal)
