"""Reading and writing the larger DGS Corpus EAF (about 3,600 annotations): K-SLARS against pympi-ling.

Both libraries read and write the same file in the same run, alternating; the script prints the
best-of-N time of each, the ratio (pympi-ling time / K-SLARS time; the goal is at least 2x) and, for a
sense of the noise, the median ratio. Times are CPU time of this process by default, which other work
on a shared machine disturbs less than wall-clock time (``--wall`` measures wall-clock time instead).

Equivalent work on both sides: reading goes from the path to each library's full in-memory form
(pympi-ling: its dictionaries of tiers, time slots and annotation tuples; K-SLARS: the typed Document,
with every reference checked); writing goes from that form to a pretty-printed EAF file on disk. The
script checks that both read the same number of annotations and that both written files hold them all.

    .venv/bin/python benchmarks/bench_eaf.py [--repeat 30] [--wall] [PATH.eaf]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
DEFAULT = SHARED / "Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf"


def times_ms(
    ours: Callable[[], object], theirs: Callable[[], object], repeat: int, clock: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """The times of ``repeat`` alternating runs of each function (after one warm-up run each), in milliseconds."""
    ours(), theirs()  # warm-up
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, times in ((ours, runs[0]), (theirs, runs[1])):
            start = clock()
            fn()
            times.append((clock() - start) * 1000)
    return runs


def pympi_annotations(eaf: object) -> int:
    """How many annotations (time-aligned and referring) a pympi-ling Eaf holds."""
    return sum(len(aligned) + len(referring) for aligned, referring, _, _ in eaf.tiers.values())  # type: ignore[attr-defined]


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
    if pympi_annotations(eaf) != n:
        raise SystemExit(
            f"the libraries read different files: K-SLARS {n} annotations, pympi-ling {pympi_annotations(eaf)}"
        )
    clock = time.perf_counter if args.wall else time.process_time
    with tempfile.TemporaryDirectory() as tmp:
        ours_out, theirs_out = Path(tmp) / "k.eaf", Path(tmp) / "p.eaf"
        read = times_ms(lambda: formats.read(path), lambda: pympi.Elan.Eaf(str(path)), args.repeat, clock)
        write = times_ms(
            lambda: formats.write(doc, ours_out), lambda: pympi.Elan.to_eaf(str(theirs_out), eaf), args.repeat, clock
        )
        written = {
            name: pympi_annotations(pympi.Elan.Eaf(str(out)))
            for name, out in (("K-SLARS", ours_out), ("pympi-ling", theirs_out))
        }
    if set(written.values()) != {n}:
        raise SystemExit(f"a written file lost annotations (read {n}): {written}")
    both = tuple([a + b for a, b in zip(r, w, strict=True)] for r, w in zip(read, write, strict=True))
    print(
        f"{path.name}: {len(doc.tiers)} tiers, {n} annotations, best of {args.repeat} ({'wall-clock' if args.wall else 'CPU'} time)"
    )
    print(f"{'':12}{'K-SLARS ms':>12}{'pympi ms':>12}{'speed-up':>10}{'median':>10}")
    for label, (ours, theirs) in (("read", read), ("write", write), ("read+write", both)):
        best_ours, best_theirs = min(ours), min(theirs)
        median = statistics.median(t / o for o, t in zip(ours, theirs, strict=True))
        print(f"{label:12}{best_ours:12.2f}{best_theirs:12.2f}{best_theirs / best_ours:9.2f}x{median:9.2f}x")


if __name__ == "__main__":
    main()
