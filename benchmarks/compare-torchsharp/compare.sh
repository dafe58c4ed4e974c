#!/usr/bin/env bash
# The three peers side by side: the digit trainer (this library, managed backend), TorchSharp-cpu 0.107.0 (LibTorch 2.10)
# and PyTorch (Debian's python3-torch, 1.13), each at 2 threads, the same networks, optimizer, batch size and data. Each
# setup runs ROUNDS times in turns (ours, TorchSharp, PyTorch, ours, …), so a busy moment of the machine falls on all
# three; a run's figure is the median of its epochs 2..EPOCHS, and the table gives the median over rounds and the ratios.
# Then one image through Nielsen's CNN: Network.Predict against TorchSharp's forward, one process per side, in turns.
# TorchSharp runs as it comes (oneDNN on); when its training loss turns NaN, that round runs it again with oneDNN off
# (TorchSharpMnist --onednn off: on the Zen 5 host of docs/performance.md oneDNN's convolutions now and then return NaN),
# the row's TorchSharp figure is the run that trained, and a line under the table gives the oneDNN runs' times.
# Beside each epoch: the GFLOP/s it achieved (the multiply-adds of its products, 2 FLOPs each: forward, ∂L/∂W and ∂L/∂X
# of every layer but the first for each training image, forward for each test image) and the fraction of the machine's
# peak (`TorchSharpMnist peak`: 12 chains of fused multiply-adds on the widest vectors, one per thread, 2 threads).
#
# Usage: benchmarks/compare-torchsharp/compare.sh [MNIST_DIR] [ROUNDS] [EPOCHS]
#   MNIST_DIR  the four MNIST files (default: $DEEPLEARNING_MNIST_DIR, else the trainer's cache folder)
# Needs: PyTorch for /usr/bin/python3 (apt-get install python3-torch), a C compiler for the libstdc++ shim (gcc), and the
# NuGet package TorchSharp-cpu 0.107.0 (restored on the first run: about 600 MB).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}"
data="${1:-${DEEPLEARNING_MNIST_DIR:-$cache/deeplearning/mnist}}"
rounds="${2:-3}"
epochs="${3:-3}"
python="${PYTHON:-/usr/bin/python3}"
[ -d "$data" ] || { echo "error: MNIST folder '$data' not found; pass it as the first argument" >&2; exit 1; }
"$python" -c 'import torch' 2>/dev/null || { echo "error: $python cannot import torch; install python3-torch" >&2; exit 1; }

shim="$cache/deeplearning/glibcxx-shim"
[ -f "$shim/libstdc++.so.6" ] || bash "$here/glibcxx-shim.sh" "$shim" >/dev/null
dotnet build "$root/samples/DigitTrainer" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/TorchSharpMnist" -c Release -v quiet -nologo >/dev/null
trainer="$root/samples/DigitTrainer/bin/Release/net10.0/DigitTrainer.dll"
torchsharp="$here/TorchSharpMnist/bin/Release/net10.0/TorchSharpMnist.dll"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

median_of_epochs() { "$python" - "$1" <<'PY'
import json, statistics, sys
text = open(sys.argv[1]).read()
try:
    epochs = json.loads(text)["epochs"]  # the trainer's --report
except json.JSONDecodeError:
    epochs = [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]  # JSON lines
print(f'{statistics.median(e["seconds"] for e in epochs[1:]):.3f}')
PY
}

# Whether a peer's training loss went to NaN or infinity in some epoch (JSON lines; TorchSharpMnist writes null): its
# epochs are then not the same work as the others', and the row says so instead of passing its time off as comparable.
diverged() { "$python" - "$1" <<'PY'
import json, math, sys
epochs = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]
sys.exit(0 if any(e["trainLoss"] is None or not math.isfinite(e["trainLoss"]) for e in epochs) else 1)
PY
}

run() { # name, trainer options, the peers' options, FLOPs of one epoch
  local name="$1" ours="$2" theirs="$3" flops="$4" o t p
  : >"$out/ours" ; : >"$out/torchsharp" ; : >"$out/pytorch" ; : >"$out/onednn-nan"
  rm -f "$out/diverged-torchsharp" "$out/diverged-pytorch"
  for _ in $(seq "$rounds"); do
    eval "set -- $ours"
    dotnet "$trainer" --data "$data" --epochs "$epochs" "$@" --backend managed --report "$out/o.json" --show 0 >/dev/null
    median_of_epochs "$out/o.json" >>"$out/ours"
    torchsharp_train $theirs
    if diverged "$out/t.jsonl"; then
      median_of_epochs "$out/t.jsonl" >>"$out/onednn-nan"
      torchsharp_train $theirs --onednn off
    fi
    median_of_epochs "$out/t.jsonl" >>"$out/torchsharp"
    if diverged "$out/t.jsonl"; then touch "$out/diverged-torchsharp"; fi
    OMP_NUM_THREADS=2 "$python" "$root/benchmarks/compare-pytorch/pytorch_mnist.py" --data "$data" --epochs "$epochs" --threads 2 $theirs >"$out/p.jsonl"
    median_of_epochs "$out/p.jsonl" >>"$out/pytorch"
    if diverged "$out/p.jsonl"; then touch "$out/diverged-pytorch"; fi
  done
  "$python" - "$name" "$flops" "$peak" "$out/ours" "$out/torchsharp" "$out/pytorch" "$out/onednn-nan" <<'PY'
import os, statistics, sys
name, flops, peak, nan = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), [float(l) for l in open(sys.argv[7])]
runs = [[float(l) for l in open(f)] for f in sys.argv[4:7]]
o, t, p = (statistics.median(r) for r in runs)
bad = [os.path.exists(os.path.join(os.path.dirname(f), "diverged-" + os.path.basename(f))) for f in sys.argv[5:7]]
off = f", oneDNN off in {len(nan)} of {len(runs[1])}" if nan else ""
cell = lambda s, b, extra="": f"{s:.2f} s (NaN loss{extra})" if b else f"{s:.2f} s{f' ({extra[2:]})' if extra else ''}"
ratio = lambda s, b: "not comparable" if b else f"{o / s:.2f}×"
rate = " · ".join(f"{flops / s / 1e9:.0f} ({flops / s / 1e9 / peak:.0%})" for s in (o, t, p))
print(f"| {name} | {o:.2f} s | {cell(t, bad[0], off)} | {cell(p, bad[1])} | {ratio(t, bad[0])} | {ratio(p, bad[1])} | {rate} |")
if nan:
    with open(os.path.join(os.path.dirname(sys.argv[7]), "notes"), "a") as notes:
        notes.write(f"{name}: with oneDNN, TorchSharp's loss turned NaN in {len(nan)} of {len(runs[1])} rounds (those epochs: "
                    f"median {statistics.median(nan):.2f} s, ours ÷ that {o / statistics.median(nan):.2f}×); its figure is the run with oneDNN off.\n")
PY
}

torchsharp_train() { # the peer's options; its epochs into $out/t.jsonl (LibTorch's warnings are kept out of the table)
  LD_LIBRARY_PATH="$shim" dotnet "$torchsharp" train --data "$data" --epochs "$epochs" --threads 2 "$@" >"$out/t.jsonl" 2>"$out/t.err" ||
    { cat "$out/t.err" >&2; return 1; }
}

peak="$(dotnet "$torchsharp" peak --threads 2 | "$python" -c 'import json, sys; print(json.load(sys.stdin)["gflops"])')"
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "Epoch: median of epochs 2..$epochs (training plus one test-set evaluation), median of $rounds rounds in turns."
printf 'Peak: %.0f GFLOP/s single precision (2 threads of fused multiply-adds).\n' "$peak"
echo
echo "| setup | DeepLearning | TorchSharp | PyTorch | ÷ TorchSharp | ÷ PyTorch | GFLOP/s (of peak): ours · TorchSharp · PyTorch |"
echo "|---|---|---|---|---|---|---|"
# Multiply-adds of one image: forward f; training 3f less the first layer's ∂L/∂X; 60,000 (or 20,000) training images
# and 10,000 test images an epoch.
dense_flops="$("$python" -c 'f = 784*128 + 128*10; print(2 * (60000 * (3*f - 784*128) + 10000 * f))')"
cnn_flops="$("$python" -c 'c1 = 24*24*20*25; f = c1 + 8*8*40*20*25 + 640*100 + 100*10; print(2 * (20000 * (3*f - c1) + 10000 * f))')"
run "784-128-10 ReLU, SGD ε 0.1, batch 64, 60,000 images" \
    "--hidden 128 --activation relu --loss cross-entropy --learning-rate 0.1 --momentum 0 --batch-size 64" \
    "--hidden 128 --learning-rate 0.1 --momentum 0 --batch-size 64" "$dense_flops"
cnn="conv2d(20,5,relu) maxpool2d(2) conv2d(40,5,relu) maxpool2d(2) dense(100,relu) dense(10)"
for batch in 10 64; do
  run "Nielsen's CNN, SGD ε 0.03, batch $batch, 20,000 images" \
      "--layers \"$cnn\" --learning-rate 0.03 --momentum 0 --batch-size $batch --train-limit 20000" \
      "--cnn --hidden 100 --learning-rate 0.03 --momentum 0 --batch-size $batch --train-limit 20000" "$cnn_flops"
done
[ -f "$out/notes" ] && cat "$out/notes"
echo
for _ in $(seq "$rounds"); do
  dotnet "$torchsharp" latency --side ours --calls 1000 >>"$out/latency.jsonl"
  LD_LIBRARY_PATH="$shim" dotnet "$torchsharp" latency --side torchsharp --threads 2 --calls 1000 >>"$out/latency.jsonl"
done
"$python" - "$out/latency.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ours = statistics.median(r["milliseconds"] for r in runs if r["side"] == "ours")
theirs = statistics.median(r["milliseconds"] for r in runs if r["side"] == "torchsharp")
print(f"One image through Nielsen's CNN (each process: the median of 1,000 calls after 2 s of warm-up; the median of "
      f"{len(runs) // 2} processes each, in turns): Network.Predict {ours:.3f} ms, TorchSharp {theirs:.3f} ms ({ours / theirs:.2f}×)")
PY
echo
echo "TorchSharp-cpu 0.107.0 (LibTorch 2.10), PyTorch $("$python" -c 'import torch; print(torch.__version__)'); 2 threads each."
