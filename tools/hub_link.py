"""Print the nbgitpuller link that gives each student their own copy of the course on a hub.

A student who opens the link logs in to the hub, their server starts, nbgitpuller clones the
course into their home directory (or, on later visits, merges the teacher's updates without
overwriting the student's edits) and JupyterLab opens at lesson 00::

    python tools/hub_link.py https://hub.example.edu
    python tools/hub_link.py https://hub.example.edu --repo https://github.com/me/course \\
        --branch main --path notebooks/08_playground.ipynb

The hub may be given as any address of it a teacher copies from the browser
(``https://hub.example.edu/hub/login?next=…``, ``…/hub/lab``, ``…/user/NAME/lab``): the link
is made from its scheme, host and base URL, the page, query and fragment are left out.
``--repo`` defaults to the URL of this checkout's git remote (an SSH remote is given as its
HTTPS address, which students' servers can clone without a key), ``--branch`` to the remote
branch this checkout tracks (else the current branch), ``--path`` to lesson 00. A path on
this machine (``/srv/course``, ``C:\\Users\\me\\course``) is refused: students' servers
cannot clone it. Only the link goes to standard output; what was assumed goes to standard
error.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

try:
    from tools.course import ROOT, START
except ImportError:  # run as a script: python tools/hub_link.py
    from course import ROOT, START

DEFAULT_PATH = START.path.relative_to(ROOT).as_posix()  # notebooks/00_start_here.ipynb
CLONE_SCHEMES = ("https", "http", "git", "ssh", "file")


class LinkError(ValueError):
    """A link cannot be made from what was given; the message says how to fix it."""


def clone_dir(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into: the URL's last segment, as nbgitpuller
    1.x computes it (``repo.rstrip('/').split('/')[-1]``; a ``.git`` suffix stays)."""
    return repo.rstrip("/").split("/")[-1]


def is_local_path(repo: str) -> bool:
    """True for a path on this machine rather than a URL: ``/srv/course``, ``./course``,
    ``~/course``, ``C:\\Users\\me\\course``, ``C:/Users/me/course``, ``\\\\server\\share``."""
    return bool(re.match(r"[A-Za-z]:(?:[\\/]|$)|[\\/.~]", repo)) or "\\" in repo


def https_url(remote: str) -> str:
    """A remote URL students' servers can clone anonymously: SSH forms become HTTPS, and a
    user name or token in the URL (``https://me:TOKEN@…``) is left out of the link. A path
    on this machine is returned as it is (:func:`hub_link` refuses it)."""
    if is_local_path(remote):  # C:\\Users\\me is not the SSH host "C"
        return remote
    scp_like = re.fullmatch(r"(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)", remote)
    if scp_like and "/" not in scp_like.group(1):  # git@github.com:me/course.git
        return f"https://{scp_like.group(1)}/{scp_like.group(2).lstrip('/')}"
    parts = urlsplit(remote)
    if parts.scheme == "ssh":  # ssh://git@github.com/me/course.git
        return f"https://{parts.hostname}{parts.path}"
    if parts.scheme in ("https", "http") and "@" in parts.netloc:
        return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    return remote


# JupyterHub serves its own pages under BASE/hub/ and each user's server under BASE/user/NAME/.
HUB_PAGE_PREFIXES = ("hub", "user")


def hub_base(hub: str) -> str:
    """The hub's address (scheme, host, port and base URL, no trailing slash) from any
    address of it: the page, query and fragment of ``…/hub/login?next=…#x`` are dropped.

    >>> hub_base("https://hub.example.edu/hub/lab?next=%2Fhub%2F#top")
    'https://hub.example.edu'
    >>> hub_base("https://example.edu/jupyter/user/alice/lab")
    'https://example.edu/jupyter'
    """
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise LinkError(f"hub must be the hub's address, like https://hub.example.edu; got {hub!r}")
    if parts.username is not None or parts.password is not None:
        raise LinkError(
            f"hub must not hold a user name or password (they would reach every student); "
            f"got {hub!r}: give the address alone, like https://hub.example.edu"
        )
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise LinkError(
            f"hub has a port that is not a number from 0 to 65535; got {hub!r}: "
            "give the address as the browser shows it, like https://hub.example.edu:8000"
        ) from None
    segments = [s for s in parts.path.split("/") if s]
    for i, segment in enumerate(segments):
        if segment in HUB_PAGE_PREFIXES:  # a page of the hub: the base URL ends before it
            segments = segments[:i]
            break
    return f"{parts.scheme}://{parts.netloc}" + "".join(f"/{s}" for s in segments)


def hub_link(hub: str, repo: str, branch: str, path: str = DEFAULT_PATH) -> str:
    """The nbgitpuller link for ``hub`` that opens ``path`` (relative to the repository root)."""
    base = hub_base(hub)
    if is_local_path(repo):
        raise LinkError(
            f"repo must be a URL that students' servers can clone (https://…); got {repo!r}, "
            "which looks like a path on this machine. Pass --repo with the course's public URL."
        )
    repo_parts = urlsplit(repo)
    if repo_parts.scheme not in CLONE_SCHEMES or (
        repo_parts.scheme != "file" and not repo_parts.netloc
    ):
        raise LinkError(
            f"repo must be a URL that students' servers can clone, starting with "
            f"{', '.join(s + '://' for s in CLONE_SCHEMES)}; got {repo!r}. Pass --repo with "
            "the course's public URL, like https://github.com/me/course."
        )
    if not branch:
        raise LinkError("branch is empty: pass --branch with the branch students should get")
    path = path.strip("/")
    if not path:
        raise LinkError("path is empty: pass --path with a file in the repository")
    query = urlencode(
        {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{clone_dir(repo)}/{path}"},
        quote_via=quote,
        safe="",
    )
    return f"{base}/hub/user-redirect/git-pull?{query}"


def _git(*args: str, cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def git_defaults(cwd: Path = ROOT) -> tuple[str | None, str | None, str]:
    """(repo URL, branch, where they came from) for the checkout at ``cwd``."""
    branch = _git("symbolic-ref", "--quiet", "--short", "HEAD", cwd=cwd)
    upstream = _git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", cwd=cwd)
    remote = _git("config", f"branch.{branch}.remote", cwd=cwd) if branch else None
    if remote in (None, "."):
        remote = "origin"
    url = _git("remote", "get-url", remote, cwd=cwd)
    if upstream and upstream.startswith(f"{remote}/"):
        branch = upstream[len(remote) + 1 :]
    source = f"git remote {remote!r}" if url else "no git remote"
    return (https_url(url) if url else None), branch, source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", help="the course repository's URL (default: the git remote)")
    parser.add_argument("--branch", help="the branch students get (default: tracked branch)")
    parser.add_argument("--path", default=DEFAULT_PATH, help=f"file to open ({DEFAULT_PATH})")
    args = parser.parse_args(argv)

    repo, branch, source = git_defaults()
    repo = https_url(args.repo) if args.repo else repo
    branch = args.branch or branch
    if not repo:
        parser.error(f"this checkout has {source}: pass --repo https://… (the course's URL)")
    if not branch:
        parser.error("this checkout is not on a branch: pass --branch NAME")
    try:
        link = hub_link(args.hub, repo, branch, args.path)
    except LinkError as exc:
        parser.error(str(exc))
    base = hub_base(args.hub)
    given = args.hub.strip().rstrip("/")
    print(
        f"hub {base}{'' if base == given else f' (from {given!r}: page and query left out)'}, "
        f"repo {repo}{'' if args.repo else f' (from {source})'}, branch {branch}, "
        f"opens {clone_dir(repo)}/{args.path.strip('/')}",
        file=sys.stderr,
    )
    print(link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
