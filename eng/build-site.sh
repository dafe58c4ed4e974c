#!/usr/bin/env bash
# Builds the whole documentation site into docs/_site: the articles and the API reference (docfx, warnings as errors)
# with the live playground inside it, at docs/_site/playground/index.html — published in Release, trimmed (every type of
# the library kept), and copied into docs/playground (git-ignored), which docfx.json lists as a resource, so that links
# into it are checked like any other. Last, a Brotli (F.br) and a gzip (F.gz) copy beside every file worth compressing
# (eng/SiteServer; the publish's own copies of the playground are kept). Then
#   bash eng/serve-site.sh      serves it all at http://localhost:8080 (the playground at /playground/), compressed.
# Usage: bash eng/build-site.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p artifacts
publish="artifacts/playground-publish"
rm -rf "$publish" docs/playground
dotnet publish samples/Playground -c Release -o "$publish" >"artifacts/playground-publish.log" 2>&1 \
  || { tail -30 artifacts/playground-publish.log; echo "the playground did not publish" >&2; exit 1; }
mkdir -p docs/playground
cp -r "$publish/wwwroot/." docs/playground/
# Under the site the app lives in a folder: its base address is that folder, whatever the site's own address (its
# compressed copies are made again below).
sed -i 's|<base href="/" />|<base href="./" />|' docs/playground/index.html
rm -f docs/playground/index.html.br docs/playground/index.html.gz
grep -q '<base href="./" />' docs/playground/index.html || { echo "the playground's index.html has no <base href=\"/\" /> to make relative" >&2; exit 1; }

dotnet tool restore >/dev/null
rm -rf docs/_site/playground # docfx adds to the output folder: an earlier build's fingerprinted files would stay
dotnet docfx docs/docfx.json --warningsAsErrors
[ -f docs/_site/playground/index.html ] || { echo "docs/_site/playground/index.html is missing" >&2; exit 1; }
dotnet run --project eng/SiteServer -c Release -- compress "$PWD/docs/_site"
echo "site: docs/_site ($(du -sh docs/_site | cut -f1)), with the playground in docs/_site/playground ($(du -sh docs/_site/playground | cut -f1))"
