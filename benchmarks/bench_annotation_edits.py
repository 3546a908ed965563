"""Time of one annotation edit through the API as the tier grows, alone and with 32 clients editing at once.

For each size N the Gloss tier of the KRSL default document holds N annotations (1000 ms apart, 800 ms long)
and the Right handshape tier N/4 vocabulary values, in a new SQLite database file in a temporary folder (WAL, as
``kslars serve`` uses it). Measured through the real API in two ways (``--against``):

- ``process``: Django's test client in this process, one database connection per client thread. This measures
  the cost of an edit inside Django (no HTTP, no server), but all the clients share this one process and its
  interpreter lock, which a real server does not;
- ``server``: the same data folder served by gunicorn with the arguments ``kslars serve`` uses
  (kslars.web.commands.gunicorn_arguments: 2 processes of 4 threads), each client a thread sending real HTTP
  PATCH requests over its own keep-alive connection (http.client), logged in with a session cookie and sending
  the CSRF token as the editor does. This is what users get from ``kslars serve`` on this machine (the client
  threads run on the same cores as the server).

Each way gives:

- one client: the median of PATCH value edits (and, in this process, of PATCH edits that move an annotation's end);
- 32 clients at once, each editing its own annotation (value and end, alternately) ``--edits`` times: the median
  and the 99th percentile of the answers' times, first with each client pausing 0-2x ``--think`` seconds between
  edits (annotators at work: by default 0-2 s, one edit a second on average), then with no pause at all (every
  client sends its next edit as soon as the answer comes: the server saturated, edits wait for each other);
- for sizes up to 1,250 annotations, the simplest correct way to save an edit as the baseline:
  ``load_document`` + ``Document.validate`` + ``save_document`` (the whole document rewritten).

The last line gives the ratio of each time at the largest size to the smallest: an edit's cost should not grow
with the tier (about 1x). The load average is printed before each size (other programs on the machine slow
the clients down).

    .venv/bin/python benchmarks/bench_annotation_edits.py [--sizes 1000 10000] [--repeat 15] [--clients 32]
        [--edits 20] [--think 1.0] [--against process server]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE_UP_TO = 1250  # the whole-document rewrite takes seconds beyond this
NAN = float("nan")


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
    """One client editing one Gloss annotation, alternately its value and its end (by 10 ms), through Django's
    test client in this process."""

    def __init__(self, owner, project_id: int, number: int) -> None:
        from kslars.web.annotation import models as m

        self.owner, self.url = owner, f"/api/projects/{project_id}/annotations/a{number}"
        row = m.Annotation.objects.get(project_id=project_id, key=f"a{number}")
        self.version, self.end, self.count = row.version, row.end_ms, 0
        self.connect()

    def connect(self) -> None:
        self.client = client_for(self.owner)

    def send(self, body: str) -> tuple[int, bytes]:
        """PATCH ``body`` to the annotation; the status and the answer's body."""
        r = self.client.patch(self.url, body, content_type="application/json")
        return r.status_code, r.content

    def close(self) -> None:
        """Nothing to close: the test client holds no connection."""

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
        status, content = self.send(json.dumps(body))
        elapsed = time.perf_counter() - start
        assert status == 200, (status, content)
        self.version = json.loads(content)["version"]
        return elapsed


class HttpEditor(Editor):
    """An Editor sending real HTTP requests to a server on 127.0.0.1:``port`` over one keep-alive connection,
    logged in as ``owner`` with a session cookie, with the CSRF cookie and header the editor's JavaScript sends."""

    port = 0

    def connect(self) -> None:
        from django.conf import settings
        from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
        from django.utils.crypto import get_random_string

        session = client_for(self.owner).cookies[settings.SESSION_COOKIE_NAME].value  # a login stored in the database
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        self.headers = {
            "Content-Type": "application/json",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
        }
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def send(self, body: str) -> tuple[int, bytes]:
        """PATCH over the kept-alive connection; when the server has closed it meanwhile (gunicorn keeps an idle
        connection 2 s), once more over a new one, as a browser does (the time counts both)."""
        for attempt in (1, 2):
            try:
                self.connection.request("PATCH", self.url, body, self.headers)
                answer = self.connection.getresponse()
                return answer.status, answer.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def at_once(editor_class: type[Editor], project, owner, n: int, clients: int, edits: int, think: float) -> list[float]:
    """Seconds of every edit of ``clients`` threads editing their own annotations at once."""
    from django.db import connection

    times: list[float] = []
    lock, ready = threading.Lock(), threading.Barrier(clients)
    failures: list[BaseException] = []

    def work(j: int) -> None:
        editor = None
        try:
            editor = editor_class(owner, project.id, 1 + j * (n // clients))
            editor.edit("value")  # the first request of a client sets up its connection: not counted
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
            if editor is not None:
                editor.close()
            connection.close()

    threads = [threading.Thread(target=work, args=(j,)) for j in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return times


@contextmanager
def served(data_dir: str) -> Iterator[int]:
    """gunicorn serving SLAN over ``data_dir`` with ``kslars serve``'s arguments on a free port; yields the port."""
    from django.db import connections

    from kslars.web.commands import gunicorn_arguments, wait_until_listening

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connections.close_all()
    Path(data_dir, "static").mkdir(exist_ok=True)  # `kslars serve` collects the static files there; edits need none
    env = {
        **os.environ,
        "KSLARS_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "kslars.web.settings",
        "PYTHONPATH": str(REPO),
    }
    arguments = gunicorn_arguments("127.0.0.1", port, workers=2, threads=4)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", *arguments], env=env, cwd=REPO)
    try:
        wait_until_listening("127.0.0.1", port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def p99(times: list[float]) -> float:
    """The 99th percentile of ``times``."""
    return sorted(times)[min(len(times) - 1, int(0.99 * len(times)))]


def concurrent(editor_class: type[Editor], project, owner, n: int, args: argparse.Namespace, prefix: str) -> dict:
    """The median and p99 seconds of ``args.clients`` clients with pauses and without, keyed ``prefix``+name."""
    result = {}
    for name, think in (("think", args.think), ("saturated", 0.0)):
        times = at_once(editor_class, project, owner, n, args.clients, args.edits, think) if args.clients else [NAN]
        result[f"{prefix}{name}_median"], result[f"{prefix}{name}_p99"] = statistics.median(times), p99(times)
    return result


def bench(n: int, args: argparse.Namespace, port: int | None) -> dict[str, float]:
    """Milliseconds per edit on a document of ``n`` Gloss annotations (see the module's docstring); through the
    server on ``port`` too unless it is None."""
    from kslars.web.annotation.store import load_document, save_document

    project, owner = make_project(n)
    result: dict[str, float] = {}
    if "process" in args.against:
        single = Editor(owner, project.id, n // 2 + 1)
        single.edit("value")  # warm up
        result["value"] = statistics.median(single.edit("value") for _ in range(args.repeat))
        result["move"] = statistics.median(single.edit("end") for _ in range(args.repeat))
        result |= concurrent(Editor, project, owner, n, args, "")
    if port is not None:
        HttpEditor.port = port
        single = HttpEditor(owner, project.id, n // 2 + 2)
        single.edit("value")  # warm up
        result["server_value"] = statistics.median(single.edit("value") for _ in range(args.repeat))
        single.close()
        result |= concurrent(HttpEditor, project, owner, n, args, "server_")
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


def row(label: str, n: int, t: dict[str, float], prefix: str, single: list[str]) -> str:
    """One line of the table: the one-client times in ``single``, then the 32-client times keyed ``prefix``."""
    ones = " ".join(f"{t.get(k, NAN):>6.1f}" for k in single)
    return (
        f"{label:<8}{n + n // 4:>11} | one client: {ones:<13} | with pauses: {t[prefix + 'think_median']:>6.1f} "
        f"{t[prefix + 'think_p99']:>6.1f} | no pauses: {t[prefix + 'saturated_median']:>6.1f} "
        f"{t[prefix + 'saturated_p99']:>6.1f} | rewrite {t.get('rewrite', NAN):>7.1f}"
    )


def main() -> None:
    """Print the times for each size and their ratio between the largest and the smallest size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="Gloss annotations")
    parser.add_argument("--repeat", type=int, default=15, help="single-client edits of each kind")
    parser.add_argument("--clients", type=int, default=32, help="clients at once (0: only the one-client times)")
    parser.add_argument("--edits", type=int, default=20, help="edits per client in each concurrent round")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a client between edits, seconds")
    parser.add_argument(
        "--against", nargs="+", choices=["process", "server"], default=["process", "server"],
        help="Django's test client in this process, and/or HTTP to gunicorn as `kslars serve` runs it",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as data_dir:
        setup_django(data_dir)
        with served(data_dir) if "server" in args.against else nullcontext() as port:
            print(
                f"times in ms; {args.clients} clients median and p99; one client: value and move "
                "(process), value (server)"
            )
            results = {}
            for n in args.sizes:
                print(f"load average before {n + n // 4} annotations: {os.getloadavg()[0]:.2f}", flush=True)
                results[n] = t = bench(n, args, port)
                if "process" in args.against:
                    print(row("process", n, t, "", ["value", "move"]), flush=True)
                if port is not None:
                    print(row("server", n, t, "server_", ["server_value"]), flush=True)
        small, large = results[min(args.sizes)], results[max(args.sizes)]
        ratios = " ".join(f"{c} {large[c] / small[c]:.2f}x" for c in large if c != "rewrite")
        print(f"ratio {max(args.sizes) * 5 // 4} / {min(args.sizes) * 5 // 4}: {ratios}")


if __name__ == "__main__":
    main()
