"""Where the web tool keeps its data, read from the environment once (no Django import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# The names a site on this machine answers to when KSLARS_ALLOWED_HOSTS names no others.
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def data_dir() -> Path:
    """The data folder: $KSLARS_DATA_DIR, else ~/.local/share/kslars. Created if missing, for its owner only."""
    path = Path(os.environ.get("KSLARS_DATA_DIR") or Path.home() / ".local" / "share" / "kslars").expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def keep_files_private() -> None:
    """From now on, files and folders this process and its children create are for their owner only (umask 077):
    the database, the job queue, the media, the collected static files."""
    os.umask(0o077)


def allowed_hosts(required: bool) -> list[str]:
    """The host names the site answers to: $KSLARS_ALLOWED_HOSTS (comma-separated), else this machine's local
    names; a requests's Host header naming anything else is refused, so no page or link is built from a forged one.
    ValueError when ``required`` and the variable names none."""
    hosts = [h.strip() for h in os.environ.get("KSLARS_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if required and not hosts:
        raise ValueError("KSLARS_SHARED=true needs KSLARS_ALLOWED_HOSTS: the site's names, e.g. slan.example.org")
    return hosts or list(LOCAL_HOSTS)


def secret_key(folder: Path) -> str:
    """$KSLARS_SECRET_KEY, else a key generated once into ``folder/secret_key`` (mode 600)."""
    if os.environ.get("KSLARS_SECRET_KEY"):
        return os.environ["KSLARS_SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def env_bool(name: str, default: bool) -> bool:
    """A boolean environment variable: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
