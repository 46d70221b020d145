"""tools/hub_link.py and `make hub-link`: the nbgitpuller link teachers hand to students."""

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from tools import hub_link as hl
from tools.course import ROOT, START


def _query(link: str) -> dict[str, str]:
    parts = urlsplit(link)
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values()), query
    return {key: values[0] for key, values in query.items()}


def test_link_opens_lesson_00_in_the_clone():
    link = hl.hub_link("https://hub.example.edu", "https://github.com/me/xent-course", "main")
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull"
        "?repo=https%3A%2F%2Fgithub.com%2Fme%2Fxent-course&branch=main"
        "&urlpath=lab%2Ftree%2Fxent-course%2Fnotebooks%2F00_start_here.ipynb"
    )
    assert (
        hl.DEFAULT_PATH
        == "notebooks/00_start_here.ipynb"
        == START.path.relative_to(ROOT).as_posix()
    )


@pytest.mark.parametrize(
    ("repo", "branch", "path"),
    [
        ("https://example.org/a b/c+d.git", "spring 2027", "notebooks/08_playground.ipynb"),
        ("https://example.org/x?y=1&z=2#frag", "fix/a&b=c", "notebooks/lesson #1.ipynb"),
        ("https://example.org/ü/kurs", "zweig+ä", "notebooks/übung 01.ipynb"),
    ],
    ids=["spaces-and-plus", "query-characters", "non-ascii"],
)
def test_every_value_survives_url_encoding(repo, branch, path):
    link = hl.hub_link("https://hub.example.edu", repo, branch, path)
    query = urlsplit(link).query
    for raw in (" ", "#", "+", "?", "ü"):
        assert raw not in query, f"{raw!r} is not encoded in {query}"
    assert query.count("&") == 2  # only the separators of the three parameters
    assert _query(link) == {
        "repo": repo,
        "branch": branch,
        "urlpath": f"lab/tree/{hl.clone_dir(repo)}/{path}",
    }


@pytest.mark.parametrize(
    ("hub", "base"),
    [
        ("https://hub.example.edu", "https://hub.example.edu"),
        ("https://hub.example.edu/", "https://hub.example.edu"),
        ("https://hub.example.edu/hub/", "https://hub.example.edu"),
        ("https://example.edu/jupyter/", "https://example.edu/jupyter"),  # a hub's base_url
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        # addresses copied from the browser: a page, a query, a fragment
        ("https://hub.example.edu/hub/lab", "https://hub.example.edu"),
        ("https://hub.example.edu/hub/login?next=%2Fhub%2Fhome", "https://hub.example.edu"),
        ("https://hub.example.edu/?next=x", "https://hub.example.edu"),
        ("https://hub.example.edu/#top", "https://hub.example.edu"),
        ("https://hub.example.edu?x=1#y", "https://hub.example.edu"),
        ("https://example.edu/jupyter/hub/lab?x=1#y", "https://example.edu/jupyter"),
        ("https://hub.example.edu/user/alice/lab/tree/x.ipynb", "https://hub.example.edu"),
        (" http://127.0.0.1:8000/hub/home ", "http://127.0.0.1:8000"),
    ],
    ids=lambda v: v.strip(),
)
def test_hub_address_forms(hub, base):
    assert hl.hub_base(hub) == base
    link = hl.hub_link(hub, "https://github.com/me/c", "main")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{base}/hub/user-redirect/git-pull"
    assert parts.fragment == ""
    assert _query(link) == {
        "repo": "https://github.com/me/c",
        "branch": "main",
        "urlpath": "lab/tree/c/notebooks/00_start_here.ipynb",
    }


@pytest.mark.parametrize(
    ("repo", "folder"),
    [
        ("https://github.com/me/xent-course", "xent-course"),
        ("https://github.com/me/xent-course/", "xent-course"),
        ("https://github.com/me/xent-course.git", "xent-course.git"),  # nbgitpuller keeps it
        ("file:///srv/course/xent-course", "xent-course"),
    ],
)
def test_clone_folder_is_nbgitpullers(repo, folder):
    assert hl.clone_dir(repo) == folder
    assert _query(hl.hub_link("https://h.example", repo, "main"))["urlpath"].startswith(
        f"lab/tree/{folder}/notebooks/"
    )


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:me/course.git", "https://github.com/me/course.git"),
        ("github.com:me/course", "https://github.com/me/course"),
        (
            "ssh://git@gitlab.example.edu/teach/course.git",
            "https://gitlab.example.edu/teach/course.git",
        ),
        ("https://github.com/me/course", "https://github.com/me/course"),
        ("https://me:ghp_s3cret@github.com/me/course.git", "https://github.com/me/course.git"),
        ("http://me@git.example.edu:8080/course", "http://git.example.edu:8080/course"),
        ("file:///srv/course", "file:///srv/course"),
    ],
)
def test_remotes_become_anonymous_https(remote, url):
    assert hl.https_url(remote) == url


WINDOWS_AND_LOCAL_PATHS = [
    "C:\\Users\\me\\course",
    "C:/Users/me/course",
    "c:\\course",
    "D:",
    "\\\\server\\share\\course",
    "./course",
    "../course",
    "~/course",
    "/home/me/course",
]


@pytest.mark.parametrize("path", WINDOWS_AND_LOCAL_PATHS)
def test_a_local_path_is_not_taken_for_an_ssh_remote(path):
    # "C:\\Users\\me\\course" has the form HOST:PATH of an SSH remote, host "C"
    assert hl.is_local_path(path)
    assert hl.https_url(path) == path
    with pytest.raises(hl.LinkError, match="looks like a path on this machine"):
        hl.hub_link("https://hub.example.edu", hl.https_url(path), "main")


@pytest.mark.parametrize(
    "remote", ["git@github.com:me/course.git", "https://github.com/me/c", "file:///srv/c"]
)
def test_urls_are_not_local_paths(remote):
    assert not hl.is_local_path(remote)


@pytest.mark.parametrize(
    ("hub", "repo", "branch", "path", "message"),
    [
        ("hub.example.edu", "https://g.example/c", "main", "a.ipynb", "hub must be"),
        ("ftp://hub.example.edu", "https://g.example/c", "main", "a.ipynb", "hub must be"),
        ("https://hub.example.edu", "/home/me/course", "main", "a.ipynb", "path on this machine"),
        ("https://hub.example.edu", "https://g.example/c", "", "a.ipynb", "branch is empty"),
        ("https://hub.example.edu", "https://g.example/c", "main", "/", "path is empty"),
        ("https://hub.example.edu", "ftp://g.example/c", "main", "a.ipynb", "starting with"),
        ("https://hub.example.edu", "https:///c", "main", "a.ipynb", "starting with"),
        ("https://hub.example.edu", "course", "main", "a.ipynb", "starting with"),
        ("https://me:pw@hub.example.edu", "https://g.example/c", "main", "a", "user name"),
        ("https://hub.example.edu:80x", "https://g.example/c", "main", "a", "port"),
        ("https://", "https://g.example/c", "main", "a.ipynb", "hub must be"),
    ],
)
def test_what_cannot_be_a_link_says_how_to_fix_it(hub, repo, branch, path, message):
    with pytest.raises(hl.LinkError, match=message):
        hl.hub_link(hub, repo, branch, path)


def _git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path):
    """A teacher's checkout on branch 'spring', with no remote yet."""
    _git(tmp_path, "init", "--quiet", "--initial-branch=spring")
    _git(
        tmp_path,
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.edu",
        "commit",
        "--allow-empty",
        "-qm",
        "x",
    )
    return tmp_path


def test_defaults_come_from_the_tracked_remote_branch(checkout):
    _git(checkout, "remote", "add", "origin", "git@github.com:me/xent-course.git")
    _git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(checkout, "branch", "--set-upstream-to=origin/main")
    assert hl.git_defaults(checkout) == (
        "https://github.com/me/xent-course.git",
        "main",
        "git remote 'origin'",
    )


def test_without_a_remote_the_repo_must_be_given(checkout):
    assert hl.git_defaults(checkout) == (None, "spring", "no git remote")
    assert hl.git_defaults(checkout / "not-a-checkout") == (None, None, "no git remote")


def test_script_prints_only_the_link_on_stdout():
    args = ["https://hub.example.edu", "--repo", "git@github.com:me/c.git", "--branch", "main"]
    result = subprocess.run(
        [sys.executable, ROOT / "tools" / "hub_link.py", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == hl.hub_link(*args[:1], "https://github.com/me/c.git", "main") + "\n"
    assert "repo https://github.com/me/c.git, branch main" in result.stderr


@pytest.mark.parametrize("repo", ["/srv/c", "C:\\Users\\me\\course"], ids=["posix", "windows"])
def test_script_refuses_a_local_path_with_advice(repo):
    result = subprocess.run(
        [
            sys.executable,
            ROOT / "tools" / "hub_link.py",
            "https://h.example",
            "--repo",
            repo,
            "--branch",
            "main",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"got {repo!r}, which looks like a path on this machine" in result.stderr
    assert "Pass --repo with the course's public URL" in result.stderr


def test_script_says_which_part_of_a_hub_address_it_left_out():
    hub = "https://hub.example.edu/hub/login?next=%2Fhub%2Fhome"
    args = [hub, "--repo", "https://github.com/me/c", "--branch", "main"]
    result = subprocess.run(
        [sys.executable, ROOT / "tools" / "hub_link.py", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=")
    assert f"hub https://hub.example.edu (from {hub!r}: page and query left out)" in result.stderr


def test_make_hub_link():
    made = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "hub-link",
            "HUB=https://hub.example.edu",
            "REPO=https://github.com/me/xent-course",
            "BRANCH=main",
            "NOTEBOOK=notebooks/08_playground.ipynb",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert made.stdout == (
        hl.hub_link(
            "https://hub.example.edu",
            "https://github.com/me/xent-course",
            "main",
            "notebooks/08_playground.ipynb",
        )
        + "\n"
    )
    usage = subprocess.run(["make", "hub-link"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode != 0
    assert "usage: make hub-link HUB=https://hub.example.edu" in usage.stderr
