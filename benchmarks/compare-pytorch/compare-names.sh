#!/usr/bin/env bash
# The name writer's transformer (204,544 parameters, a batch of 64 names of 16 positions, AdamW), one training step in
# DeepLearning and in PyTorch, float32, 2 threads each, timed in turn ROUNDS times (PyTorch, ours, PyTorch, ours, ...)
# so that both see the same machine. Prints each round and the medians with their ratio.
#
# Usage: [ROUNDS=5] benchmarks/compare-pytorch/compare-names.sh
# Needs PyTorch for the system Python (Debian: apt-get install python3-torch).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
rounds="${ROUNDS:-5}"
"$python" -c 'import torch' 2>/dev/null || { echo "error: $python cannot import torch; install python3-torch" >&2; exit 1; }
dotnet build "$root/benchmarks/DeepLearning.Benchmarks" -c Release -v quiet -nologo >/dev/null
ours=()
theirs=()
ms() { "$python" -c 'import json,sys; print(json.loads(sys.stdin.readline())["msPerStep"])'; }
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
for r in $(seq "$rounds"); do
  t="$(OMP_NUM_THREADS=2 "$python" "$here/pytorch_names.py" --time-steps --threads 2 | ms)"
  o="$(dotnet "$root/benchmarks/DeepLearning.Benchmarks/bin/Release/net10.0/DeepLearning.Benchmarks.dll" transformer-step | ms)"
  theirs+=("$t"); ours+=("$o")
  echo "round $r: PyTorch $t ms, DeepLearning $o ms per step"
done
"$python" - "${ours[*]}" "${theirs[*]}" "$("$python" -c 'import torch; print(torch.__version__)')" <<'PY'
import statistics, sys
ours, theirs = ([float(v) for v in a.split()] for a in sys.argv[1:3])
o, t = statistics.median(ours), statistics.median(theirs)
print(f"median: DeepLearning {o:.1f} ms, PyTorch {sys.argv[3]} {t:.1f} ms per step; ratio {o / t:.2f}× (below 1: DeepLearning is faster)")
PY
