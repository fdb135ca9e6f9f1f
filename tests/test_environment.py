"""environment.yml (conda, Binder) installs the same runtime packages as pyproject.toml."""

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _conda_dependencies() -> dict[str, str]:
    deps = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        item = re.match(r"^  - ([^:]+)$", line)
        if in_deps and item:
            name, spec = _name_and_spec(item.group(1))
            deps[name] = spec
    return deps


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = dict(_name_and_spec(r) for r in project["dependencies"])
    conda = _conda_dependencies()
    conda_python = conda.pop("python")
    conda.pop("pip")
    assert conda == runtime
    assert conda_python == project["requires-python"]


def test_environment_yml_installs_the_package_itself():
    assert re.search(r"^\s+- -e \.$", (ROOT / "environment.yml").read_text(), re.M)
