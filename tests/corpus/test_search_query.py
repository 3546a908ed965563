"""The corpus search's query checks: modes, limits, regular expressions under a time budget, prefix ranges."""

from __future__ import annotations

import time

import pytest

from kslars.corpus import search_query
from kslars.corpus.search_query import Mode, QueryError, make_query, matching_values, prefix_upper_bound


def test_a_query_keeps_its_mode_and_filters():
    query = make_query("ДОМ", "prefix", tier="Gloss", project_id=3, signer="S01")
    assert (query.mode, query.tier, query.project_id, query.signer) == (Mode.PREFIX, "Gloss", 3, "S01")
    assert make_query("x", tier="", signer="").tier is None


@pytest.mark.parametrize(
    ("text", "mode", "kind"),
    [("", "exact", "empty"), ("x" * 201, "exact", "too_long"), ("x", "fuzzy", "mode"), ("(ab", "regex", "invalid")],
)
def test_queries_that_cannot_run_are_refused_with_their_kind(text, mode, kind):
    with pytest.raises(QueryError) as refused:
        make_query(text, mode)
    assert refused.value.kind == kind


def test_a_regular_expression_is_searched_anywhere_in_each_distinct_value():
    values = ["HOUSE", "HOUSE2", "MY-HOUSE", "house", "ДОМ"]
    assert matching_values(r"^HOUSE\d?$", values) == ["HOUSE", "HOUSE2"]
    assert matching_values("HOUSE", values) == ["HOUSE", "HOUSE2", "MY-HOUSE"]
    assert matching_values("(?i)house$", values) == ["HOUSE", "MY-HOUSE", "house"]
    assert matching_values("^до", ["ДОМ", "дом"]) == ["дом"]


def test_matches_never_span_two_values_and_each_value_is_one_string():
    values = ["xA", "By", "one\ntwo", ""]
    assert matching_values("A\\nB", values) == [] and matching_values("(?s)A.B", values) == []
    assert matching_values("^two", values) == [] and matching_values("(?m)^two", values) == ["one\ntwo"]
    assert matching_values("^$", values) == [""] and matching_values("x", []) == []
    assert matching_values("y$", values) == ["By"]


def test_too_many_matched_values_are_refused(monkeypatch):
    monkeypatch.setattr(search_query, "MAX_MATCHED_VALUES", 3)
    assert len(matching_values("^v", ["v1", "v2", "v3"])) == 3
    with pytest.raises(QueryError) as refused:
        matching_values("^v", ["v1", "v2", "v3", "v4"])
    assert refused.value.kind == "too_many"


def test_a_catastrophic_regular_expression_is_stopped_by_the_time_budget():
    values = ["a" * 28 + "!", "b" * 30]
    start = time.monotonic()
    with pytest.raises(QueryError) as refused:
        matching_values(r"(a|aa)+$", values, seconds=0.2)
    assert refused.value.kind == "too_slow"
    assert time.monotonic() - start < 2  # the pattern alone would run for minutes


def test_the_budget_covers_all_values_together(monkeypatch):
    monkeypatch.setattr(search_query, "REGEX_SECONDS", 0.0)
    with pytest.raises(QueryError):
        matching_values("x", ["x"] * 10)


def test_the_prefix_bound_is_just_above_every_string_with_the_prefix():
    bound = prefix_upper_bound("ДО")
    assert bound == "ДП"
    assert all("ДО" <= s < bound for s in ["ДО", "ДОМ", "ДО\U0010ffff"])
    assert not "ДП" < bound
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\U0010ffff") is None
    assert prefix_upper_bound("\ud7ff") == "\ue000"
