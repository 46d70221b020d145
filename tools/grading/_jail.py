"""The inside of the sandbox (tools/grading/sandbox.py starts it): runs as root in new mount,
PID, network, IPC and UTS namespaces, builds a private file system, drops to the sandbox user
and executes the runner. Standard library only: it is run with ``python -S -E -B``.

Its configuration comes as one JSON object on standard input:
``root`` (an empty folder to build the file system in), ``binds`` (host paths shown read-only
at the same place), ``library`` (the students' xentlib, shown read-only at /xent-lib), ``masks`` (paths hidden by an empty read-only folder), ``job.json`` and
``runner.py`` (texts written to /xent-job, read-only), ``uid``/``gid``, ``limits``, ``argv`` and ``env`` of the runner,
and ``status_fd``: a pipe on which it writes ``ready`` just before it executes the runner (the
pipe closes on exec, so student code never holds it), which tells the grader that the sandbox
was built: without it, a failure is the grader's machine's, never the student's.

After switching to the sandbox user it asks again for SIGKILL when its parent (``unshare``)
dies: switching users clears that request, and without it a process that left ``unshare``'s
process group would outlive a killed grader. The runner it executes is the first process of
the new PID namespace: when it ends, the kernel ends every process the student's code started.
"""

import ctypes
import json
import os
import resource
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SIGKILL = 9
_libc = ctypes.CDLL(None, use_errno=True)


def mount(source, target, fstype, flags, data=None):
    encode = lambda s: None if s is None else str(s).encode()  # noqa: E731
    if _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def bind_read_only(source, target):
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        open(target, "a").close()
    mount(source, target, None, MS_BIND | MS_REC)
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def main():
    config = json.loads(sys.stdin.read())
    status_fd = config["status_fd"]
    os.set_inheritable(status_fd, False)  # closed when the runner is executed
    root = config["root"]
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for path in config["binds"]:
        if os.path.islink(path):  # /lib -> usr/lib on merged-/usr systems
            os.makedirs(root + os.path.dirname(path), mode=0o755, exist_ok=True)
            os.symlink(os.readlink(path), root + path)
        elif os.path.exists(path):
            bind_read_only(path, root + path)
    bind_read_only(config["library"], f"{root}/xent-lib")
    for path in config["masks"]:
        mount("tmpfs", root + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
    for device in ("null", "zero", "random", "urandom"):
        bind_read_only(f"/dev/{device}", f"{root}/dev/{device}")
    os.makedirs(f"{root}/proc", exist_ok=True)
    mount("proc", f"{root}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    limits = config["limits"]
    for where, size, mode in (("tmp", limits["tmp_bytes"], "1777"), ("xent-job", 1 << 22, "0755")):
        os.makedirs(f"{root}/{where}", exist_ok=True)
        mount("tmpfs", f"{root}/{where}", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")
    for name in ("job.json", "runner.py"):
        with open(f"{root}/xent-job/{name}", "w") as f:
            f.write(config[name])
        os.chmod(f"{root}/xent-job/{name}", 0o444)
    mount(None, f"{root}/xent-job", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chroot(root)
    os.chdir("/tmp")
    for name, value in (
        ("RLIMIT_CPU", limits["cpu_seconds"]),
        ("RLIMIT_AS", limits["memory_bytes"]),
        ("RLIMIT_NPROC", limits["processes"]),
        ("RLIMIT_FSIZE", limits["file_bytes"]),
        ("RLIMIT_NOFILE", 256),
        ("RLIMIT_CORE", 0),
    ):
        resource.setrlimit(getattr(resource, name), (value, value))
    os.setgroups([])
    os.setgid(config["gid"])
    os.setuid(config["uid"])
    for option, value in ((PR_SET_NO_NEW_PRIVS, 1), (PR_SET_PDEATHSIG, SIGKILL)):
        if _libc.prctl(option, value, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl({option}, {value})")
    os.write(status_fd, b"ready")
    try:
        os.execve(config["argv"][0], config["argv"], config["env"])
    except OSError as exc:
        os.write(status_fd, f" but the runner could not start: {exc}".encode())
        raise


if __name__ == "__main__":
    main()
