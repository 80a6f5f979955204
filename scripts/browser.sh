#!/usr/bin/env bash
# Installs Debian's Chromium (and a Korean font, so Korean pages render) for the browser
# tests, which drive it with Playwright. Idempotent. With --require it fails when it
# cannot; without, it says so and returns 0, and the browser tests then skip with that reason.
set -uo pipefail
require=0
[ "${1:-}" = "--require" ] && require=1
fail() {
  echo "browser: $*" >&2
  if [ "$require" -eq 1 ]; then exit 1; fi
  exit 0
}
# grep -c reads all of fc-list: with -q it would stop early, and pipefail would see SIGPIPE.
have() { [ -x /usr/bin/chromium ] && [ "$(fc-list 2>/dev/null | grep -ci nanum)" -gt 0 ]; }
if ! have; then
  command -v apt-get >/dev/null 2>&1 || fail "no apt-get; browser tests will skip"
  [ "$(id -u)" -eq 0 ] || fail "not root, cannot install chromium; browser tests will skip"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium fonts-nanum >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium fonts-nanum >/dev/null 2>&1; } \
    || fail "apt-get could not install chromium; browser tests will skip"
fi
have || fail "chromium or the Korean font is still missing; browser tests will skip"
echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
