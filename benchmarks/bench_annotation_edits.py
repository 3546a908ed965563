"""Time of one annotation edit through the API as the tier grows, alone and with 32 clients editing at once.

For each size N the Gloss tier of the KRSL default document holds N annotations (1000 ms apart, 800 ms long)
and the Right handshape tier N/4 vocabulary values, in a new SQLite database file in a temporary folder (WAL, as
``kslars serve`` uses it). Measured through the real API (Django's test client, one database connection per
client thread):

- one client: the median of PATCH value edits, and of PATCH edits that move an annotation's end;
- 32 clients at once, each editing its own annotation (value and end, alternately) ``--edits`` times: the median
  and the 99th percentile of the answers' times, first with each client pausing 0-2x ``--think`` seconds between
  edits (annotators at work: by default 0-2 s, one edit a second on average), then with no pause at all (every client sends its next edit as soon as the answer
  comes: the server saturated, edits wait for each other's transactions);
- for sizes up to 1,250 annotations, the simplest correct way to save an edit as the baseline:
  ``load_document`` + ``Document.validate`` + ``save_document`` (the whole document rewritten).

The last line gives the ratio of each time at the largest size to the smallest: an edit's cost should not grow
with the tier (about 1x).

    .venv/bin/python benchmarks/bench_annotation_edits.py [--sizes 1000 10000] [--repeat 15] [--clients 32]
        [--edits 20] [--think 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE_UP_TO = 1250  # the whole-document rewrite takes seconds beyond this


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
    """A project whose Gloss tier holds ``n`` annotations (and Right handshape n/4), and its owner."""
    from django.contrib.auth import get_user_model

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
            position=(i + 1) * m.POSITION_GAP,
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
            position=(i + 1) * m.POSITION_GAP,
        )
        for i in range(n // 4)
    ]
    m.Annotation.objects.bulk_create(rows, batch_size=2000)
    return project, owner


def client_for(owner):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    return client


class Editor:
    """One client editing one Gloss annotation, alternately its value and its end (by 10 ms)."""

    def __init__(self, client, project_id: int, number: int) -> None:
        from kslars.web.annotation import models as m

        self.client, self.url = client, f"/api/projects/{project_id}/annotations/a{number}"
        row = m.Annotation.objects.get(project_id=project_id, key=f"a{number}")
        self.version, self.end, self.count = row.version, row.end_ms, 0

    def edit(self, kind: str | None = None) -> float:
        """Send one edit (``kind`` "value" or "end"; alternately when None); returns its seconds."""
        self.count += 1
        kind = kind or ("value" if self.count % 2 else "end")
        if kind == "value":
            body = {"version": self.version, "value": f"V{self.count}"}
        else:
            self.end += 10 if self.end % 1000 < 800 else -10
            body = {"version": self.version, "end_ms": self.end}
        start = time.perf_counter()
        r = self.client.patch(self.url, json.dumps(body), content_type="application/json")
        elapsed = time.perf_counter() - start
        assert r.status_code == 200, r.content
        self.version = r.json()["version"]
        return elapsed


def at_once(project, owner, n: int, clients: int, edits: int, think: float) -> list[float]:
    """Seconds of every edit of ``clients`` threads editing their own annotations at once."""
    from django.db import connection

    times: list[float] = []
    lock, ready = threading.Lock(), threading.Barrier(clients)
    failures: list[BaseException] = []

    def work(j: int) -> None:
        try:
            editor = Editor(client_for(owner), project.id, 1 + j * (n // clients))
            editor.edit("value")  # the first request of a thread sets up its connection: not counted
            rng = random.Random(j)
            ready.wait()
            for _ in range(edits):
                if think:
                    time.sleep(rng.uniform(0, 2 * think))
                elapsed = editor.edit()
                with lock:
                    times.append(elapsed)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(j,)) for j in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return times


def p99(times: list[float]) -> float:
    """The 99th percentile of ``times``."""
    return sorted(times)[min(len(times) - 1, int(0.99 * len(times)))]


def bench(n: int, args: argparse.Namespace) -> dict[str, float]:
    """Milliseconds per edit on a document of ``n`` Gloss annotations (see the module's docstring)."""
    from kslars.web.annotation.store import load_document, save_document

    project, owner = make_project(n)
    single = Editor(client_for(owner), project.id, n // 2 + 1)
    single.edit("value")  # warm up
    result = {
        "value": statistics.median(single.edit("value") for _ in range(args.repeat)),
        "move": statistics.median(single.edit("end") for _ in range(args.repeat)),
    }
    for name, think in (("think", args.think), ("saturated", 0.0)):
        times = at_once(project, owner, n, args.clients, args.edits, think) if args.clients else [float("nan")]
        result[f"{name}_median"], result[f"{name}_p99"] = statistics.median(times), p99(times)
    if n + n // 4 <= BASELINE_UP_TO:

        def rewrite() -> float:
            start = time.perf_counter()
            doc = load_document(project)
            _, a = doc.find_annotation(f"a{n // 2 + 1}")
            a.value, a.version = f"B{time.perf_counter()}", a.version + 1
            doc.validate()
            save_document(project, doc)
            return time.perf_counter() - start

        result["rewrite"] = statistics.median(rewrite() for _ in range(3))
    return {k: v * 1000 for k, v in result.items()}


def main() -> None:
    """Print the times for each size and their ratio between the largest and the smallest size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="Gloss annotations")
    parser.add_argument("--repeat", type=int, default=15, help="single-client edits of each kind")
    parser.add_argument("--clients", type=int, default=32, help="clients at once (0: only the one-client times)")
    parser.add_argument("--edits", type=int, default=20, help="edits per client in each concurrent round")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a client between edits, seconds")
    args = parser.parse_args()
    columns = ["value", "move", "think_median", "think_p99", "saturated_median", "saturated_p99", "rewrite"]
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as data_dir:
        setup_django(data_dir)
        print(
            f"{'annotations':>11} | one client: {'value':>6} {'move':>6} | {args.clients} clients, pauses: "
            f"{'median':>6} {'p99':>6} | no pauses: {'median':>6} {'p99':>6} | rewrite  (ms)"
        )
        results = {}
        for n in args.sizes:
            results[n] = t = bench(n, args)
            print(
                f"{n + n // 4:>11} | {'':12}{t['value']:>6.1f} {t['move']:>6.1f} | {'':19}"
                f"{t['think_median']:>6.1f} {t['think_p99']:>6.1f} | {'':11}{t['saturated_median']:>6.1f} "
                f"{t['saturated_p99']:>6.1f} | {t.get('rewrite', float('nan')):>7.1f}",
                flush=True,
            )
        small, large = results[min(args.sizes)], results[max(args.sizes)]
        ratios = " ".join(f"{c} {large[c] / small[c]:.2f}x" for c in columns[:-1])
        print(f"ratio {max(args.sizes) * 5 // 4} / {min(args.sizes) * 5 // 4}: {ratios}")


if __name__ == "__main__":
    main()
