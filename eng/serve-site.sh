#!/usr/bin/env bash
# Serves the docs site (docs/_site; built first if it is not there) at http://localhost:8080 with eng/SiteServer, which
# sends the compressed copies beside its files to browsers that accept them.
#   bash eng/serve-site.sh [--port N] [--classroom]
# --classroom listens on every network address (not only this computer) and prints the addresses students can open.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f docs/_site/playground/index.html ] || bash eng/build-site.sh
exec dotnet run --project eng/SiteServer -c Release -- serve "$PWD/docs/_site" "$@"
