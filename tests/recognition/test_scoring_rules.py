"""The official RWTH-PHOENIX-Weather 2014 clean-up rules, one by one, on examples and on the real ground truth."""

from __future__ import annotations

import pytest

from kslars.recognition.scoring.phoenix_rules import CLEAN_UP_RULES, clean_phoenix_2014, keep_glosses
from kslars.recognition.scoring.transcripts import read_stm
from tests.conftest import shared_file

PHOENIX_2014_DEV = "VIPL-SLP__VAC_CSLR/evaluation/slr_eval/phoenix2014-groundtruth-dev.stm"


EXAMPLES = [
    # prefixes, variants and typos
    ("loc-REGION REGEN", "REGION REGEN"),
    ("cl-KOMMEN", "KOMMEN"),
    ("qu-WAS", "WAS"),
    ("poss-EUCH GUT", "EUCH GUT"),
    ("lh-HOCH", "HOCH"),
    ("S0NNE", "SONNE"),
    ("HABEN2 NICHT", "HABEN NICHT"),
    ("loc-HABEN2-PLUSPLUS", "HABEN"),
    # markers are dropped, except __ON__ and __OFF__
    ("__EMOTION__ REGEN", "REGEN"),
    ("REGEN __PU__", "REGEN"),
    ("__LEFTHAND__ WIND", "WIND"),
    ("WIND __EPENTHESIS__ SONNE", "WIND SONNE"),
    ("__ON__ REGEN __OFF__", "__ON__ REGEN __OFF__"),
    # split compounds
    ("WIE AUSSEHEN MORGEN", "WIE-AUSSEHEN MORGEN"),
    ("ZEIGEN WETTER", "ZEIGEN-BILDSCHIRM WETTER"),
    ("WETTER ZEIGEN", "WETTER ZEIGEN-BILDSCHIRM"),
    ("ZEIGEN-BILDSCHIRM WETTER", "ZEIGEN-BILDSCHIRM WETTER"),
    # spelled letters are joined with +
    ("S H VOR POMMERN", "S+H VOR POMMERN"),  # at the start
    ("IN K U N A REGEN", "IN K+U+N+A REGEN"),  # inside: the pair rule, then three passes of the join rule
    ("REGEN E R Z", "REGEN E+R+Z"),  # at the end
    ("NACH SCH W E R I N", "NACH SCH+W+E+R+I+N"),  # the spelled SCH
    ("IN A NN A REGEN", "IN A+NN+A REGEN"),  # the spelled NN
    ("A REGEN", "A REGEN"),  # a letter alone stays
    # suffixes and repetitions
    ("WALDRAUM REGEN", "WALD REGEN"),
    ("RAUM", "RAUM"),  # needs two capitals before it
    ("REGEN-PLUSPLUS", "REGEN"),
    ("REGEN REGEN WIND", "REGEN WIND"),
    (" ".join(["REGEN"] * 16), "REGEN"),  # four passes, each halving a run
    (" ".join(["REGEN"] * 17), "REGEN REGEN"),
    ("NICHT-VIEL NICHT-VIEL", "NICHT-VIEL NICHT-VIEL"),  # hyphenated glosses are not merged
    ("REGEN1 REGEN1", "REGEN1 REGEN1"),  # nor glosses with digits
    # the rules are ASCII: other scripts pass through
    ("ПРИВЕТ ПРИВЕТ КАК ДЕЛА", "ПРИВЕТ ПРИВЕТ КАК ДЕЛА"),
]


@pytest.mark.parametrize(("raw", "expected"), EXAMPLES)
def test_each_rule_on_an_example(raw: str, expected: str) -> None:
    assert " ".join(clean_phoenix_2014(raw.split())) == expected


def test_rules_none_keeps_everything() -> None:
    glosses = ["loc-REGION", "REGEN", "REGEN", "__PU__"]
    assert keep_glosses(glosses) == glosses
    assert set(CLEAN_UP_RULES) == {"phoenix2014", "none"}


def test_the_released_ground_truth_is_cleaned_as_the_official_rules_say() -> None:
    references = read_stm(shared_file(PHOENIX_2014_DEV))
    cleaned = {key: clean_phoenix_2014(sentence.glosses) for key, sentence in references.items()}
    changed = {key: " ".join(glosses) for key, glosses in cleaned.items() if glosses != list(references[key].glosses)}
    # the one dev sentence with a repeated gloss of capitals
    assert changed == {
        "22April_2010_Thursday_heute_default-9": "MORGEN SONNE UEBERALL KUESTE REGION WOLKE MOEGLICH REGEN NICHT-VIEL"
    }
    # __ON__ and __OFF__ stay, and a second pass changes nothing
    assert sum(glosses.count("__ON__") for glosses in cleaned.values()) == 246
    assert all(clean_phoenix_2014(glosses) == glosses for glosses in cleaned.values())
