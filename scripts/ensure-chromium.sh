#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (test/browser), and poppler-utils (pdftotext,
# pdftoppm) for the tests that read printed PDFs back (test/api/counter-queue.test.ts, the browser tests); then
# prints their versions.
# Idempotent: does nothing but print the version when the browser is already there. Installs with apt as root
# (no sudo). Playwright's own browser download (`npx playwright install`) does not work on this closed network, so
# the tests drive this system Chromium through playwright-core. CHROMIUM_PATH overrides where the browser is.
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ ! -x "$bin" ]; then
  if [ "$bin" != /usr/bin/chromium ]; then
    echo "CHROMIUM_PATH=$bin is not an executable" >&2
    exit 1
  fi
  if [ "$(id -u)" != "0" ]; then
    echo "Chromium not found at $bin and not running as root: install Debian's 'chromium' package" >&2
    exit 1
  fi
  echo "Chromium not found; installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
fi

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
  if [ "$(id -u)" != "0" ]; then
    echo "pdftotext/pdftoppm not found and not running as root: install Debian's 'poppler-utils' package" >&2
    exit 1
  fi
  echo "poppler-utils not found; installing it" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends poppler-utils >&2
fi

"$bin" --version
pdftotext -v 2>&1 | head -1
