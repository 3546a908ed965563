"""The gloss vocabulary of a recognition model: gloss <-> class index, with the CTC blank at index 0."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

BLANK = "<blank>"


class GlossVocabulary:
    """Glosses in a fixed order; index 0 is the CTC blank, glosses follow from 1."""

    def __init__(self, glosses: Iterable[str]) -> None:
        self.glosses: list[str] = [BLANK] + sorted(set(glosses) - {BLANK})
        self.index = {gloss: i for i, gloss in enumerate(self.glosses)}

    @classmethod
    def from_list(cls, saved: Sequence[str]) -> GlossVocabulary:
        """The vocabulary saved by :meth:`to_list` (same order, same indices)."""
        if not saved or saved[0] != BLANK:
            raise ValueError("a saved gloss vocabulary starts with the blank")
        vocabulary = cls(())
        vocabulary.glosses = list(saved)
        vocabulary.index = {gloss: i for i, gloss in enumerate(saved)}
        return vocabulary

    def to_list(self) -> list[str]:
        """The glosses with the blank first, as saved in checkpoints."""
        return list(self.glosses)

    def __len__(self) -> int:
        return len(self.glosses)

    def encode(self, glosses: Sequence[str]) -> list[int]:
        """Class indices of ``glosses``; glosses the model never saw are left out."""
        return [self.index[g] for g in glosses if g in self.index]

    def decode(self, indices: Iterable[int]) -> list[str]:
        """Glosses of class indices (the blank is skipped)."""
        return [self.glosses[i] for i in indices if i != 0]
