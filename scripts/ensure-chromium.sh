#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (test/browser), and poppler-utils (pdftotext,
# pdftoppm) for the tests that read printed PDFs back (test/api/counter-queue.test.ts, the browser tests); then
# prints their versions.
# Idempotent: does nothing but print the version when the browser is already there. Installs with apt as root
# (no sudo). Playwright's own browser download (`npx playwright install`) does not work on this closed network, so
# the tests drive this system Chromium through playwright-core. CHROMIUM_PATH overrides where the browser is.
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}

# apt_install WHAT PACKAGE: installs a missing Debian package as root, or says what to install and fails.
apt_install() {
  if [ "$(id -u)" != "0" ]; then
    echo "$1 not found and not running as root: install Debian's '$2' package" >&2
    exit 1
  fi
  echo "$1 not found; installing Debian's $2" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "$2" >&2
}

if [ ! -x "$bin" ]; then
  if [ "$bin" != /usr/bin/chromium ]; then
    echo "CHROMIUM_PATH=$bin is not an executable" >&2
    exit 1
  fi
  apt_install "Chromium at $bin" chromium
fi

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
  apt_install "pdftotext/pdftoppm" poppler-utils
fi

"$bin" --version
# sed reads to the end: `head -1` could exit first and pipefail would turn pdftotext's SIGPIPE into exit 141
pdftotext -v 2>&1 | sed -n 1p
