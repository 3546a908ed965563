"""Reading and writing the larger DGS Corpus EAF (about 3,600 annotations): K-SLARS against pympi-ling.

Both libraries read and write the same file in the same run, alternating; the script prints the
best-of-N time of each and the ratio (pympi-ling time / K-SLARS time; the goal is at least 2x). Times
are CPU time of this process by default, which other work on a shared machine disturbs less than
wall-clock time (``--wall`` measures wall-clock time instead).

    .venv/bin/python benchmarks/bench_eaf.py [--repeat 30] [--wall] [PATH.eaf]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
DEFAULT = SHARED / "Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf"


def best_ms(ours: Callable[[], object], theirs: Callable[[], object], repeat: int, clock: Callable[[], float]) -> tuple[float, float]:
    """The fastest of ``repeat`` alternating runs of each function, in milliseconds."""
    ours(), theirs()  # warm-up
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((ours, theirs)):
            start = clock()
            fn()
            best[i] = min(best[i], clock() - start)
    return best[0] * 1000, best[1] * 1000


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--wall", action="store_true", help="measure wall-clock time instead of CPU time")
    args = parser.parse_args()

    import pympi

    from kslars import formats

    path: Path = args.path
    doc = formats.read(path)
    eaf = pympi.Elan.Eaf(str(path))
    n = sum(len(t.annotations) for t in doc.tiers)
    clock = time.perf_counter if args.wall else time.process_time
    with tempfile.TemporaryDirectory() as tmp:
        ours_out, theirs_out = Path(tmp) / "k.eaf", Path(tmp) / "p.eaf"
        rows = [
            ("read", *best_ms(lambda: formats.read(path), lambda: pympi.Elan.Eaf(str(path)), args.repeat, clock)),
            ("write", *best_ms(lambda: formats.write(doc, ours_out), lambda: pympi.Elan.to_eaf(str(theirs_out), eaf), args.repeat, clock)),
        ]
    rows.append(("read+write", rows[0][1] + rows[1][1], rows[0][2] + rows[1][2]))
    print(f"{path.name}: {len(doc.tiers)} tiers, {n} annotations, best of {args.repeat} ({'wall-clock' if args.wall else 'CPU'} time)")
    print(f"{'':12}{'K-SLARS ms':>12}{'pympi ms':>12}{'speed-up':>10}")
    for label, ours, theirs in rows:
        print(f"{label:12}{ours:12.2f}{theirs:12.2f}{theirs / ours:9.2f}x")


if __name__ == "__main__":
    main()
