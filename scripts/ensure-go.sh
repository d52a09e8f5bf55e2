#!/usr/bin/env bash
# Makes a Go toolchain available for the sample programs and the `go tool pprof`
# reference outputs, installing Debian's golang-1.23-go (bookworm-backports) when
# missing. Prints the path of the go binary on stdout; everything else goes to stderr.
set -euo pipefail
for cand in /usr/lib/go-1.23/bin/go "$(command -v go 2>/dev/null || true)"; do
  if [ -n "$cand" ] && [ -x "$cand" ]; then echo "$cand"; exit 0; fi
done
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    | as_root tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
fi
as_root apt-get update -qq >&2
if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-1.23-go >&2; then
  echo /usr/lib/go-1.23/bin/go
else
  echo "golang-1.23-go unavailable; falling back to golang-go" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >&2
  command -v go
fi
