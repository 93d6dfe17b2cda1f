#!/bin/sh
# browser-deps.sh installs what the browser tests (internal/browsertest) need,
# and nothing when it is there already:
#
#   - Debian's chromium (/usr/bin/chromium), and fonts-noto-core so that
#     Arabic, Persian and Tigrinya render as on a phone rather than as boxes;
#   - axe-core 4 from the npm registry, into
#     internal/browsertest/testdata/node_modules (ignored by git).
#
# The tests download nothing themselves. Then:
#
#	KB_BROWSER=1 go test ./internal/browsertest/
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/internal/browsertest/testdata"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

if [ ! -x /usr/bin/chromium ] || ! installed fonts-noto-core; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-core
fi

if [ ! -f "$dir/node_modules/axe-core/axe.min.js" ]; then
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" axe-core@4
fi

echo "browser tests: $(/usr/bin/chromium --version 2>/dev/null), axe-core $(node -p "require('$dir/node_modules/axe-core/package.json').version")"
