#!/usr/bin/env bash
# The round trip: DeepLearning trains and saves safetensors (and ONNX) → PyTorch loads, evaluates, trains one more epoch
# and saves → DeepLearning loads PyTorch's file and evaluates it. The PyTorch half runs where python3-torch is installed
# (Debian: apt-get install python3-torch) and is skipped with a reason otherwise.
#
# Usage: samples/Interop/roundtrip.sh MNIST_DIR [OUT_DIR] [EPOCHS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:?usage: roundtrip.sh MNIST_DIR [OUT_DIR] [EPOCHS]}"
out="${2:-output/interop}"
epochs="${3:-3}"
mkdir -p "$out"
trainer=(dotnet run --project "$root/samples/DigitTrainer" -c Release --no-build --)

echo "== DeepLearning: train 784-800-10 for $epochs epochs, save safetensors and ONNX"
"${trainer[@]}" --data "$data" --epochs "$epochs" --show 0 --save "$out/deeplearning.safetensors" --export-onnx "$out/deeplearning.onnx" \
  | grep -E '^(Backend|Test accuracy|Model saved|ONNX model)'
"${trainer[@]}" evaluate --model "$out/deeplearning.safetensors" --data "$data" | grep 'Test accuracy'

python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "== PyTorch half skipped: $python cannot import torch (apt-get install python3-torch)"
  exit 0
fi

echo "== PyTorch: load, evaluate, train one more epoch, save"
"$python" "$here/roundtrip.py" "$out/deeplearning.safetensors" "$data" "$out/pytorch.safetensors"

echo "== DeepLearning: evaluate PyTorch's file (no metadata: the architecture comes from --hidden and --loss)"
"${trainer[@]}" evaluate --model "$out/pytorch.safetensors" --data "$data" --hidden 800 --loss cross-entropy --report "$out/pytorch-eval.json" \
  | grep 'Test accuracy'
