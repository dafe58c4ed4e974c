#!/usr/bin/env bash
# End-to-end comparison: full-MNIST training epochs of the digit trainer and of the same network in PyTorch,
# run one after the other on this machine, float32, 2 threads each. Prints a table with their ratio.
#
# Usage: [BACKENDS="managed native"] [ONLY=TEXT] benchmarks/compare-pytorch/compare.sh [MNIST_DIR] [EPOCHS]
#   ONLY       run only the setups whose name contains TEXT (for example ONLY=conv)
#   MNIST_DIR  the four MNIST files (default: $DEEPLEARNING_MNIST_DIR, else the trainer's cache folder)
#   EPOCHS     epochs per run (default 4); the figure is the median of epochs 2..EPOCHS (steady state)
# Needs PyTorch for the system Python (Debian: apt-get install python3-torch) and, for the native backend,
# OpenBLAS (apt-get install libopenblas0-pthread).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/deeplearning/mnist"
data="${1:-${DEEPLEARNING_MNIST_DIR:-$cache}}"
epochs="${2:-4}"
python="${PYTHON:-/usr/bin/python3}"
[ -d "$data" ] || { echo "error: MNIST folder '$data' not found; pass it as the first argument" >&2; exit 1; }
"$python" -c 'import torch' 2>/dev/null || { echo "error: $python cannot import torch; install python3-torch" >&2; exit 1; }
[ "$epochs" -ge 2 ] || { echo "error: EPOCHS must be at least 2 (the first epoch is warm-up)" >&2; exit 1; }

dotnet build "$root/samples/DigitTrainer" -c Release -v quiet -nologo >/dev/null
trainer="$root/samples/DigitTrainer/bin/Release/net10.0/DigitTrainer.dll"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# median of the "seconds" of epochs 2..N, from JSON lines (PyTorch) or the trainer's report
median() { "$python" - "$1" <<'PY'
import json, statistics, sys
text = open(sys.argv[1]).read()
try:
    epochs = json.loads(text)["epochs"]  # the trainer's --report
except json.JSONDecodeError:
    epochs = [json.loads(line) for line in text.splitlines() if line.strip()]  # PyTorch's JSON lines
print(f'{statistics.median(e["seconds"] for e in epochs[1:]):.3f} {epochs[-1]["testAccuracy"]:.4f}')
PY
}

run() { # name, trainer options, pytorch options: PyTorch once, then the trainer on each backend (BACKENDS), in one run
  local name="$1" ours="$2" theirs="$3"
  [[ "$name" == *"${ONLY:-}"* ]] || return 0
  OMP_NUM_THREADS=2 "$python" "$here/pytorch_mnist.py" --data "$data" --epochs "$epochs" --threads 2 $theirs >"$out/theirs.jsonl"
  read -r theirs_s theirs_acc < <(median "$out/theirs.jsonl")
  for backend in ${BACKENDS:-managed native}; do
    eval "set -- $ours" # the options as the shell would split them (--layers takes one quoted value)
    dotnet "$trainer" --data "$data" --epochs "$epochs" "$@" --backend "$backend" --report "$out/ours.json" --show 0 >"$out/ours.log"
    read -r ours_s ours_acc < <(median "$out/ours.json")
    description="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["backend"])' "$out/ours.json")"
    printf '| %s | %s | %s s | %s s | %.2f× | %s / %s |\n' "$name" "$description" "$ours_s" "$theirs_s" "$("$python" -c "print($ours_s / $theirs_s)")" \
      "$("$python" -c "print(f'{100*$ours_acc:.2f}%')")" "$("$python" -c "print(f'{100*$theirs_acc:.2f}%')")"
  done
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "Epoch time: median of epochs 2..$epochs, training plus one test-set evaluation per epoch."
echo
echo "| setup | DeepLearning backend | DeepLearning | PyTorch | ratio | test accuracy after $epochs epochs (ours / PyTorch) |"
echo "|---|---|---|---|---|---|"
run "784-128-10 ReLU, cross-entropy, SGD ε 0.1, batch 64" \
    "--hidden 128 --activation relu --loss cross-entropy --learning-rate 0.1 --momentum 0 --batch-size 64" \
    "--hidden 128 --activation relu --loss cross-entropy --learning-rate 0.1 --momentum 0 --batch-size 64"
run "784-800-10 ReLU, cross-entropy, SGD ε 0.05 μ 0.9, batch 64 (the trainer's default)" \
    "--hidden 800 --activation relu --loss cross-entropy --learning-rate 0.05 --momentum 0.9 --batch-size 64" \
    "--hidden 800 --activation relu --loss cross-entropy --learning-rate 0.05 --momentum 0.9 --batch-size 64"
run "784-30-10 sigmoid, quadratic, SGD ε 3.0, batch 10 (textbook)" \
    "--hidden 30 --activation sigmoid --loss quadratic --learning-rate 3.0 --batch-size 10" \
    "--hidden 30 --activation sigmoid --loss quadratic --learning-rate 3.0 --momentum 0 --batch-size 10"
cnn="conv2d(20,5,relu) maxpool2d(2) conv2d(40,5,relu) maxpool2d(2) dense(100,relu) dense(10)"
for batch in 10 64; do
  run "Nielsen's ch. 6 conv net (20 and 40 5×5 filters, 2×2 pools, 100 ReLU), SGD ε 0.03, batch $batch, 50,000 images" \
      "--layers \"$cnn\" --learning-rate 0.03 --momentum 0 --batch-size $batch --train-limit 50000" \
      "--cnn --hidden 100 --activation relu --learning-rate 0.03 --momentum 0 --batch-size $batch --train-limit 50000"
done
echo
echo "PyTorch $("$python" -c 'import torch; print(torch.__version__)'), $("$python" -c 'import torch; torch.set_num_threads(2); print(torch.get_num_threads())') threads."
