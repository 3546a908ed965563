"""The RWTH-PHOENIX-Weather 2014 clean-up of gloss sequences before scoring, rule by rule.

Source: the official evaluation script of the corpus, ``evaluatePhoenix2014.sh`` (shipped in
``phoenix-2014-multisigner/evaluation/``; the same ``sed``/``perl``/``grep`` chain is reproduced in
VIPL-SLP/VAC_CSLR ``evaluation/slr_eval/preprocess.sh`` and, as Python, in ``clean_phoenix_2014`` of
neccam/slt ``signjoey/phoenix_utils/phoenix_cleanup.py``). The rules below are its regular expressions in the
script's order; the comment on each quotes the command it comes from.

Two choices, both explained in docs/recognition/scoring.md:

- The rules run on a whole sentence (its glosses joined by single spaces), as ``clean_phoenix_2014`` does, so
  the rules that look across glosses (``WIE AUSSEHEN``, spelled letters, repetitions) see the sentence.
- They clean the ground truth as well as the hypothesis, as ``clean_phoenix_2014`` is used by the PHOENIX
  recognisers that score in Python: the released ground truth holds ``S H`` and ``SONNE SONNE``, which no cleaned
  hypothesis can match otherwise, so the ground truth scored against itself would not give 0.
  ``__ON__`` and ``__OFF__`` stay: the official script keeps them, and models trained on the corpus predict them.

``perl``'s ``\\w``, ``\\b`` and ``sed``'s ``[A-Z]`` work on ASCII bytes, hence ``re.ASCII`` throughout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One substitution of the official script: a regular expression and its replacement."""

    pattern: re.Pattern[str]
    replacement: str

    def apply(self, text: str) -> str:
        """``text`` with every non-overlapping match replaced, left to right (``sed s,..,..,g``)."""
        return self.pattern.sub(self.replacement, text)


def _rule(pattern: str, replacement: str) -> Rule:
    """A Rule compiled with ASCII semantics."""
    return Rule(re.compile(pattern, re.ASCII), replacement)


# perl -ne 's,(?<![\w-])(\b[A-Z]+(?![\w-])) \1(?![\w-]),\1,g;print;' (four times in the script)
# merges a gloss of capital letters repeated right after itself
_MERGE_REPETITION = _rule(r"(?<![\w-])(\b[A-Z]+(?![\w-])) \1(?![\w-])", r"\1")
# sed -e 's,\([ +][A-Z]\) \([A-Z][ +]\),\1+\2,g' (three separate sed calls in the script): joins two spelled
# letters inside a sentence
_JOIN_LETTERS = _rule(r"([ +][A-Z]) ([A-Z][ +])", r"\1+\2")

# what the script deletes, in its order: the locative, classifier, question, possessive and left-hand prefixes, and
# the emotion, palm-up and left-hand markers
_PREFIXES = ("loc-", "cl-", "qu-", "poss-", "lh-")
_MARKERS = ("__EMOTION__", "__PU__", "__LEFTHAND__")

PHOENIX_2014_RULES: tuple[Rule, ...] = (
    # sed -e 's,loc-,,g' -e 's,cl-,,g' -e 's,qu-,,g' -e 's,poss-,,g' -e 's,lh-,,g'
    *(_rule(prefix, "") for prefix in _PREFIXES),
    # -e 's,S0NNE,SONNE,g' -e 's,HABEN2,HABEN,g'
    _rule(r"S0NNE", "SONNE"),  # fix the typo S0NNE (digit zero)
    _rule(r"HABEN2", "HABEN"),  # merge the variant HABEN2 into HABEN
    # sed -e 's,__EMOTION__,,g' -e 's,__PU__,,g' -e 's,__LEFTHAND__,,g'
    *(_rule(marker, "") for marker in _MARKERS),
    # sed -e 's,WIE AUSSEHEN,WIE-AUSSEHEN,g' -e 's,ZEIGEN ,ZEIGEN-BILDSCHIRM ,g' -e 's,ZEIGEN$,ZEIGEN-BILDSCHIRM,'
    _rule(r"WIE AUSSEHEN", "WIE-AUSSEHEN"),  # join WIE AUSSEHEN into the gloss WIE-AUSSEHEN
    _rule(r"ZEIGEN ", "ZEIGEN-BILDSCHIRM "),  # ZEIGEN is ZEIGEN-BILDSCHIRM
    _rule(r"ZEIGEN$", "ZEIGEN-BILDSCHIRM"),  # ZEIGEN is ZEIGEN-BILDSCHIRM (at the end)
    # -e 's,^\([A-Z]\) \([A-Z][+ ]\),\1+\2,g' -e 's,[ +]\([A-Z]\) \([A-Z]\) , \1+\2 ,g'
    _rule(r"^([A-Z]) ([A-Z][+ ])", r"\1+\2"),  # join spelled letters at the start
    _rule(r"[ +]([A-Z]) ([A-Z]) ", r" \1+\2 "),  # join a pair of spelled letters
    _JOIN_LETTERS,
    _JOIN_LETTERS,
    _JOIN_LETTERS,
    # sed -e 's,\([ +]SCH\) \([A-Z][ +]\),\1+\2,g'
    _rule(r"([ +]SCH) ([A-Z][ +])", r"\1+\2"),  # join the spelled SCH with the next letter
    # sed -e 's,\([ +]NN\) \([A-Z][ +]\),\1+\2,g'
    _rule(r"([ +]NN) ([A-Z][ +])", r"\1+\2"),  # join the spelled NN with the next letter
    # sed -e 's,\([ +][A-Z]\) \(NN[ +]\),\1+\2,g'
    _rule(r"([ +][A-Z]) (NN[ +])", r"\1+\2"),  # join a letter with the spelled NN
    # sed -e 's,\([ +][A-Z]\) \([A-Z]\)$,\1+\2,g'
    _rule(r"([ +][A-Z]) ([A-Z])$", r"\1+\2"),  # join two spelled letters at the end
    # sed -e 's,\([A-Z][A-Z]\)RAUM,\1,g'
    _rule(r"([A-Z][A-Z])RAUM", r"\1"),  # drop the suffix RAUM (region) of a gloss
    # sed -e 's,-PLUSPLUS,,g'
    _rule(r"-PLUSPLUS", ""),  # drop the repetition suffix -PLUSPLUS
    _MERGE_REPETITION,
    _MERGE_REPETITION,
    _MERGE_REPETITION,
    _MERGE_REPETITION,
)

# grep -v "__LEFTHAND__" | grep -v "__EPENTHESIS__" | grep -v "__EMOTION__": a CTM line, one gloss, is dropped
DROPPED_GLOSS_MARKERS: tuple[str, ...] = ("__LEFTHAND__", "__EPENTHESIS__", "__EMOTION__")


def clean_phoenix_2014(glosses: Sequence[str]) -> list[str]:
    """The glosses of one sentence after the official PHOENIX-2014 rules, in the script's order."""
    text = " ".join(glosses)
    for rule in PHOENIX_2014_RULES:
        text = rule.apply(text)
    return [gloss for gloss in text.split() if not any(marker in gloss for marker in DROPPED_GLOSS_MARKERS)]


def keep_glosses(glosses: Sequence[str]) -> list[str]:
    """The glosses unchanged (``--rules none``: score exactly what the files say)."""
    return list(glosses)


CLEAN_UP_RULES = {"phoenix2014": clean_phoenix_2014, "none": keep_glosses}
