#!/usr/bin/env bash
# Run every notebook under nbval on Linux arm64, emulated: the portability check for CPUs
# this machine does not have (`make portability-arm64`; CONTRIBUTING.md, "Portable numbers").
#
#   tools/arm64_nbval.sh [CPU ...] [-- NOTEBOOK ...]
#       default CPUs: max neoverse-n1 (QEMU's names); default notebooks: every one
#
# The first run builds an arm64 Debian root in build/arm64-root (debootstrap, then the pinned
# runtime requirements from PyPI as aarch64 wheels): about 16 minutes on 2 cores, once. Each
# later run copies the course into the root and runs nbval strict over every notebook under
# QEMU user-mode emulation with the CPU model named (QEMU_CPU): about 8 minutes a model.
# Needs root, Debian's debootstrap and qemu-user-static (binfmt_misc with the F flag), and
# network access to deb.debian.org and PyPI for the first build only.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
root="$top/build/arm64-root"
suite=bookworm  # its python3 is 3.11, the Python the course's pins are tested with
cpus=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do cpus+=("$1"); shift; done
[ $# -gt 0 ] && shift  # the "--"
notebooks=("$@")       # paths relative to the course, e.g. notebooks/07_going_nonlinear.ipynb
[ ${#cpus[@]} -gt 0 ] || cpus=(max neoverse-n1)

need() { command -v "$1" >/dev/null 2>&1 || { echo "arm64: $1 is missing; install Debian's $2 (apt-get install $2)" >&2; exit 2; }; }
[ "$(id -u)" -eq 0 ] || { echo "arm64: run as root (debootstrap and chroot need it)" >&2; exit 2; }
need debootstrap debootstrap
need qemu-aarch64-static qemu-user-static
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64
fi

mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_in_root() {  # bind the host's /proc and /dev into the root for the run's duration
  local what
  for what in proc dev dev/pts; do
    if ! mountpoint -q "$root/$what"; then
      mount --bind "/$what" "$root/$what"
      mounted+=("$root/$what")
    fi
  done
}
# pip in the root trusts what the host trusts (a proxy's certificate authority included).
host_ca=$(python3 -m pip config get global.cert 2>/dev/null || true)
[ -f "$host_ca" ] || host_ca=/etc/ssl/certs/ca-certificates.crt
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 "$@"
}

stamp="$root/.stamp-$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ]; then
  if [ ! -x "$root/usr/bin/python3" ]; then
    echo "arm64: building a Debian $suite arm64 root in $root (once, about 16 minutes)"
    rm -rf "$root"
    debootstrap --arch=arm64 --variant=minbase --include=python3,python3-venv,ca-certificates \
      "$suite" "$root" http://deb.debian.org/debian
  fi
  mount_in_root
  cp "$host_ca" "$root/etc/ssl/host-ca.crt"
  rm -rf "$root/course"
  mkdir -p "$root/course"
  cp requirements.txt pyproject.toml README.md "$root/course/"
  cp -r xentlib "$root/course/"
  in_root python3 -m venv /venv
  # The runtime pins, with xentlib itself installed from the copy (the `-e .` line).
  in_root sh -c 'cd /course && /venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt'
  in_root /venv/bin/python -c "import matplotlib.font_manager"
  rm -f "$root"/.stamp-*
  touch "$stamp"
fi
mount_in_root
cp "$host_ca" "$root/etc/ssl/host-ca.crt"

# The course as it is now: the package, the notebooks, the test configuration.
rm -rf "$root/course"
mkdir -p "$root/course"
cp -r requirements.txt pyproject.toml README.md xentlib notebooks tests tools images "$root/course/"
find "$root/course" -name __pycache__ -prune -exec rm -rf {} +
# (xentlib is installed in editable mode from /course, so the fresh copy is what runs.)

status=0
for cpu in "${cpus[@]}"; do
  echo "arm64, QEMU's CPU model '$cpu':"
  in_root env QEMU_CPU="$cpu" sh -c 'cd /course && /venv/bin/python tools/portability.py --native "$@"' sh "${notebooks[@]}" || status=1
done
exit $status
