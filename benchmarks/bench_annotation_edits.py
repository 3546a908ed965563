"""Time of one annotation edit through the API against rewriting the whole document, as documents grow.

Baseline (measured in the same run): the simplest correct way to save an edit, ``load_document`` +
``Document.validate`` + ``save_document`` (the whole document replaced in one transaction). K-SLARS: the
annotation API's edit operations, which lock the project, load only the edited tier's family, check it and
write only the changed rows. Each run uses a new SQLite database in a temporary folder; the Gloss tier of the
KRSL default document holds N annotations and the Right handshape tier N/4 vocabulary values.

    .venv/bin/python benchmarks/bench_annotation_edits.py [--sizes 100 1000 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str) -> None:
    """Configure the web tool over a throw-away data folder and create its tables."""
    os.environ["KSLARS_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "kslars.web.settings"
    sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_project(n: int):
    """A project whose Gloss tier holds ``n`` annotations (and Right handshape n/4), and a client for its owner."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kslars.krsl import default_document
    from kslars.web.annotation import models as m
    from kslars.web.annotation.store import add_to_project
    from kslars.web.projects.models import Project

    owner = get_user_model().objects.create_user(f"owner{n}", password="bench-password-1")
    project = Project.objects.create(owner=owner, name=f"{n} annotations")
    add_to_project(project, default_document())
    gloss, hand = project.tiers.get(name="Gloss"), project.tiers.get(name="Right handshape")
    rows = [
        m.Annotation(
            project=project,
            tier=gloss,
            key=f"a{i + 1}",
            value=f"G{i}",
            start_ms=i * 1000,
            end_ms=i * 1000 + 800,
            position=i,
        )
        for i in range(n)
    ]
    rows += [
        m.Annotation(
            project=project,
            tier=hand,
            key=f"a{n + i + 1}",
            value="flathand",
            cv_entry="hs_flathand",
            start_ms=i * 4000,
            end_ms=i * 4000 + 500,
            position=i,
        )
        for i in range(n // 4)
    ]
    m.Annotation.objects.bulk_create(rows)
    client = Client()
    client.force_login(owner)
    return project, client


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(n: int, repeat: int) -> dict[str, float]:
    """Seconds per edit for the API and for the whole-document baseline, on a document of size ``n``."""
    from kslars.web.annotation.store import load_document, save_document

    project, client = make_project(n)
    base = f"/api/projects/{project.id}"
    key = f"a{n // 2 + 1}"
    state = {"version": 1, "value": 0}

    def api_edit() -> None:
        state["value"] += 1
        body = {"version": state["version"], "value": f"V{state['value']}"}
        r = client.patch(f"{base}/annotations/{key}", json.dumps(body), content_type="application/json")
        assert r.status_code == 200, r.content
        state["version"] = r.json()["version"]

    def baseline_edit() -> None:
        doc = load_document(project)
        _, a = doc.find_annotation(key)
        a.value = f"B{time.perf_counter()}"
        a.version += 1
        doc.validate()
        save_document(project, doc)

    def api_load() -> None:
        assert client.get(f"{base}/document").status_code == 200

    return {
        "api_edit": timed(api_edit, repeat),
        "baseline_edit": timed(baseline_edit, repeat),
        "api_load": timed(api_load, repeat),
    }


def main() -> None:
    """Print per-edit times and the baseline/API ratio for each document size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as data_dir:
        setup_django(data_dir)
        print(f"{'annotations':>12} {'API edit ms':>12} {'rewrite ms':>12} {'ratio':>7} {'GET document ms':>16}")
        for n in args.sizes:
            t = bench(n, args.repeat)
            total = n + n // 4
            print(
                f"{total:>12} {t['api_edit'] * 1000:>12.1f} {t['baseline_edit'] * 1000:>12.1f} "
                f"{t['baseline_edit'] / t['api_edit']:>6.1f}x {t['api_load'] * 1000:>16.1f}"
            )


if __name__ == "__main__":
    main()
