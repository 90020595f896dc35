#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's end-to-end test. Playwright's own
# browser download cannot work here (no network but the package registries), so the
# test drives /usr/bin/chromium. Without root or apt the test says so and is skipped.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: not root or no apt-get; the browser test will be skipped" >&2
  exit 0
fi
echo "install_browser: installing Debian's chromium (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }; then
  echo "install_browser: apt-get could not install chromium; the browser test will be skipped" >&2
fi
exit 0
