#!/usr/bin/env bash
# Executes every notebook in docs/notebooks headlessly with the .NET Interactive kernel, after checking that each one
# is still made from its article. A failing cell fails the script. Needs: artifacts/packages holding the packed library,
# jupyter-nbconvert, jupyter-client and python3-ipykernel (Debian) and the Microsoft.dotnet-interactive tool.
# Usage: eng/run-notebooks.sh OUTPUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
rm -rf "$out" && mkdir -p "$out/made"

python3 docs/notebooks/make.py "$out/made" >/dev/null
for made in "$out/made"/*.ipynb; do
  cmp -s "$made" "docs/notebooks/$(basename "$made")" \
    || { echo "docs/notebooks/$(basename "$made") differs from its article: run python3 docs/notebooks/make.py" >&2; exit 1; }
done

# A private package folder, so that a notebook cannot pick up an older build of the same version from the global cache.
export NUGET_PACKAGES="$out/nuget-packages"
for notebook in docs/notebooks/*.ipynb; do
  name="$(basename "$notebook" .ipynb)"
  start=$SECONDS
  if ! jupyter nbconvert --to notebook --execute "$notebook" --output-dir "$out" \
      --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=900 >"$out/$name.log" 2>&1; then
    grep -v -e Debugger -e frozen_modules -e PYDEVD -e 'Debugging will proceed' "$out/$name.log" | tail -30 >&2
    echo "notebook $name failed" >&2
    exit 1
  fi
  echo "notebook $name: ok ($((SECONDS - start)) s)"
done
rm -f docs/notebooks/*.dlnn docs/notebooks/*.onnx docs/notebooks/*.safetensors
