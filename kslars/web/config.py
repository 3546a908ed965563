"""Where the web tool keeps its data, read from the environment once (no Django import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    """The data folder: $KSLARS_DATA_DIR, else ~/.local/share/kslars. Created if missing."""
    path = Path(os.environ.get("KSLARS_DATA_DIR") or Path.home() / ".local" / "share" / "kslars").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
