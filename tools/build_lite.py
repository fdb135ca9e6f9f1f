"""Build the course as a JupyterLite site: JupyterLab in the browser, Python run by Pyodide.

    python tools/build_lite.py --output build/lite [--pyodide PATH_OR_URL]

Everything is assembled in a temporary folder, so the repository is never modified:

* a wheel of ``micromet`` is built from a copy of the sources;
* the pure-Python wheels the course needs and Pyodide does not ship (ipywidgets, comm,
  jupyterlab_widgets, at the versions installed here) are taken from a wheel cache, filled once
  with ``pip download``; all of them land in the site's own package index (``pypi/all.json``);
* each notebook is copied with one extra first cell that installs the course package in the
  browser kernel, the Pyodide kernel spec, and no stored outputs;
* ``jupyter lite build`` (jupyterlite-core) writes the site, which is then moved to ``--output``.

Serve the result with ``python -m http.server -d build/lite`` and open ``lab/index.html``.
See docs/jupyterlite.md.
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FIRST_NOTEBOOK = "00_start_here.ipynb"

#: the kernel spec of the Pyodide kernel, so JupyterLite opens the copies without asking
LITE_KERNELSPEC = {"display_name": "Python (Pyodide)", "language": "python", "name": "python"}

#: the cell put first in every notebook copy. micromet's metadata asks for jupyterlab, which
#: cannot be installed in Pyodide, so micromet goes in with --no-deps after its runtime needs.
INSTALL_CELL_ID = "jupyterlite-install"
INSTALL_CELL_SOURCE = (
    "# JupyterLite only: installs the course package inside your browser.\n"
    "# Run this cell first, each time the notebook's kernel starts (it takes a few seconds).\n"
    "%pip install -q ipywidgets matplotlib numpy\n"
    "%pip install -q --no-deps micromet"
)

#: pure-Python distributions the course needs in the browser that Pyodide does not provide
#: (numpy, matplotlib, traitlets and ipython come from the Pyodide distribution; the kernel
#: extension ships its own widgetsnbextension and ipykernel stand-ins)
RUNTIME_WHEELS = ("ipywidgets", "comm", "jupyterlab_widgets")

#: federated extensions copied into the site; other extensions installed in the environment
#: (such as the Voila preview button) do not work in JupyterLite and are left out
REQUIRED_EXTENSIONS = (
    "@jupyter-widgets/jupyterlab-manager",
    "@jupyterlite/pyodide-kernel-extension",
)
OPTIONAL_EXTENSIONS = ("jupyterlab_pygments",)

#: what goes into the wheel, besides the package itself
WHEEL_SOURCES = ("pyproject.toml", "README.md")


class BuildError(RuntimeError):
    """A failure with a message meant for the person running the build."""


def default_wheel_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "micromet" / "lite-wheels"


def log(message: str) -> None:
    print(f"[build_lite] {message}", flush=True)


def run(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-30:])
        raise BuildError(f"{what} failed (exit code {proc.returncode}):\n{tail}")
    return output


def source_date_epoch() -> str | None:
    """SOURCE_DATE_EPOCH from the environment, else the time of the last commit."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = proc.stdout.strip()
    return value if proc.returncode == 0 and value.isdigit() else None


def check_prerequisites() -> dict[str, Path]:
    """The build needs jupyterlite-core, the Pyodide kernel addon, jupyter_server and the
    widget manager extension; return the folders of the federated extensions to copy."""
    missing = [
        name
        for name, module in (
            ("jupyterlite-core", "jupyterlite_core"),
            ("jupyterlite-pyodide-kernel", "jupyterlite_pyodide_kernel"),
            ("jupyter_server", "jupyter_server"),
        )
        if importlib.util.find_spec(module) is None
    ]
    if missing:
        raise BuildError(
            f"missing {', '.join(missing)} in this Python ({sys.executable}); "
            "use `make lite`, which installs tools/lite-requirements.txt into .venv-lite"
        )
    labextensions = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    found: dict[str, Path] = {}
    for name in REQUIRED_EXTENSIONS + OPTIONAL_EXTENSIONS:
        folder = labextensions / name
        if (folder / "package.json").is_file():
            found[name] = folder
        elif name in REQUIRED_EXTENSIONS:
            raise BuildError(
                f"the JupyterLab extension {name} is not installed in {labextensions} "
                "(it comes with jupyterlab_widgets and jupyterlite-pyodide-kernel)"
            )
    return found


def course_notebooks() -> list[Path]:
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not notebooks:
        raise BuildError(f"no notebooks found in {NOTEBOOKS}")
    return notebooks


def install_cell() -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": INSTALL_CELL_ID,
        "metadata": {"tags": ["jupyterlite-only"]},
        "outputs": [],
        "source": INSTALL_CELL_SOURCE,
    }


def lite_notebook(notebook: dict) -> dict:
    """A copy of a course notebook for JupyterLite: the install cell first, the Pyodide
    kernel spec, outputs cleared (widget outputs cannot be shown before the kernel runs)."""
    lite = copy.deepcopy(notebook)
    for cell in lite["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    if any(cell.get("id") == INSTALL_CELL_ID for cell in lite["cells"]):
        raise BuildError(f"a notebook already has a cell with the id {INSTALL_CELL_ID}")
    lite["cells"].insert(0, install_cell())
    lite["metadata"]["kernelspec"] = dict(LITE_KERNELSPEC)
    return lite


def write_contents(content_dir: Path) -> list[str]:
    content_dir.mkdir(parents=True)
    names = []
    for path in course_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if notebook.get("nbformat") != 4 or notebook.get("nbformat_minor", 0) < 5:
            raise BuildError(f"{path.name}: expected nbformat 4.5 or later (cells with ids)")
        lite = lite_notebook(notebook)
        text = json.dumps(lite, indent=1, ensure_ascii=False) + "\n"
        (content_dir / path.name).write_text(text, encoding="utf-8")
        names.append(path.name)
    return names


def can_build_without_isolation() -> bool:
    """setuptools builds wheels by itself from 70.1, or with the ``wheel`` package before."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    parts = [int(p) for p in re.findall(r"\d+", version)[:2]] + [0, 0]
    return tuple(parts[:2]) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def build_micromet_wheel(staging: Path, env: dict[str, str]) -> Path:
    """Build the micromet wheel from a copy of the sources (pip writes build/ and *.egg-info
    next to the sources, which must not happen in the repository)."""
    src = staging / "src"
    src.mkdir()
    for name in WHEEL_SOURCES:
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "micromet", src / "micromet", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    dist = staging / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist)]
    offline = can_build_without_isolation()
    if offline:
        cmd += ["--no-build-isolation", "--no-index"]
    else:
        log("setuptools here cannot build wheels alone; pip fetches the build backend")
    try:
        run([*cmd, str(src)], staging, env, "building the micromet wheel")
    except BuildError as err:
        hint = "\nTo build offline, install setuptools>=70.1 (or wheel) in this environment."
        raise BuildError(f"{err}{'' if offline else hint}") from None
    wheels = sorted(dist.glob("micromet-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one micromet wheel, found {[w.name for w in wheels]}")
    return wheels[0]


def runtime_wheels(cache: Path, env: dict[str, str]) -> list[Path]:
    """The installed versions of RUNTIME_WHEELS as wheels, from the cache or pip download."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels, wanted = [], []
    for name in RUNTIME_WHEELS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError as err:
            raise BuildError(f"{name} is not installed in this Python") from err
        stem = re.sub(r"[-_.]+", "_", name).lower()
        found = sorted(cache.glob(f"{stem}-{version}-py3-none-any.whl"))
        if found:
            wheels.append(found[0])
        else:
            wanted.append((name, version, stem))
    if wanted:
        specs = [f"{name}=={version}" for name, version, _ in wanted]
        log(f"downloading {', '.join(specs)} into {cache}")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["--quiet", "-d", str(cache), *specs]
        try:
            run(cmd, cache, env, "pip download")
        except BuildError as err:
            raise BuildError(
                f"{err}\nThe wheels {', '.join(specs)} are needed once; connect to PyPI, or put "
                f"them in {cache} (or pass --wheel-cache DIR)"
            ) from None
        for _name, version, stem in wanted:
            found = sorted(cache.glob(f"{stem}-{version}-py3-none-any.whl"))
            if not found:
                raise BuildError(f"pip download did not produce {stem}-{version}-py3-none-any.whl")
            wheels.append(found[0])
    return wheels


def pyodide_config(pyodide: str | None, staging: Path) -> dict:
    """Forward --pyodide: a URL or a .tar.bz2 release archive goes to PyodideAddon.pyodide_url;
    an unpacked distribution (a folder with pyodide.mjs) is linked where the addon looks."""
    if not pyodide:
        return {}
    if re.match(r"^https?://", pyodide):
        return {"PyodideAddon": {"pyodide_url": pyodide}}
    path = Path(pyodide).expanduser().resolve()
    if path.is_dir():
        if not (path / "pyodide.mjs").is_file() or not (path / "pyodide-lock.json").is_file():
            raise BuildError(f"{path} has no pyodide.mjs and pyodide-lock.json")
        (staging / "static").mkdir()
        (staging / "static" / "pyodide").symlink_to(path, target_is_directory=True)
        return {}
    if path.is_file() and path.name.endswith(".tar.bz2"):
        return {"PyodideAddon": {"pyodide_url": str(path)}}
    raise BuildError(
        f"--pyodide {pyodide}: expected a URL, a pyodide-<version>.tar.bz2 file or a folder "
        "holding pyodide.mjs"
    )


def prepare_output(output: Path) -> None:
    """Refuse to replace a folder that is not an earlier JupyterLite build."""
    if output.exists():
        if not output.is_dir():
            raise BuildError(f"{output} exists and is not a folder")
        if any(output.iterdir()) and not (output / "jupyter-lite.json").is_file():
            raise BuildError(
                f"{output} is not empty and is not a JupyterLite site; choose another --output"
            )


def check_site(site: Path, notebooks: list[str], wheels: list[Path]) -> None:
    for rel in ("index.html", "lab/index.html", "jupyter-lite.json", "pypi/all.json"):
        if not (site / rel).is_file():
            raise BuildError(f"the built site has no {rel}")
    for name in notebooks:
        if not (site / "files" / name).is_file():
            raise BuildError(f"the built site has no files/{name}")
    index = json.loads((site / "pypi" / "all.json").read_text(encoding="utf-8"))
    for wheel in wheels:
        if not (site / "pypi" / wheel.name).is_file():
            raise BuildError(f"the built site has no pypi/{wheel.name}")
    for name in ("micromet", *RUNTIME_WHEELS):
        if re.sub(r"[-_.]+", "-", name).lower() not in index:
            raise BuildError(f"{name} is missing from the site's package index pypi/all.json")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(output: Path, pyodide: str | None, wheel_cache: Path, verbose: bool) -> None:
    started = time.monotonic()
    output = output.expanduser().resolve()
    prepare_output(output)
    extensions = check_prerequisites()

    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    epoch = source_date_epoch()
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch

    with tempfile.TemporaryDirectory(prefix="micromet-lite-") as tmp:
        staging = Path(tmp)
        micromet_wheel = build_micromet_wheel(staging, env)
        wheels = [micromet_wheel, *runtime_wheels(wheel_cache.expanduser().resolve(), env)]

        lite_dir = staging / "lite"
        lite_dir.mkdir()
        notebooks = write_contents(lite_dir / "content")
        site = staging / "site"
        config = {
            "LiteBuildConfig": {
                "contents": ["content"],
                "output_dir": str(site),
                "no_sourcemaps": True,
                "ignore_sys_prefix": ["federated_extensions"],
                "federated_extensions": [str(folder) for folder in extensions.values()],
            },
            "PipliteAddon": {"piplite_urls": [str(wheel) for wheel in wheels]},
            **pyodide_config(pyodide, lite_dir),
        }
        (lite_dir / "jupyter_lite_config.json").write_text(
            json.dumps(config, indent=2) + "\n", encoding="utf-8"
        )
        cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir)]
        build_log = run(cmd, lite_dir, env, "jupyter lite build")
        if verbose:
            print(build_log)
        check_site(site, notebooks, wheels)

        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(site), str(output))

    elapsed = time.monotonic() - started
    size = folder_size(output) / 1e6
    config = json.loads((output / "jupyter-lite.json").read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"]["litePluginSettings"].get(
        "@jupyterlite/pyodide-kernel-extension:kernel", {}
    )
    pyodide_from = kernel.get("pyodideUrl") or "the jsDelivr CDN (internet needed in class)"
    log(f"site: {output} ({size:.1f} MB, built in {elapsed:.1f} s)")
    log(f"notebooks: {len(notebooks)} ({', '.join(notebooks)})")
    log(f"wheels in pypi/all.json: {', '.join(w.name for w in wheels)}")
    log(f"Pyodide runtime: {pyodide_from}")
    log(
        f"serve: python -m http.server -d {output} 8000, then open "
        f"http://127.0.0.1:8000/lab/index.html?path={FIRST_NOTEBOOK}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, required=True, help="folder for the site")
    parser.add_argument(
        "--pyodide",
        metavar="PATH_OR_URL",
        help="a Pyodide release (pyodide-<version>.tar.bz2, a URL to one, or an unpacked "
        "folder) to include in the site, so Python runs without the CDN",
    )
    parser.add_argument(
        "--wheel-cache",
        type=Path,
        default=default_wheel_cache(),
        help="folder holding downloaded wheels (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="print the jupyter lite log")
    args = parser.parse_args(argv)
    try:
        build(args.output, args.pyodide, args.wheel_cache, args.verbose)
    except BuildError as err:
        print(f"build_lite: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
