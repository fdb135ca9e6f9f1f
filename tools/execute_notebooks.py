"""Execute notebooks in place in a fresh kernel, so the stored outputs checked by nbval are current.

Widget state is dropped from the saved file: it holds rendered PNGs and random model ids, and
the notebooks rebuild every widget when run.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(nb: nbformat.NotebookNode, workdir: Path) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in a fresh kernel started in ``workdir``; keep the widget state."""
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(workdir)}},
    ).execute()
    return nb


def execute(path: Path) -> None:
    nb = run(nbformat.read(path, as_version=4), path.parent)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name))
