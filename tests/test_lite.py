"""``make lite``: the course as a JupyterLite site (tools/build_lite.py).

The site is built once for the module and checked as files: no browser, no network at run
time (Pyodide itself comes from a CDN, which a test cannot rely on). The wheels the build
takes from PyPI are cached between runs (see --wheel-cache in tools/build_lite.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
BUILD_LITE = REPO / "tools" / "build_lite.py"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"
LITE_KERNELSPEC = {"display_name": "Python (Pyodide)", "language": "python", "name": "python"}
#: distributions that the Pyodide distribution itself provides (its lock file)
PYODIDE_PROVIDES = {"ipython", "traitlets", "numpy", "matplotlib"}


def lite_python() -> str:
    """The Python of the JupyterLite build tools (.venv-lite, made by ``make lite``/``make test``).

    Missing: a skip with the reason, or a failure when CI is set."""
    path = Path(os.environ.get("MICROMET_LITE_PYTHON") or REPO / ".venv-lite" / "bin" / "python")
    if not path.is_file():
        msg = f"no JupyterLite build environment at {path}: run `make lite` once"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{msg} [CI is set, so this is a failure, not a skip]", pytrace=False)
        pytest.skip(msg)
    return str(path)


def run_build(output: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [lite_python(), str(BUILD_LITE), "--output", str(output), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """Build the site once; also record the sources before and after."""
    before = {name: tree_digest(REPO / name) for name in ("notebooks", "micromet")}
    output = tmp_path_factory.mktemp("lite") / "lite"
    run = run_build(output)
    after = {name: tree_digest(REPO / name) for name in ("notebooks", "micromet")}
    return {"run": run, "site": output, "before": before, "after": after}


@pytest.fixture(scope="module")
def site(build) -> Path:
    run = build["run"]
    assert run.returncode == 0, f"build_lite.py failed:\n{run.stdout}\n{run.stderr}"
    return build["site"]


@pytest.fixture(scope="module")
def lite_config(site) -> dict:
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))
    return config["jupyter-config-data"]


@pytest.fixture(scope="module")
def piplite_index(site) -> dict:
    return json.loads((site / "pypi" / "all.json").read_text(encoding="utf-8"))


def index_wheel(site: Path, index: dict, name: str) -> Path:
    releases = index[name]["releases"]
    assert len(releases) == 1, f"{name}: expected one release, found {sorted(releases)}"
    (files,) = releases.values()
    return site / "pypi" / files[0]["filename"]


def lite_notebook(site: Path, name: str) -> dict:
    return json.loads((site / "files" / name).read_text(encoding="utf-8"))


def test_build_succeeds_and_reports(build, site):
    out = build["run"].stdout
    assert "notebooks: " + str(len(NOTEBOOKS)) in out
    assert "micromet-" in out and "ipywidgets-" in out
    assert str(site) in out


def test_repository_sources_untouched(build):
    assert build["before"] == build["after"]


def test_site_has_entry_pages(site):
    for rel in ("index.html", "lab/index.html", "notebooks/index.html", "jupyter-lite.json"):
        assert (site / rel).is_file(), rel


def test_every_notebook_is_in_the_site(site):
    assert NOTEBOOKS, "no course notebooks found"
    listed = json.loads((site / "api" / "contents" / "all.json").read_text(encoding="utf-8"))
    listed_names = {entry["name"]: entry for entry in listed["content"]}
    for path in NOTEBOOKS:
        assert (site / "files" / path.name).is_file(), path.name
        assert listed_names[path.name]["type"] == "notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_copy_is_install_cell_then_the_original_cells(site, path):
    original = json.loads(path.read_text(encoding="utf-8"))
    lite = lite_notebook(site, path.name)
    first, rest = lite["cells"][0], lite["cells"][1:]
    assert first["cell_type"] == "code"
    text = source(first)
    assert text.startswith("# JupyterLite only: installs the course package inside your browser")
    assert "%pip install -q --no-deps micromet" in text.splitlines()
    assert [(c["cell_type"], source(c)) for c in rest] == [
        (c["cell_type"], source(c)) for c in original["cells"]
    ]
    assert [c.get("id") for c in rest] == [c.get("id") for c in original["cells"]]
    assert first["id"] not in {c.get("id") for c in rest}
    assert all(c.get("outputs", []) == [] for c in lite["cells"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_copy_uses_the_pyodide_kernel(site, path):
    lite = lite_notebook(site, path.name)
    assert lite["metadata"]["kernelspec"] == LITE_KERNELSPEC
    assert lite["nbformat"] == 4


def run_coroutine(coroutine):
    """Run ``coroutine`` to the end in a thread of its own: the browser tests of the same session
    leave an event loop running in the main thread, where asyncio.run() is refused."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_install_cell_is_understood_by_the_shipped_piplite(site, tmp_path):
    """Every %pip line of the install cell parses with the piplite CLI the kernel ships, and
    micromet is installed without its declared dependencies (jupyterlab cannot install)."""
    shipped = site / "extensions" / KERNEL_EXTENSION / "static" / "pypi"
    (piplite_wheel,) = shipped.glob("piplite-*.whl")
    with zipfile.ZipFile(piplite_wheel) as wheel:
        (tmp_path / "piplite_cli.py").write_bytes(wheel.read("piplite/cli.py"))
    spec = importlib.util.spec_from_file_location("piplite_cli", tmp_path / "piplite_cli.py")
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)

    cell = source(lite_notebook(site, NOTEBOOKS[0].name)["cells"][0])
    requested = {}
    for line in cell.splitlines():
        match = re.match(r"^\s*%pip\b(.*)$", line)
        if not match:
            assert line.startswith("#"), line
            continue
        action, kwargs = run_coroutine(cli.get_action_kwargs(shlex.split(match[1])))
        assert action == "install", line
        for requirement in kwargs["requirements"]:
            requested[requirement] = kwargs.get("deps", True)
    assert requested.pop("micromet") is False
    assert set(requested) == {"ipywidgets", "matplotlib", "numpy"}
    assert all(requested.values())


def test_wheels_are_in_the_local_piplite_index(site, piplite_index):
    for name in ("micromet", "ipywidgets", "comm", "jupyterlab-widgets"):
        assert name in piplite_index, name
        wheel = index_wheel(site, piplite_index, name)
        assert wheel.is_file(), wheel.name
        assert wheel.name.endswith("-py3-none-any.whl")
        (release,) = next(iter(piplite_index[name]["releases"].values()))
        assert release["digests"]["sha256"] == sha256(wheel)
        assert release["url"] == f"./{wheel.name}"


def test_ipywidgets_version_matches_the_environment(site, piplite_index):
    from importlib.metadata import version

    assert set(piplite_index["ipywidgets"]["releases"]) == {version("ipywidgets")}
    assert set(piplite_index["jupyterlab-widgets"]["releases"]) == {version("jupyterlab_widgets")}


def test_micromet_wheel_holds_every_module_and_the_evidence(site, piplite_index):
    wheel = index_wheel(site, piplite_index, "micromet")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    package = REPO / "micromet"
    modules = {p.relative_to(REPO).as_posix() for p in package.rglob("*.py")}
    evidence = {p.relative_to(REPO).as_posix() for p in package.glob("data/evidence/*.json")}
    assert evidence, "no evidence files in the repository"
    assert modules - names == set()
    assert evidence - names == set()
    assert metadata["Name"] == "micromet"


def test_runtime_requirements_are_served_offline(site, piplite_index):
    """Every requirement of ipywidgets is met by the site's indexes or by Pyodide itself."""
    kernel_index = json.loads(
        (site / "extensions" / KERNEL_EXTENSION / "static" / "pypi" / "all.json").read_text(
            encoding="utf-8"
        )
    )
    served: dict[str, set[str]] = {}
    for index in (piplite_index, kernel_index):
        for name, entry in index.items():
            served.setdefault(name, set()).update(entry["releases"])
    with zipfile.ZipFile(index_wheel(site, piplite_index, "ipywidgets")) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    requirements = [Requirement(r) for r in metadata.get_all("Requires-Dist")]
    needed = [r for r in requirements if r.marker is None]
    assert needed
    for requirement in needed:
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name in PYODIDE_PROVIDES:
            continue
        versions = served.get(name, set())
        assert any(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"{requirement} is not served by the site (has {sorted(versions)})"
        )


def test_config_points_piplite_at_the_local_index(site, lite_config):
    urls = lite_config["litePluginSettings"][KERNEL_PLUGIN]["pipliteUrls"]
    first = urls[0]
    path, _, query = first.partition("?")
    assert path == "./pypi/all.json"
    assert query == f"sha256={sha256(site / 'pypi' / 'all.json')}"
    assert any(u.startswith(f"./extensions/{KERNEL_EXTENSION}/static/pypi/all.json") for u in urls)
    assert lite_config["defaultKernelName"] == "python"


def test_federated_extensions_are_in_the_site(site, lite_config):
    extensions = {e["name"]: e for e in lite_config["federated_extensions"]}
    for name in (WIDGET_MANAGER, KERNEL_EXTENSION):
        assert name in extensions, name
        assert (site / "extensions" / name / "package.json").is_file()
        assert (site / "extensions" / name / extensions[name]["load"]).is_file()
    assert not any("voila" in name for name in extensions)


def test_pyodide_option_bundles_a_local_distribution(tmp_path):
    """--pyodide takes a release archive and points the kernel at the copy inside the site
    (a stand-in archive here: the real one is large and comes from the network)."""
    distribution = tmp_path / "pyodide"
    distribution.mkdir()
    (distribution / "pyodide.mjs").write_text("export const loadPyodide = () => null;\n")
    (distribution / "pyodide-lock.json").write_text('{"info": {}, "packages": {}}\n')
    archive = tmp_path / "pyodide-0.0.0.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:
        tar.add(distribution, arcname="pyodide")
    output = tmp_path / "lite"
    run = run_build(output, "--pyodide", str(archive))
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert (output / "static" / "pyodide" / "pyodide.mjs").is_file()
    config = json.loads((output / "jupyter-lite.json").read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    output = tmp_path / "precious"
    output.mkdir()
    (output / "notes.txt").write_text("keep me\n")
    run = run_build(output)
    assert run.returncode == 1
    assert "not a JupyterLite site" in run.stderr
    assert (output / "notes.txt").read_text() == "keep me\n"
