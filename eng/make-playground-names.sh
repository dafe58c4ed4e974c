#!/usr/bin/env bash
# Makes what the playground's Names page ships in samples/Playground/wwwroot/names/:
#   names.txt                  the 8,000 names the name writer embeds (samples/data/names-subset), copied
#   names-transformer.dlnn     the transformer it writes names with, trained on them by samples/NameWriter — the network
#                              of NameTraining.Transformer (samples/Playground/Model/NameTraining.cs), 30 epochs, seed 1:
#                              the same file on every machine, as the managed backend computes
# CI makes them again into a temporary folder and compares them byte for byte with the shipped ones. Usage:
#   bash eng/make-playground-names.sh [OUT]   OUT: where to write (default samples/Playground/wwwroot/names)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -le 1 ] || { echo "usage: bash eng/make-playground-names.sh [OUT]" >&2; exit 2; }
out="${1:-samples/Playground/wwwroot/names}"
mkdir -p "$out"
layers="embedding(V,32) position_embedding sequential(residual(layer_norm self_attention(4) dropout(0.1)) residual(layer_norm dense(128,gelu_tanh) dense(32) dropout(0.1)), times=2) layer_norm dense(V, bias=false)"
DEEPLEARNING_BACKEND=managed dotnet run --project samples/NameWriter -c Release -- \
  --data samples/data/names-subset/names.txt --layers "$layers" \
  --epochs 30 --batch-size 32 --learning-rate 0.003 --schedule "cosine(warmup=100)" --seed 1 --names 0 \
  --save "$out/names-transformer.dlnn" | grep -E '^(Network|Training|this run)'
cp samples/data/names-subset/names.txt "$out/names.txt"
ls -l "$out"
