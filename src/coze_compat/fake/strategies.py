"""Hypothesis strategies for the service's replies, built from the wire format.

The property-based stories check that every valid answer of the service parses into what the
story needs: each reply object is described field by field from
``shared/reference/coze-wire-format.md`` (what the docs and real captures show: which fields are
always there, which the service may leave out or send as ``null``, which enums it may extend), and
``wire_object`` draws objects from that description. A release that fails on some valid answer is
a known break naming the field (``coze_compat.bugs``).

Every property test runs under the ``coze-compat`` settings profile, loaded by the pytest plugin:
derandomized (the same examples in every cell, on every machine), no shrinking, a fixed example budget
(``coze_compat_max_examples`` in pyproject.toml's pytest options), no example database, no
deadline (the machines are shared and noisy). A property test makes its own ``FakeCoze`` per
example (``with FakeCoze(token=TOKEN) as fake:``) rather than using the function-scoped
``coze_api`` fixture, so that examples share no state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

PROFILE = "coze-compat"
#: Used when pyproject.toml is not at hand (an installed plugin); the project's value is in pyproject.toml.
DEFAULT_MAX_EXAMPLES = 20


def register_profile(max_examples: int = DEFAULT_MAX_EXAMPLES) -> None:
    """Register and load the deterministic profile every cell runs the property tests with."""
    settings.register_profile(
        PROFILE,
        derandomize=True,
        max_examples=max_examples,
        # No shrinking: a known break fails on every example, and shrinking it cost seconds (up to the
        # test timeout) per test on the releases that have the bug; the failing example is printed as drawn.
        phases=(Phase.explicit, Phase.generate),
        report_multiple_bugs=False,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.load_profile(PROFILE)


#: An absent field, distinct from ``None`` (which is sent as ``null``).
ABSENT: Any = object()


@dataclass(frozen=True)
class Field:
    """One field of a reply object: its name, the values it takes, and whether the service may
    leave it out (``omittable``) or send ``null`` (``nullable``)."""

    name: str
    values: st.SearchStrategy[Any]
    omittable: bool = False
    nullable: bool = False


def field_value(spec: Field) -> st.SearchStrategy[Any]:
    """A value of ``spec`` as the service may send it, ``ABSENT`` when it may leave it out."""
    choices = [spec.values]
    if spec.nullable:
        choices.append(st.none())
    if spec.omittable:
        choices.append(st.just(ABSENT))
    return st.one_of(*choices) if len(choices) > 1 else spec.values


def wire_object(*fields: Field) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects with the given fields, each omittable field sometimes absent, each nullable one
    sometimes ``null``."""

    def build(values: tuple[Any, ...]) -> dict[str, Any]:
        return {spec.name: value for spec, value in zip(fields, values) if value is not ABSENT}

    return st.tuples(*(field_value(spec) for spec in fields)).map(build)


#: Ids in the service's 19-digit string form.
ids = st.integers(7_000_000_000_000_000_000, 7_999_999_999_999_999_999).map(str)
#: Unix timestamps in seconds, as the service sends them.
timestamps = st.integers(1_600_000_000, 1_900_000_000)
#: The characters texts are drawn from: ASCII, punctuation, CJK, accented and 4-byte characters,
#: JSON's special characters. A fixed alphabet, not ``st.characters()``: Hypothesis then needs no
#: Unicode category tables (a slow first use, and a rare internal assertion seen under load).
ALPHABET = "abcXYZ019 _-.,:;!?/\\\"'{}[]\n\t<>&年月日是星期二。你好éüß😀"
#: Text as users and bots write it, multi-byte included.
text = st.text(alphabet=ALPHABET, max_size=40)
#: Token counts.
counts = st.integers(0, 200_000)
#: String-to-string maps (``meta_data``, ``ext``).
string_maps = st.dictionaries(st.text(alphabet=ALPHABET, min_size=1, max_size=10), text, max_size=3)


def enum_values(known: tuple[str, ...], unknown: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """A server-controlled enum: the values the docs list, and (``unknown``) values a newer service
    sends that a release may not know."""
    return st.sampled_from((*known, *unknown))
