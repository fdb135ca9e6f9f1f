"""Keep tests hermetic: Jupyter, IPython and matplotlib write their user files to a temp dir."""

import os
import shutil
import tempfile

import pytest

_ROOT = pytest.StashKey[str]()
_USER_DIRS = {
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


def pytest_configure(config):
    root = tempfile.mkdtemp(prefix="micromet-tests-")
    config.stash[_ROOT] = root
    for variable, folder in _USER_DIRS.items():
        path = os.path.join(root, folder)
        os.makedirs(path, exist_ok=True)
        os.environ[variable] = path
    os.environ["MPLBACKEND"] = "Agg"


def pytest_unconfigure(config):
    shutil.rmtree(config.stash.get(_ROOT, ""), ignore_errors=True)
