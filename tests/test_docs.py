"""The README's set-up commands, CI and the developer docs stay true to the repository."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
DEVELOPMENT = (REPO / "docs" / "development.md").read_text()
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text()


def quick_start_commands() -> list[str]:
    """The commands in the README's Quick start code block (comments removed)."""
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_the_readme_gives_exactly_the_two_setup_commands() -> None:
    assert quick_start_commands() == ["bash scripts/serve.sh", "bash scripts/test.sh"]


@pytest.mark.parametrize("script", ["scripts/serve.sh", "scripts/test.sh", "scripts/venv.sh", ".ci/run"])
def test_setup_scripts_are_valid_bash(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(REPO / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    assert ci.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in ci
    assert re.search(r"^exec bash scripts/test\.sh$", ci, re.M)


def test_every_pytest_marker_is_documented() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    markers = [m.split(":", 1)[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]]
    assert markers
    for marker in markers:
        assert f"`{marker}`" in DEVELOPMENT, f"marker {marker!r} is missing from docs/development.md"


def test_every_variable_the_test_command_exports_is_documented() -> None:
    exported = re.findall(r"^export (\w+)=", (REPO / "scripts" / "test.sh").read_text(), re.M)
    assert "KSLARS_TEST_POSTGRES_URL" in exported and "KSLARS_TEST_REDIS_URL" in exported
    for name in exported:
        assert f"`{name}`" in DEVELOPMENT, f"{name} is missing from docs/development.md"


def test_readme_links_and_images_exist() -> None:
    targets = re.findall(r"\]\(((?!https?://)[^)#]+)\)", README)
    assert "docs/images/editor.png" in targets
    for target in targets:
        assert (REPO / target).exists(), f"README links to {target}, which does not exist"
    assert (REPO / "docs" / "images" / "editor.png").stat().st_size < 300 * 1024


def test_the_architecture_names_every_module_and_web_app() -> None:
    package = REPO / "kslars"
    names = [p.name for p in package.iterdir() if p.suffix == ".py" and p.name != "__init__.py"]
    names += [p.name + "/" for p in package.iterdir() if (p / "__init__.py").exists()]
    names += [p.name + "/" for p in (package / "web").iterdir() if (p / "apps.py").exists()]
    for name in names:
        assert name in ARCHITECTURE, f"docs/architecture.md does not mention kslars/{name}"


def test_every_benchmark_is_listed_in_the_development_guide() -> None:
    scripts = sorted(p.name for p in (REPO / "benchmarks").glob("*.py"))
    for name in scripts:
        assert f"`{name}`" in DEVELOPMENT, f"benchmarks/{name} is missing from docs/development.md"
