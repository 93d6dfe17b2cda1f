#!/bin/sh
# ci-deps.sh installs the Debian packages that the tests use, and nothing when
# they are there already:
#
#   chromium, fonts-noto-core   browser tests and PDF printing (every script)
#   nginx-light                 the deployment test behind a real nginx
#   poppler-utils, zbar-tools   reading back the PDFs and their QR codes
#   wrk                         the load-test script (scripts/loadtest.sh)
set -eu

pkgs="chromium fonts-noto-core nginx-light poppler-utils zbar-tools wrk"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
