"""What the corpus tests share: the real DGS transcripts and an EAF writer for small generated tiers."""

from __future__ import annotations

from pathlib import Path

from kslars import formats
from kslars.document import Annotation, Document, MediaDescriptor, Tier, TierType
from tests.conftest import shared_file

DGS = "Shogun6855__signlanguage-german-text2sign/dataset"
DGS_FILES = [
    "1413451-11105600-11163240.eaf",
    "1413683.eaf",
    "1413703.eaf",
    "1414123.eaf",
    "1418836-15524810-15550340.eaf",
]
RIGHT, LEFT = "Lexem_Gebärde_r_{}", "Lexem_Gebärde_l_{}"


def dgs_file(name: str) -> Path:
    """One of the five DGS-Korpus transcripts in ../shared/data."""
    return shared_file(f"{DGS}/{name}")


def write_eaf(
    path: Path, tiers: dict[str, list[tuple[int, int, str]]], media: list[MediaDescriptor] | None = None
) -> Path:
    """An EAF file at ``path`` with top-level tiers of (start_ms, end_ms, value) annotations."""
    counter = iter(range(1, 10**6))
    doc = Document(
        media=media or [],
        tier_types=[TierType("default")],
        tiers=[
            Tier(name, "default", annotations=[Annotation(f"a{next(counter)}", v, s, e) for s, e, v in spans])
            for name, spans in tiers.items()
        ],
    )
    formats.write(doc, path)
    return path
