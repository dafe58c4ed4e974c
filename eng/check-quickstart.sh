#!/usr/bin/env bash
# The install steps and the quick starts, exactly as a new user meets them. The "Install" block — the same in README.md,
# the package README and docs/index.md — is run as written, as a new user whose home holds only the machine's NuGet
# sources: step 1 in this clone (packing into ~/deeplearning-feed), step 2 once, step 3 in each new console project
# (`dotnet new console`). The README's quick start and the package README's example are then each that project's
# Program.cs; each must build and print what its page shows (the ```text block after it).
# Usage: eng/check-quickstart.sh WORK_DIR VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
work="$1"
version="$2"

# The block, the same on the three pages, split at its numbered comments.
python3 - "$work/install" "$version" README.md src/DeepLearning/README.md docs/index.md <<'PY'
import os, re, sys
out, version, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
blocks = []
for page in pages:
    text = open(page).read()
    m = re.search(r"\n## Install[^\n]*\n.*?```bash\n(.*?)```", text, re.S)
    if not m:
        sys.exit(f"{page}: no ```bash block under an Install heading")
    blocks.append(m.group(1))
if len(set(blocks)) != 1:
    sys.exit(f"the install steps differ between {', '.join(pages)}")
if f"--version {version}" not in blocks[0]:
    sys.exit(f"the install steps do not add version {version} (Directory.Build.props)")
steps = re.split(r"(?m)^# [0-9]\. [^\n]*\n", blocks[0])[1:]
if len(steps) != 3:
    sys.exit("the install block should have three numbered steps")
os.makedirs(out, exist_ok=True)
for i, step in enumerate(steps, 1):
    open(f"{out}/step{i}.sh", "w").write(step)
PY

# A new user: a home with the machine's NuGet sources and nothing else, so no earlier copy of the package can stand in.
home="$work/home"
rm -rf "$home" && mkdir -p "$home/.nuget/NuGet"
[ -f "$HOME/.nuget/NuGet/NuGet.Config" ] && cp "$HOME/.nuget/NuGet/NuGet.Config" "$home/.nuget/NuGet/"
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
# Step 1 in this clone; its restore reads the build's own package folder, so the clone's build is left as it was.
HOME="$home" NUGET_PACKAGES="$packages" bash -euo pipefail "$work/install/step1.sh" >/dev/null
[ -f "$home/deeplearning-feed/DeepLearning.$version.nupkg" ] || { echo "install step 1 made no DeepLearning.$version.nupkg" >&2; exit 1; }
HOME="$home" bash -euo pipefail "$work/install/step2.sh" >/dev/null

for page in README.md src/DeepLearning/README.md; do
  project="$home/$(echo "$page" | tr '/.' '--')"
  mkdir -p "$project"
  (cd "$project" && HOME="$home" dotnet new console --name QuickStart --output . >/dev/null)
  python3 - "$page" "$project" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
code = re.search(r"```csharp\n(.*?)```", text, re.S).group(1)
output = re.search(r"```csharp\n.*?```.*?```text\n(.*?)```", text, re.S).group(1)
open(f"{sys.argv[2]}/Program.cs", "w").write(code)
open(f"{sys.argv[2]}/expected.txt", "w").write(output)
PY
  (cd "$project" && HOME="$home" bash -euo pipefail "$work/install/step3.sh" >/dev/null \
    && HOME="$home" dotnet run -c Release >"$project/actual.txt") \
    || { echo "$page: the install steps or the quick start fail in a new console project" >&2; exit 1; }
  diff -u "$project/expected.txt" "$project/actual.txt" \
    || { echo "$page: the quick start does not print what the page shows" >&2; exit 1; }
  echo "$page: installed as the Install steps say, the quick start builds and prints what the page shows"
done
