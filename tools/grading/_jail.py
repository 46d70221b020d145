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
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 1, 38, 22, 2
SIGKILL = 9
# The kernel's key store (add_key, request_key, keyctl) outlives every namespace above: a key
# put in the sandbox user's keyring (or its persistent keyring) would still be there for the
# next sandbox, the next student's. They are refused, per architecture (AUDIT_ARCH_*: the
# syscall numbers of each); a syscall of any other architecture is refused altogether.
KEYRING_SYSCALLS = {
    0xC000003E: (
        248,
        249,
        250,
        0x40000000 | 248,
        0x40000000 | 249,
        0x40000000 | 250,
    ),  # x86_64, x32
    0x40000003: (286, 287, 288),  # i386
    0xC00000B7: (217, 218, 219),  # aarch64
    0x40000028: (309, 310, 311),  # arm
    0xC00000F3: (217, 218, 219),  # riscv64
    0xC0000015: (269, 270, 271),  # ppc64le
}
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


class SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def keyring_filter():
    """A seccomp program: EPERM for the key-store syscalls and for foreign architectures."""
    load, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    allow, eperm = 0x7FFF0000, 0x00050000 | 1
    program = [(load, 0, 0, 4)]  # the architecture
    for arch, numbers in KEYRING_SYSCALLS.items():
        block = [(load, 0, 0, 0)]  # the syscall number
        for i, number in enumerate(numbers):
            block.append((jeq, len(numbers) - i, 0, number))  # to the EPERM below
        block += [(ret, 0, 0, allow), (ret, 0, 0, eperm)]
        program.append((jeq, 0, len(block), arch))
        program += block
    program.append((ret, 0, 0, eperm))
    return program


def refuse_keyrings():
    program = keyring_filter()
    array = (SockFilter * len(program))(*[SockFilter(*op) for op in program])
    fprog = SockFprog(len(program), array)
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def main():
    config = json.loads(sys.stdin.read())
    status_fd = config["status_fd"]
    os.set_inheritable(status_fd, False)  # closed when the runner is executed
    root = config["root"]
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    # The private /tmp first, the binds after: a Python installed under /tmp (a course cloned
    # into `mktemp -d`, its .venv inside) stays visible, on top of the empty /tmp.
    limits = config["limits"]
    for where, size, mode in (("tmp", limits["tmp_bytes"], "1777"), ("xent-job", 1 << 22, "0755")):
        os.makedirs(f"{root}/{where}", exist_ok=True)
        mount("tmpfs", f"{root}/{where}", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")
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
    refuse_keyrings()
    os.write(status_fd, b"ready")
    try:
        os.execve(config["argv"][0], config["argv"], config["env"])
    except OSError as exc:
        os.write(status_fd, f" but the runner could not start: {exc}".encode())
        raise


if __name__ == "__main__":
    main()
