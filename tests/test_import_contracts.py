"""The import contracts of pyproject.toml (checked by lint-imports in scripts/test.sh) cover the whole core."""

from __future__ import annotations

import pkgutil
import tomllib

import kslars
from tests.conftest import REPO_ROOT

NOT_CORE = {"web", "cli"}  # the web tool and the command line may import Django


def contract(contract_id: str) -> dict:
    """The import-linter contract ``contract_id`` of pyproject.toml."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    return contracts[contract_id]


def test_every_core_module_is_kept_away_from_django_and_the_web_tool():
    core = {f"kslars.{m.name}" for m in pkgutil.iter_modules(kslars.__path__) if m.name not in NOT_CORE}
    listed = contract("core-without-web")["source_modules"]
    assert sorted(core - set(listed)) == [], "add these core modules to the core-without-web contract"
    assert sorted(set(listed) - core) == [], "these modules in the core-without-web contract do not exist"
    assert {"django", "ninja", "celery", "kslars.web"} <= set(contract("core-without-web")["forbidden_modules"])
