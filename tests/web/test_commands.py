"""``kslars createuser``, ``kslars serve`` and ``kslars worker``."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth import authenticate, get_user_model

from kslars.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_createuser_reads_the_password_from_stdin():
    result = CliRunner().invoke(
        main, ["createuser", "dana", "--password-stdin", "--email", "d@example.org"], input="correct-horse-battery-9\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created the account 'dana'" in result.output
    user = authenticate(username="dana", password="correct-horse-battery-9")
    assert user is not None and user.email == "d@example.org"


@pytest.mark.django_db
def test_createuser_refuses_weak_passwords_with_the_reasons():
    result = CliRunner().invoke(main, ["createuser", "dana", "--password-stdin"], input="12345\n")
    assert result.exit_code == 1
    assert "too weak" in result.output and "too short" in result.output and "entirely numeric" in result.output
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_createuser_refuses_a_password_like_the_username():
    result = CliRunner().invoke(main, ["createuser", "dana.kaliyeva", "--password-stdin"], input="dana.kaliyeva1\n")
    assert result.exit_code == 1 and "too similar to the username" in result.output


@pytest.mark.django_db
def test_createuser_refuses_duplicates_and_bad_names():
    get_user_model().objects.create_user("dana", password="x-long-enough-1")
    result = CliRunner().invoke(main, ["createuser", "DANA", "--password-stdin"], input="correct-horse-battery-9\n")
    assert result.exit_code == 1 and "exists already" in result.output
    result = CliRunner().invoke(main, ["createuser", "no spaces!", "--password-stdin"], input="long-enough-pass-9\n")
    assert result.exit_code == 1 and "is not allowed" in result.output
    result = CliRunner().invoke(main, ["createuser", "emil", "--password-stdin"], input="")
    assert result.exit_code == 1 and "no password on standard input" in result.output
    assert get_user_model().objects.count() == 1


def test_commands_module_does_not_load_django():
    code = "import sys, kslars.web.commands; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.strip() == "False"


def test_an_unusable_data_folder_is_reported(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    result = CliRunner().invoke(main, ["createuser", "dana", "--password-stdin", "--data-dir", str(not_a_folder / "x")])
    assert result.exit_code == 1 and "cannot create the data folder" in result.output


def test_an_unreachable_database_is_reported(tmp_path):
    env = clean_environment(tmp_path)
    env["DATABASE_URL"] = f"postgresql://slan:x@127.0.0.1:{free_port()}/slan"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kslars.cli import main; main()",
            "createuser",
            "dana",
            "--password-stdin",
            "--data-dir",
            str(tmp_path),
        ],
        input="correct-horse-battery-9\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 1
    assert "cannot use the database (postgresql at 127.0.0.1)" in out.stderr and "DATABASE_URL" in out.stderr
    assert "Traceback" not in out.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh installation: SLAN's own settings, ``data_dir``, no test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KSLARS_", "DJANGO_"))}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def kslars_process(args: list[str], data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from kslars.cli import main; main()", *args, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_environment(data_dir),
        start_new_session=True,
    )


def read_until(process: subprocess.Popen, text: str, timeout: float = 90) -> str:
    """The process's output up to the line containing ``text``."""
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if text in line:
            return "".join(lines)
    raise AssertionError(f"{text!r} never printed; output:\n{''.join(lines)}")


def children_of(pid: int) -> set[int]:
    """Ids of the processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the child processes")
def test_serve_runs_the_site_and_worker_and_stops_them_all(tmp_path):
    port = free_port()
    server = kslars_process(["serve", "--port", str(port)], tmp_path)
    try:
        output = read_until(server, f"SLAN is running at http://127.0.0.1:{port}/")
        assert f"Data folder: {tmp_path}" in output
        assert read_until(server, "There are no accounts yet").endswith(
            f"sign up at http://127.0.0.1:{port}/accounts/signup/ or run `kslars createuser NAME`.\n"
        )
        children = children_of(server.pid)
        assert len(children) == 2  # gunicorn and the Celery worker
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as response:
            assert response.status == 200 and b'name="password"' in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/slan/css/site.css", timeout=10) as response:
            assert response.status == 200 and b"focus-visible" in response.read()
        assert (tmp_path / "kslars.sqlite3").exists() and (tmp_path / "secret_key").exists()
        assert stat.S_IMODE((tmp_path / "kslars.sqlite3").stat().st_mode) == 0o600  # the owner's only
        assert (tmp_path / "static" / "slan" / "css" / "site.css").exists()
        # A worker killed (e.g. for memory) is started again; the site stays up meanwhile.
        worker = next(pid for pid in children if b"celery" in Path(f"/proc/{pid}/cmdline").read_bytes())
        os.kill(worker, signal.SIGKILL)
        read_until(server, "started a new one")
        children = children_of(server.pid)
        assert len(children) == 2 and worker not in children
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as response:
            assert response.status == 200
        server.send_signal(signal.SIGINT)  # what Ctrl+C does
        assert server.wait(timeout=30) == 0
        assert "SLAN has stopped." in server.stdout.read()
        assert not any(alive(pid) for pid in children)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="relies on the Linux parent-death signal")
def test_serve_children_die_when_serve_is_killed(tmp_path):
    port = free_port()
    server = kslars_process(["serve", "--port", str(port)], tmp_path)
    try:
        read_until(server, "SLAN is running")
        children = children_of(server.pid)
        server.kill()
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in children)
    finally:
        os.killpg(server.pid, signal.SIGKILL)


def fetch(port: int, path: str, host: str) -> tuple[int, dict[str, str]]:
    """GET ``path`` from the server on ``port`` with the Host header ``host``: (status, headers)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.slow
def test_serve_on_all_addresses_warns_and_answers_only_to_this_machines_names(tmp_path):
    port = free_port()
    server = kslars_process(["serve", "--host", "0.0.0.0", "--port", str(port), "--no-worker"], tmp_path)
    try:
        output = read_until(server, "Press Ctrl+C to stop.")
        assert "plain HTTP" in output and "not marked Secure" in output
        assert "anyone who reaches it can sign up" in output
        assert "--shared" in output
        status, headers = fetch(port, "/accounts/login/", f"localhost:{port}")
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        assert fetch(port, "/accounts/login/", socket.gethostname())[0] == 200  # other machines use its name
        assert fetch(port, "/accounts/login/", f"0.0.0.0:{port}")[0] == 200  # the address it printed
        assert fetch(port, "/accounts/login/", "attacker.example")[0] == 400  # a forged Host makes no links
    finally:
        os.killpg(server.pid, signal.SIGKILL)


@pytest.mark.slow
def test_serve_shared_closes_sign_up_secures_cookies_and_names_its_hosts(tmp_path):
    refused = kslars_process(["serve", "--shared", "--no-worker", "--port", str(free_port())], tmp_path)
    output, _ = refused.communicate(timeout=60)
    assert refused.returncode == 1 and "--allowed-hosts" in output
    port = free_port()
    server = kslars_process(
        ["serve", "--shared", "--allowed-hosts", "slan.example.org", "--port", str(port), "--no-worker"], tmp_path
    )
    try:
        output = read_until(server, "Press Ctrl+C to stop.")
        assert "https://slan.example.org/" in output and "plain HTTP" not in output
        assert fetch(port, "/accounts/signup/", "slan.example.org")[0] == 403  # sign-up is closed
        status, headers = fetch(port, "/accounts/login/", "slan.example.org")
        assert status == 200 and "; secure" in headers["Set-Cookie"].lower()
        assert fetch(port, "/accounts/login/", f"127.0.0.1:{port}")[0] == 400
    finally:
        os.killpg(server.pid, signal.SIGKILL)


@pytest.mark.slow
def test_serve_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = kslars_process(["serve", "--port", str(port), "--no-worker"], tmp_path)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in output and "--port" in output


@pytest.mark.slow
def test_worker_runs_alone_and_stops_on_sigterm(tmp_path):
    worker = kslars_process(["worker"], tmp_path)
    try:
        output = read_until(worker, "ready")
        assert f"sqla+sqlite:///{tmp_path}/broker.sqlite3" in output
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
