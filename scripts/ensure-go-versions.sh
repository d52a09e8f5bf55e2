#!/usr/bin/env bash
# Installs Debian's Go toolchains for the insights evaluation set (scripts/make-insights-eval.sh
# builds each program with several releases). 1.19 is in bookworm, 1.21-1.23 in
# bookworm-backports, 1.24 in trixie, 1.25+ in trixie-backports and sid. The trixie and sid
# sources are added pinned at priority 50 (below the default 500), so apt takes from them
# only packages bookworm does not have and never upgrades anything else.
# Usage: scripts/ensure-go-versions.sh [1.19 1.21 ...]   Prints "version path" per toolchain
# it has on stdout (one line each); everything else goes to stderr.
set -euo pipefail
VERSIONS=("$@")
if [ ${#VERSIONS[@]} -eq 0 ]; then VERSIONS=(1.19 1.21 1.22 1.23 1.24 1.25 1.26); fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
for v in "${VERSIONS[@]}"; do [ -x "/usr/lib/go-$v/bin/go" ] || missing+=("$v"); done
if [ ${#missing[@]} -gt 0 ]; then
  bash "$(dirname "$0")/ensure-go.sh" >/dev/null # adds bookworm-backports
  if ! [ -f /etc/apt/sources.list.d/pprof-lens-go-newer.sources ]; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie trixie-backports sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | as_root tee /etc/apt/sources.list.d/pprof-lens-go-newer.sources >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 50\n\nPackage: *\nPin: release n=trixie-backports\nPin-Priority: 50\n\nPackage: *\nPin: release n=sid\nPin-Priority: 50\n' \
      | as_root tee /etc/apt/preferences.d/pprof-lens-go-newer >/dev/null
  fi
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
  for v in "${missing[@]}"; do
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "golang-$v-go" >&2 \
      || echo "golang-$v-go could not be installed" >&2
  done
fi
for v in "${VERSIONS[@]}"; do
  if [ -x "/usr/lib/go-$v/bin/go" ]; then echo "$v /usr/lib/go-$v/bin/go"; fi
done
