"""Build an nbgitpuller link: one click gives each learner on a JupyterHub their own copy of the
course, opened at the start notebook (and updated, without losing their edits, on later clicks).

    python tools/hub_link.py https://hub.example.org https://github.com/ORG/micromet
"""

from __future__ import annotations

import argparse
from urllib.parse import urlencode, urlsplit

START = "notebooks/00_start_here.ipynb"


def nbgitpuller_link(
    hub_url: str, repo_url: str, *, branch: str = "main", path: str = START, interface: str = "lab"
) -> str:
    """The hub URL that pulls ``repo_url`` into the learner's home and opens ``path``."""
    for name, url in (("hub_url", hub_url), ("repo_url", repo_url)):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{name} must be an http(s) URL such as https://host/..., got {url!r}")
    if interface not in ("lab", "notebook"):
        raise ValueError(f"interface must be 'lab' or 'notebook', got {interface!r}")
    folder = urlsplit(repo_url).path.rstrip("/").split("/")[-1].removesuffix(".git")
    opener = "lab/tree" if interface == "lab" else "tree"
    query = urlencode({"repo": repo_url, "urlpath": f"{opener}/{folder}/{path}", "branch": branch})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hub_url", help="the class JupyterHub, e.g. https://hub.example.org")
    parser.add_argument("repo_url", help="the course repository's clone URL")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--path", default=START, help=f"notebook to open (default {START})")
    parser.add_argument(
        "--interface",
        choices=("lab", "notebook"),
        default="lab",
        help="open in JupyterLab (default) or the classic notebook interface",
    )
    args = parser.parse_args()
    print(
        nbgitpuller_link(
            args.hub_url,
            args.repo_url,
            branch=args.branch,
            path=args.path,
            interface=args.interface,
        )
    )


if __name__ == "__main__":
    main()
