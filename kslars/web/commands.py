"""``kslars serve``, ``kslars worker`` and ``kslars createuser``: run SLAN and manage its accounts from the shell.

Django is imported inside the command bodies only, so that ``kslars --help`` stays fast.
``serve`` prepares the database and static files, then supervises two child processes: gunicorn serving
kslars.web.wsgi (static files through whitenoise) and a Celery worker for background jobs. The children stop
with it, on Ctrl+C, on SIGTERM, and (on Linux) even when it is killed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click

from kslars.child_process import die_with_parent

SETTINGS_MODULE = "kslars.web.settings"
CELERY_APP = "kslars.web.celery_app"
STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15
WORKER_RESTARTS = 5  # a worker that dies this many times in a row, each soon after starting, is given up on
WORKER_QUICK_DEATH_S = 60

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KSLARS_DATA_DIR",
    help="Folder for the database, uploaded videos, the secret key and static files "
    "[env: KSLARS_DATA_DIR; default: ~/.local/share/kslars].",
)


def use_data_dir(data_dir: Path | None) -> None:
    """Point the settings at ``data_dir`` (before Django loads) and choose SLAN's settings unless others are set."""
    if data_dir is not None:
        folder = data_dir.expanduser().resolve()
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise click.ClickException(f"cannot create the data folder {folder}: {exc.strerror}") from None
        os.environ["KSLARS_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)


def setup_django(data_dir: Path | None) -> None:
    """Load Django with SLAN's settings over ``data_dir``; messages in the default language (English)."""
    use_data_dir(data_dir)
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.LANGUAGE_CODE)


def prepare(collect_static: bool = True) -> None:
    """Apply migrations, create the cache table and collect static files into the data folder, quietly."""
    from django.core.management import call_command
    from django.db import OperationalError, connection

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        where = connection.settings_dict.get("HOST") or connection.settings_dict.get("NAME")
        raise click.ClickException(
            f"cannot use the database ({connection.vendor} at {where}): {str(exc).strip()}\n"
            "Check DATABASE_URL and that the database server is running."
        ) from None
    call_command("createcachetable", verbosity=0)
    if collect_static:
        call_command("collectstatic", interactive=False, verbosity=0)


def worker_arguments(concurrency: int, loglevel: str) -> list[str]:
    """Arguments of ``celery worker``: one task at a time in the worker process itself, or a pool of processes."""
    pool = "solo" if concurrency == 1 else "prefork"
    return ["worker", "--concurrency", str(concurrency), "--pool", pool, "--loglevel", loglevel]


def gunicorn_arguments(host: str, port: int, workers: int, threads: int) -> list[str]:
    """Arguments of gunicorn serving SLAN with threaded workers (long uploads do not block other requests)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        "kslars.web.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--timeout", "120",
        "--graceful-timeout", str(STOP_TIMEOUT_S - 5),
        "--log-level", "warning",
    ]  # fmt: skip


def start_child(arguments: list[str]) -> subprocess.Popen:
    """Start ``python -m ARGUMENTS`` with this environment, bound to die with this process."""
    return subprocess.Popen([sys.executable, "-m", *arguments], env=os.environ.copy(), preexec_fn=die_with_parent)


def check_port_free(host: str, port: int) -> None:
    """A clear error when ``host:port`` cannot be listened on (another server uses it, or a wrong address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({exc.strerror}): stop the program using that port "
                "or choose another one with --port"
            ) from None


def wait_until_listening(host: str, port: int, server: subprocess.Popen) -> None:
    """Return once the web server accepts connections; a clear error if it exits or takes too long."""
    connect_host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise click.ClickException(f"the web server stopped while starting (exit code {server.returncode})")
        try:
            with socket.create_connection((connect_host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise click.ClickException(f"the web server did not start listening on {host}:{port} within {STARTUP_TIMEOUT_S} s")


def stop_children(children: dict[str, subprocess.Popen]) -> None:
    """Ask every child to stop (SIGTERM), wait for them, and kill the ones that do not stop in time."""
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            click.echo(f"The {name} did not stop in {STOP_TIMEOUT_S} s; killing it.", err=True)
            child.kill()
            child.wait()


def raise_keyboard_interrupt(signum: int, frame: object) -> None:
    """Signal handler for SIGINT and SIGTERM (also when started in the background): stop like on Ctrl+C."""
    raise KeyboardInterrupt


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="KSLARS_HOST",
    help="Address to listen on; 0.0.0.0 makes SLAN reachable from other machines [env: KSLARS_HOST].",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="KSLARS_PORT",
    help="Port to listen on [env: KSLARS_PORT].",
)
@data_dir_option
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1),
    envvar="KSLARS_WEB_WORKERS",
    help="Web server processes [env: KSLARS_WEB_WORKERS].",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1),
    envvar="KSLARS_WEB_THREADS",
    help="Threads in each web server process [env: KSLARS_WEB_THREADS].",
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start a background worker (run `kslars worker` elsewhere, e.g. with a Redis broker).",
)
@click.option(
    "--allowed-hosts",
    default="",
    envvar="KSLARS_ALLOWED_HOSTS",
    help="Comma-separated host names the site answers to, e.g. slan.example.org "
    "[env: KSLARS_ALLOWED_HOSTS; default: this machine's names].",
)
@click.option(
    "--shared",
    is_flag=True,
    envvar="KSLARS_SHARED",
    help="Safe mode for a shared installation behind an HTTPS proxy: answers only to --allowed-hosts, "
    "sign-up closed, cookies sent over HTTPS only [env: KSLARS_SHARED].",
)
def serve(
    host: str,
    port: int,
    data_dir: Path | None,
    workers: int,
    threads: int,
    no_worker: bool,
    allowed_hosts: str,
    shared: bool,
) -> None:
    """Run SLAN, the web annotation tool: database set-up, web server and background worker in one command."""
    hosts = [name.strip() for name in allowed_hosts.split(",") if name.strip()]
    if shared and not hosts:
        raise click.ClickException(
            "--shared needs --allowed-hosts: the names people reach SLAN by, e.g. --allowed-hosts slan.example.org"
        )
    if not hosts and not is_loopback(host):
        hosts = machine_names(host)
    if hosts:
        os.environ["KSLARS_ALLOWED_HOSTS"] = ",".join(hosts)
    if shared:
        os.environ["KSLARS_SHARED"] = "true"
    setup_django(data_dir)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections

    click.echo(f"Data folder: {settings.DATA_DIR}")
    click.echo("Preparing the database and static files ...")
    prepare()
    has_accounts = get_user_model().objects.exists()
    connections.close_all()
    check_port_free(host, port)

    children: dict[str, subprocess.Popen] = {}
    previous_handlers = {s: signal.signal(s, raise_keyboard_interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if not no_worker:
            worker_command = ["celery", "-A", CELERY_APP, "--quiet", *worker_arguments(1, "WARNING")]
            children["background worker"] = start_child(worker_command)
        children["web server"] = start_child(["gunicorn", *gunicorn_arguments(host, port, workers, threads)])
        wait_until_listening(host, port, children["web server"])
        url = f"http://{host_for_url(host)}:{port}/"
        click.secho(f"\nSLAN is running at {url}", fg="green", bold=True)
        if host in ("0.0.0.0", "::"):
            click.echo(f"On this machine, open http://localhost:{port}/")
        if settings.SHARED:
            click.echo(shared_notice(settings.ALLOWED_HOSTS, settings.KSLARS_SIGNUP))
        elif not is_loopback(host):
            click.secho(exposure_warning(settings.ALLOWED_HOSTS, settings.KSLARS_SIGNUP), fg="yellow", err=True)
        if not has_accounts:
            click.echo(no_accounts_hint(url, settings.KSLARS_SIGNUP))
        click.echo("Press Ctrl+C to stop.\n")
        watch(children, None if no_worker else worker_command)
    except KeyboardInterrupt:
        click.echo("\nStopping SLAN ...")
    finally:
        for signum in previous_handlers:
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl+C must not interrupt the stopping
        stop_children(children)
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)
    click.echo("SLAN has stopped.")


def watch(children: dict[str, subprocess.Popen], worker_command: list[str] | None) -> None:
    """Watch the children until one cannot go on: restart the background worker when it dies (e.g. killed for
    using too much memory), and raise when the web server stops or the worker keeps dying right after starting."""
    quick_deaths = 0
    started = time.monotonic()
    while True:
        server = children["web server"]
        if server.poll() is not None:
            code = server.returncode
            raise click.ClickException(f"the web server stopped (exit code {code}); see the messages above")
        worker = children.get("background worker")
        if worker_command is not None and worker is not None and worker.poll() is not None:
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < WORKER_QUICK_DEATH_S else 1
            if quick_deaths >= WORKER_RESTARTS:
                raise click.ClickException(
                    f"the background worker keeps stopping (exit code {worker.returncode}); see the messages above"
                )
            children["background worker"] = start_child(worker_command)
            click.echo(f"The background worker stopped (exit code {worker.returncode}); started a new one.", err=True)
            started = time.monotonic()
        time.sleep(0.5)


def no_accounts_hint(url: str, signup_open: bool) -> str:
    """What `kslars serve` says when nobody can log in yet: how to make the first account."""
    if signup_open:
        return f"There are no accounts yet: sign up at {url}accounts/signup/ or run `kslars createuser NAME`."
    return "There are no accounts yet and sign-up is closed (KSLARS_SIGNUP=false): run `kslars createuser NAME`."


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a listening address) is reachable from this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def machine_names(host: str) -> list[str]:
    """The names and addresses other machines may reach a site listening on ``host`` by (all of this machine's
    when ``host`` is 0.0.0.0 or ::), with the local ones."""
    from kslars.web.config import LOCAL_HOSTS

    if host not in ("0.0.0.0", "::", ""):
        return [*LOCAL_HOSTS, host_for_url(host)]
    names = {host, socket.gethostname(), socket.getfqdn()}  # http://0.0.0.0:PORT/, as printed, opens it too
    try:
        names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # the address of the default route
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
            names.add(probe.getsockname()[0])
        except OSError:
            pass
    return [*LOCAL_HOSTS, *sorted(host_for_url(name) for name in names if name and name not in LOCAL_HOSTS)]


def exposure_warning(allowed_hosts: list[str], signup_open: bool) -> str:
    """What `kslars serve` says when other machines can reach it outside the shared-installation mode."""
    lines = [
        "Warning: other machines can reach SLAN, over plain HTTP: passwords, videos and annotations cross the",
        "network unencrypted, and the login cookie is not marked Secure.",
    ]
    if signup_open:
        lines.append("Sign-up is open: anyone who reaches it can sign up (KSLARS_SIGNUP=false closes it).")
    lines += [
        f"It answers to: {', '.join(allowed_hosts)} (--allowed-hosts for other names).",
        "For a shared installation, serve it behind an HTTPS proxy with --shared --allowed-hosts NAME",
        '(docs/configuration.md, "A shared installation").',
    ]
    return "\n".join(lines)


def shared_notice(allowed_hosts: list[str], signup_open: bool) -> str:
    """What `kslars serve --shared` says: where people reach it, and what the mode changed."""
    from kslars.web.config import LOCAL_HOSTS

    sites = ", ".join(f"https://{name.lstrip('.')}/" for name in allowed_hosts if name not in LOCAL_HOSTS)
    signup = "open (KSLARS_SIGNUP=true)" if signup_open else "closed: make accounts with `kslars createuser NAME`"
    return (
        f"Shared installation: people reach it through your HTTPS proxy at {sites}; sign-up {signup}; "
        "cookies are sent over HTTPS only."
    )


def host_for_url(host: str) -> str:
    """``host`` as written in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


@click.command()
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Jobs run at the same time (each takes one CPU core while it runs).",
)
@click.option(
    "--loglevel",
    default="INFO",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@data_dir_option
def worker(concurrency: int, loglevel: str, data_dir: Path | None) -> None:
    """Run a background worker alone (video conversion, automatic annotation), e.g. on another machine.

    The worker uses the same settings as the web server: DATABASE_URL, KSLARS_BROKER_URL and media storage.
    """
    use_data_dir(data_dir)
    from kslars.web.celery_app import app

    app.worker_main(worker_arguments(concurrency, loglevel.upper()))


@click.command()
@click.argument("username")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it.",
)
@click.option("--email", default="", help="The user's e-mail address (optional).")
@data_dir_option
def createuser(username: str, password_stdin: bool, email: str, data_dir: Path | None) -> None:
    """Create the account USERNAME. The password must pass the same checks as on the sign-up page."""
    setup_django(data_dir)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    prepare(collect_static=False)
    user_model = get_user_model()
    try:
        user_model._meta.get_field(user_model.USERNAME_FIELD).run_validators(username)
    except ValidationError as exc:
        raise click.ClickException(f"the username {username!r} is not allowed: {' '.join(exc.messages)}") from None
    if user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists():
        raise click.ClickException(f"a user called {username!r} exists already")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException('no password on standard input: pipe it in, e.g. `echo "$PASSWORD" | ...`')
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password, user=user_model(**{user_model.USERNAME_FIELD: username, "email": email}))
    except ValidationError as exc:
        raise click.ClickException("the password is too weak:\n  " + "\n  ".join(exc.messages)) from None
    user_model._default_manager.create_user(username, email=email, password=password)
    click.echo(f"Created the account {username!r}.")
