#!/usr/bin/env bash
# Installs the browser the console tests drive: Debian's chromium package, nothing
# downloaded from elsewhere. Does nothing when it is there already. Needs root (or sudo).
set -euo pipefail
if command -v chromium > /dev/null 2>&1; then exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends chromium > /dev/null
command -v chromium > /dev/null
