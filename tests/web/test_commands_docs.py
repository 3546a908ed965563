"""docs/configuration.md documents every environment variable SLAN reads and every option of its commands."""

import re
from pathlib import Path

import click
import pytest

from kslars.web import commands

REPO_ROOT = Path(__file__).resolve().parents[2]
DOC = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
CONFIG_SOURCES = ["kslars/web/settings.py", "kslars/web/config.py", "kslars/web/commands.py"]


def environment_variables() -> set[str]:
    """Names of the environment variables the settings and commands read."""
    found = set()
    for source in CONFIG_SOURCES:
        text = (REPO_ROOT / source).read_text(encoding="utf-8")
        found |= set(re.findall(r'(?:environ\.get\(|environ\[|env_bool\(|envvar=)\s*"([A-Z][A-Z0-9_]+)"', text))
    return found | {"DATABASE_URL"}  # read by dj_database_url.config()


def test_settings_read_variables_at_all():
    assert {"KSLARS_DATA_DIR", "DATABASE_URL", "KSLARS_BROKER_URL", "KSLARS_SECRET_KEY"} <= environment_variables()


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_documented(name):
    assert f"`{name}`" in DOC, f"{name} is read by SLAN but not described in docs/configuration.md"


@pytest.mark.parametrize("command", [commands.serve, commands.worker, commands.createuser], ids=lambda c: c.name)
def test_every_command_option_is_documented(command: click.Command):
    assert f"`kslars {command.name}" in DOC
    for param in command.params:
        if isinstance(param, click.Option):
            for flag in param.opts:
                assert f"`{flag}`" in DOC, f"{flag} of kslars {command.name} is not in docs/configuration.md"
