#!/usr/bin/env bash
# Builds the whole documentation site into docs/_site: the articles and the API reference (docfx, warnings as errors)
# with the live playground inside it, at docs/_site/playground/index.html — published in Release, trimmed (every type of
# the library kept), without the .br/.gz copies a plain static server would not serve, and copied into docs/playground
# (git-ignored), which docfx.json lists as a resource, so that links into it are checked like any other. Then
#   dotnet docfx docs/docfx.json --serve      serves it all at http://localhost:8080 (the playground at /playground/).
# Usage: bash eng/build-site.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p artifacts
publish="artifacts/playground-publish"
rm -rf "$publish" docs/playground
dotnet publish samples/Playground -c Release -o "$publish" >"artifacts/playground-publish.log" 2>&1 \
  || { tail -30 artifacts/playground-publish.log; echo "the playground did not publish" >&2; exit 1; }
mkdir -p docs/playground
# Every file but the publish's compressed copies (F.br and F.gz beside F); files shipped gzipped, such as the Digits
# page's MNIST images, stay.
(cd "$publish/wwwroot" && find . -type f | while read -r f; do
  case "$f" in *.br | *.gz) [ -e "${f%.*}" ] && continue ;; esac
  cp --parents "$f" ../../../docs/playground/
done)
# Under the site the app lives in a folder: its base address is that folder, whatever the site's own address.
sed -i 's|<base href="/" />|<base href="./" />|' docs/playground/index.html
grep -q '<base href="./" />' docs/playground/index.html || { echo "the playground's index.html has no <base href=\"/\" /> to make relative" >&2; exit 1; }

dotnet tool restore >/dev/null
rm -rf docs/_site/playground # docfx adds to the output folder: an earlier build's fingerprinted files would stay
dotnet docfx docs/docfx.json --warningsAsErrors
[ -f docs/_site/playground/index.html ] || { echo "docs/_site/playground/index.html is missing" >&2; exit 1; }
echo "site: docs/_site ($(du -sh docs/_site | cut -f1)), with the playground in docs/_site/playground ($(du -sh docs/_site/playground | cut -f1))"
