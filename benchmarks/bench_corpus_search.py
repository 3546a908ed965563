"""Speed of SLAN's corpus-wide search on 100 projects of 10,000 annotations each (1,000,000 in all).

The corpus is made in an SQLite file database (the embedded database SLAN uses by default) in a temporary folder:
100 KRSL default projects, each with a signer on its tiers; per project 5,000 glosses drawn from 3,000 glosses
(Zipf-like, as words in a corpus are), 2,500 right and 1,500 left handshape classes, 1,000 translations with a
number in them; rows are inserted in bulk with executemany. The searching user owns half the projects and has
the other half shared as a viewer; a second user owns 20 more that must never show. Each typical query goes
through ``kslars.web.search.services.search`` (the count, which stops at 10,000, and the first page of 50,
as the API answers), run ``--repeat`` times; printed: p50 and p95 in ms and the number found. Baseline, in the
same run: Python reading every visible annotation's value and comparing it (what a search without the index and
the distinct-value regex costs), for the exact gloss query. Goal: p50 under 200 ms for every query. ``--data``
keeps the corpus in a folder and searches it again in later runs.

    .venv/bin/python benchmarks/bench_corpus_search.py [--projects 100] [--per-project 10000] [--repeat 20] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_annotation_edits import setup_django  # the web tool over a throw-away data folder, tables made

SIGNERS = 30
GLOSSES = 3000


def gloss_names(rng: random.Random) -> list[str]:
    """GLOSSES gloss names: Latin and Cyrillic words in capitals, some with a number (HOUSE, ДОМ2)."""
    syllables = ["KA", "TO", "MI", "RE", "SU", "NO", "LA", "BE", "ДО", "МА", "КА", "РЕ", "СУ", "НА"]
    names: set[str] = set()
    while len(names) < GLOSSES:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        names.add(word + (str(rng.randint(1, 3)) if rng.random() < 0.2 else ""))
    return sorted(names)


def build(projects: int, per_project: int, seed: int = 7) -> tuple:
    """The corpus; returns (searching user, other user, glosses by frequency, a handshape, a signer)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from kslars.hamnosys import HANDSHAPES
    from kslars.krsl import default_document
    from kslars.web.annotation.store import add_to_project
    from kslars.web.projects.models import Project, Role, Share

    rng = random.Random(seed)
    users = get_user_model().objects
    me = users.create_user("searcher", password="bench-password-1")
    colleague = users.create_user("colleague", password="bench-password-1")
    stranger = users.create_user("stranger", password="bench-password-1")
    glosses = gloss_names(rng)
    weights = [1 / (rank + 1) for rank in range(len(glosses))]
    shapes = [h.name for h in HANDSHAPES]
    counts = {"Gloss": per_project // 2, "Right handshape": per_project // 4}
    counts["Left handshape"] = per_project * 3 // 20
    counts["Translation"] = per_project - sum(counts.values())
    sql = (
        "INSERT INTO annotation_annotation (project_id, tier_id, key, value, start_ms, end_ms, attributes, position,"
        " version, updated_at) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, 1, '2026-01-01 00:00:00')"
    )
    for p in range(projects + 20):
        owner = me if p < projects // 2 else colleague if p < projects else stranger
        with transaction.atomic():
            project = Project.objects.create(owner=owner, name=f"Session {p:03d}", language="en")
            if owner is colleague:
                Share.objects.create(project=project, user=me, role=Role.VIEWER)
            add_to_project(project, default_document())
            project.tiers.update(participant=f"S{p % SIGNERS:02d}")
            tiers = dict(project.tiers.values_list("name", "id"))
            rows, key = [], 0
            for tier_name, n in counts.items():
                if tier_name == "Gloss":
                    values = rng.choices(glosses, weights, k=n)
                elif tier_name == "Translation":
                    values = [
                        f"предложение {rng.randint(1, 10**6)} про {rng.choice(glosses).lower()}" for _ in range(n)
                    ]
                else:
                    values = rng.choices(shapes, k=n)
                step = 3_600_000 // n
                for i, value in enumerate(values):
                    key += 1
                    rows.append((project.id, tiers[tier_name], f"a{key}", value, i * step, i * step + step - 1, i))
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return me, glosses, shapes


def built(data_dir: str) -> tuple:
    """What ``build`` returned for the corpus it made in ``data_dir`` earlier."""
    from django.contrib.auth import get_user_model

    made = json.loads(Path(data_dir, "corpus.json").read_text())
    return get_user_model().objects.get(username="searcher"), made["glosses"], made["shapes"]


def percentiles(fn, repeat: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``repeat`` calls of ``fn`` (after one warm-up call), and what it returned."""
    found = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], found


def main() -> None:
    """Build the corpus, then print p50/p95 of each typical query and of the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--per-project", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data", help="a data folder to build the corpus in once and search again in later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as scratch:
        data_dir = args.data or scratch
        setup_django(data_dir)
        from kslars.corpus.search_query import make_query
        from kslars.web.annotation.models import Annotation
        from kslars.web.projects.access import visible_projects
        from kslars.web.search.services import search

        start = time.perf_counter()
        if args.data and Annotation.objects.exists():
            me, glosses, shapes = built(args.data)
        else:
            me, glosses, shapes = build(args.projects, args.per_project)
            Path(args.data or scratch, "corpus.json").write_text(json.dumps({"glosses": glosses, "shapes": shapes}))
        total = Annotation.objects.count()
        print(f"{total:,} annotations in {args.projects + 20} projects, ready in {time.perf_counter() - start:.0f} s")
        common, rare = glosses[0], glosses[-1]
        queries = {
            f"exact gloss, common ({common})": make_query(common),
            f"exact gloss, rare ({rare})": make_query(rare),
            f"prefix ({common[:2]})": make_query(common[:2], "prefix"),
            f"regex (^{common[:4]}.*\\d$)": make_query(f"^{common[:4]}.*\\d$", "regex"),
            "regex, any case ((?i)^до)": make_query("(?i)^до", "regex"),
            f"handshape ({shapes[3]})": make_query(shapes[3], "handshape"),
            "exact gloss + tier Gloss + signer S03": make_query(common, tier="Gloss", signer="S03"),
            "handshape + tier Right handshape": make_query(shapes[3], "handshape", tier="Right handshape"),
            "regex + signer S05": make_query("ДО", "regex", signer="S05"),
        }

        def baseline() -> int:
            values = Annotation.objects.filter(project__in=visible_projects(me).values("id")).values_list("value")
            return sum(1 for (v,) in values.iterator(chunk_size=20_000) if v == common)

        print(f"{'query':<44} {'p50 ms':>8} {'p95 ms':>8} {'found':>8}")
        for label, query in queries.items():
            p50, p95, page = percentiles(lambda q=query: search(me, q), args.repeat)
            found = f"{page.count:,}" + ("+" if page.more else "")
            print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {found:>8}")
        p50, p95, found = percentiles(baseline, max(3, args.repeat // 5))
        print(f"{'baseline: scan every value in Python':<44} {p50:>8.1f} {p95:>8.1f} {found:>8,}")


if __name__ == "__main__":
    main()
