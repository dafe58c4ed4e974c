#!/usr/bin/env bash
# The README's quick start and the package README's example, exactly as pasted by a new user: a new console project
# (`dotnet new console`), the packed package added from artifacts/packages, the block as Program.cs; it must build and
# print what the page shows (the ```text block after it).
# Usage: eng/check-quickstart.sh WORK_DIR VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
work="$1"
version="$2"
feed="$PWD/artifacts/packages"

for page in README.md src/DeepLearning/README.md; do
  project="$work/$(echo "$page" | tr '/.' '--')"
  rm -rf "$project" && mkdir -p "$project"
  (cd "$project" && dotnet new console --name QuickStart --output . >/dev/null)
  python3 - "$page" "$project" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
code = re.search(r"```csharp\n(.*?)```", text, re.S).group(1)
output = re.search(r"```csharp\n.*?```.*?```text\n(.*?)```", text, re.S).group(1)
open(f"{sys.argv[2]}/Program.cs", "w").write(code)
open(f"{sys.argv[2]}/expected.txt", "w").write(output)
PY
  # A private packages folder, so that an older build of the same version in the global cache cannot stand in.
  # The folder feed beside the machine's usual sources (a nuget.config without <clear/>).
  printf '<configuration><packageSources><add key="local" value="%s" /></packageSources></configuration>\n' "$feed" \
    >"$project/nuget.config"
  (cd "$project" \
    && dotnet add package DeepLearning --version "$version" --package-directory "$project/packages" >/dev/null \
    && dotnet run -c Release -p:RestorePackagesPath="$project/packages" >"$project/actual.txt") \
    || { echo "$page: the quick start does not build or run in a new console project" >&2; exit 1; }
  diff -u "$project/expected.txt" "$project/actual.txt" \
    || { echo "$page: the quick start does not print what the page shows" >&2; exit 1; }
  echo "$page: quick start pasted into a new console project builds and prints what the page shows"
done
