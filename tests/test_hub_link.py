"""The nbgitpuller link pulls the course repository and opens the start notebook."""

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from hub_link import nbgitpuller_link  # noqa: E402


def test_link_pulls_the_repository_and_opens_the_start_notebook():
    link = nbgitpuller_link("https://hub.example.org/", "https://github.com/org/micromet.git")
    parts = urlsplit(link)
    assert parts.netloc == "hub.example.org"
    assert parts.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query["repo"] == ["https://github.com/org/micromet.git"]
    assert query["branch"] == ["main"]
    assert query["urlpath"] == ["lab/tree/micromet/notebooks/00_start_here.ipynb"]
    start = Path(__file__).resolve().parents[1] / "notebooks" / "00_start_here.ipynb"
    assert start.exists()  # the notebook the link opens is really there


def test_classic_interface_and_other_branch():
    link = nbgitpuller_link(
        "https://hub.example.org",
        "https://example.org/x/course",
        branch="spring",
        interface="notebook",
    )
    query = parse_qs(urlsplit(link).query)
    assert query["urlpath"] == ["tree/course/notebooks/00_start_here.ipynb"]
    assert query["branch"] == ["spring"]


@pytest.mark.parametrize(
    ("hub", "repo", "interface", "field"),
    [
        ("hub.example.org", "https://github.com/org/micromet", "lab", "hub_url"),
        ("https://hub.example.org", "git@github.com:org/micromet", "lab", "repo_url"),
        ("https://hub.example.org", "https://github.com/org/micromet", "voila", "interface"),
    ],
)
def test_bad_input_names_the_field(hub, repo, interface, field):
    with pytest.raises(ValueError, match=field):
        nbgitpuller_link(hub, repo, interface=interface)


def test_command_line_passes_every_option(capsys, monkeypatch):
    from hub_link import main

    argv = ["hub_link.py", "https://hub.example.org", "https://example.org/x/course.git"]
    monkeypatch.setattr(sys, "argv", [*argv, "--interface", "notebook", "--branch", "spring"])
    main()
    query = parse_qs(urlsplit(capsys.readouterr().out.strip()).query)
    assert query["urlpath"] == ["tree/course/notebooks/00_start_here.ipynb"]
    assert query["branch"] == ["spring"]
