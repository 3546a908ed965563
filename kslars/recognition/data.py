"""One signed sentence as the recognition toolkit sees it: a pose sequence, its glosses, who signed it."""

from __future__ import annotations

from dataclasses import dataclass, field

from kslars.engine.segmentation.features import Skeleton


@dataclass
class Sample:
    """A signed sentence: 2D body and hands over time, the gloss sequence, the signer and free metadata.

    ``metadata`` holds what a corpus knows beside the glosses, as strings: "translation", "sentence" (the id
    of the sentence text, shared by all signers of it), "source" (the corpus), "age" (the signer's age group).
    """

    id: str
    skeleton: Skeleton
    glosses: list[str]
    signer: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Length of the sentence in seconds."""
        return len(self.skeleton) / self.skeleton.fps if self.skeleton.fps else 0.0
