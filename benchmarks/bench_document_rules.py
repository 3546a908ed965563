"""Time of checking a whole document against kslars.document_rules, for n and 4n annotations.

The documents are made up alike at each size: a Gloss tier, a Time_Subdivision tier splitting each gloss in two, an
Included_In tier with one annotation in each gloss, a Symbolic_Association tier with a note on every other gloss,
and a handshape tier with vocabulary values (the KRSL "HamNoSys handshapes" vocabulary). The ratio of the two times
is about 4 when the check is linear (n log n: a little more); a quadratic check would give 16.

    .venv/bin/python benchmarks/bench_document_rules.py [--annotations 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kslars.document import Annotation, Constraint, Document, Tier, TierType  # noqa: E402
from kslars.document_rules import check_document  # noqa: E402
from kslars.krsl import default_document  # noqa: E402


def document(annotations: int) -> Document:
    """A valid document with about ``annotations`` annotations (see the module's docstring)."""
    glosses = annotations // 5
    doc = default_document()
    doc.tier_types += [
        TierType("parts", Constraint.TIME_SUBDIVISION),
        TierType("inside", Constraint.INCLUDED_IN),
        TierType("note", Constraint.SYMBOLIC_ASSOCIATION),
    ]
    hand = doc.tier("Right handshape")
    entries = doc.vocabulary(doc.tier_type(hand.type).vocabulary).entries
    number = iter(range(1, 10 * annotations))
    key = lambda: f"a{next(number)}"  # noqa: E731
    gloss = [Annotation(key(), f"G{i}", i * 1000, i * 1000 + 800) for i in range(glosses)]
    doc.tier("Gloss").annotations = gloss
    parts = [Annotation(key(), "p", a.start_ms + 400 * k, a.start_ms + 400 * (k + 1)) for a in gloss for k in range(2)]
    inside = [Annotation(key(), "i", a.start_ms + 100, a.start_ms + 300) for a in gloss]
    notes = [Annotation(key(), "n", parent=a.id) for a in gloss[::2]]
    hand.annotations = [
        Annotation(key(), e.value, a.start_ms, a.start_ms + 500, cv_entry=e.id)
        for a, e in zip(gloss[::2], entries * (glosses // len(entries) + 1), strict=False)
    ]
    doc.tiers += [
        Tier("Parts", "parts", parent="Gloss", annotations=parts),
        Tier("Inside", "inside", parent="Gloss", annotations=inside),
        Tier("Notes", "note", parent="Gloss", annotations=notes),
    ]
    return doc


def seconds(doc: Document, repeat: int, frozen: bool) -> float:
    """Median seconds of ``check_document(doc)``; ``frozen``: with the document's objects kept out of the garbage
    collector's scans (``gc.freeze``), which otherwise grow with everything the process holds."""
    times = []
    gc.collect()
    if frozen:
        gc.freeze()
    for _ in range(repeat):
        start = time.perf_counter()
        check_document(doc)
        times.append(time.perf_counter() - start)
    gc.unfreeze()
    return statistics.median(times)


def main() -> None:
    """Print the check's time for n and 4n annotations and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=50_000, help="n")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for frozen in (False, True):
        print("garbage collector: " + ("document frozen (gc.freeze)" if frozen else "as it is"))
        results = {}
        for n in (args.annotations, 4 * args.annotations):
            doc = document(n)
            count = sum(len(t.annotations) for t in doc.tiers)
            results[n] = seconds(doc, args.repeat, frozen)
            print(f"{count:>11,} annotations: {results[n] * 1000:8.1f} ms ({results[n] / count * 1e6:.2f} µs each)")
            del doc
        ratio = results[4 * args.annotations] / results[args.annotations]
        print(f"  ratio 4n / n: {ratio:.2f} (linear: 4; quadratic: 16)")


if __name__ == "__main__":
    main()
