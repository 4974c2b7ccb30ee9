#!/bin/sh
# Install what the report's browser tests need: Debian's chromium (headless screenshots and DOM
# dumps, no driver) and fonts-noto-cjk (Simplified Chinese in the page). Idempotent: does nothing
# when both are present. Needs root (or sudo) and the Debian package archive.
#
#   sh scripts/setup-browser.sh
set -eu

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    need="$need fonts-noto-cjk"
fi
if [ -z "$need" ]; then
    echo "setup-browser: chromium and fonts-noto-cjk are installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "setup-browser: need root to install:$need" >&2
        exit 1
    fi
fi
echo "setup-browser: installing$need"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
command -v chromium >/dev/null 2>&1
echo "setup-browser: done ($(chromium --version 2>/dev/null || echo chromium))"
