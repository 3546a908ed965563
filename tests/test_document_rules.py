"""The fast import checks agree with Document.validate: on real files, and on many mutated copies of them."""

from __future__ import annotations

import copy
import random

import pytest

from kslars import formats
from kslars.document import Annotation, DocumentError
from kslars.web.annotation.import_checks import check_imported, own_or_inherited_times
from tests.conftest import shared_file

SAMPLE = "dopefishh__pympi/test/sample_3.0.eaf"
DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"


@pytest.fixture(scope="module")
def sample():
    return formats.read(shared_file(SAMPLE))


@pytest.fixture(scope="module")
def dgs():
    return formats.read(shared_file(DGS))


def outcome(check) -> str | None:
    try:
        check()
    except DocumentError as exc:
        return str(exc)
    return None


def test_real_files_pass(sample, dgs):
    for doc in (sample, dgs):
        check_imported(doc, [t.id for t in doc.tiers])


def test_inherited_times_match_times_of(sample):
    times = own_or_inherited_times(sample)
    for _, a in list(sample.annotations())[::37]:
        assert times[a.id] == sample.times_of(a)


def mutate(doc, rng: random.Random) -> None:
    """One random change of the kind a hand-edited file has: moved, stretched, duplicated or re-parented."""
    tier = rng.choice([t for t in doc.tiers if t.annotations])
    a = rng.choice(tier.annotations)
    kind = rng.choice(["shift", "stretch", "swap", "zero", "copy", "reparent", "negative"])
    if kind == "shift" and a.start_ms is not None and a.end_ms is not None:
        d = rng.choice([-2000, -300, -40, 40, 300, 2000])
        a.start_ms, a.end_ms = a.start_ms + d, a.end_ms + d
    elif kind == "stretch" and a.end_ms is not None:
        a.end_ms += rng.choice([40, 500, 5000])
    elif kind == "swap" and a.start_ms is not None and a.end_ms is not None:
        a.start_ms, a.end_ms = a.end_ms, a.start_ms
    elif kind == "zero" and a.start_ms is not None:
        a.end_ms = a.start_ms
    elif kind == "copy":
        tier.annotations.append(
            Annotation(
                id=a.id + "_copy", value=a.value, start_ms=a.start_ms, end_ms=a.end_ms, parent=a.parent, previous=None
            )
        )
    elif kind == "reparent" and a.parent is not None:
        siblings = [x for x in tier.annotations if x.parent is not None and x.parent != a.parent]
        if siblings:
            a.parent = rng.choice(siblings).parent
    elif kind == "negative" and a.start_ms is not None:
        a.start_ms = -a.start_ms - 1


@pytest.mark.parametrize("name", ["dgs", pytest.param("sample", marks=pytest.mark.slow)])
def test_mutated_documents_are_refused_exactly_when_validate_refuses_them(name, request):
    source = request.getfixturevalue(name)
    rng = random.Random(7)
    refused = 0
    rounds = 60 if name == "dgs" else 12  # validate itself is slow on the 8778 annotations of the sample
    for _ in range(rounds):
        doc = copy.deepcopy(source)
        mutate(doc, rng)
        expected = outcome(doc.validate)
        found = outcome(lambda: check_imported(doc, [t.id for t in doc.tiers]))
        assert (expected is None) == (found is None), (expected, found)
        refused += expected is not None
    assert refused > rounds // 4  # the mutations do break rules
