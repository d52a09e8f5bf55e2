#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; no downloaded browser).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
