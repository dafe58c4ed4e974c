#!/usr/bin/env bash
# Makes what the playground's Digits page ships in samples/Playground/wwwroot/digits/:
#   digits-cnn.dlnn          the convolutional network it reads drawings with, trained by the digit trainer on the full
#                            MNIST (10 epochs, seed 1: the same file on every machine, as the managed backend computes)
#   test-*-idx*-ubyte.gz     the first 200 MNIST test images and labels (?page=digits&sample=N)
#   train-*-idx*-ubyte.gz    the first 2,000 training images and labels ("train it here")
# The images are cut from the embedded subset (samples/data/mnist-subset). CI makes them again into a temporary folder
# and compares them byte for byte with the shipped ones. Usage:
#   bash eng/make-playground-digits.sh DIR [OUT]   DIR: a folder with the four MNIST files (raw or .gz);
#                                                  OUT: where to write (default samples/Playground/wwwroot/digits)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] && [ $# -le 2 ] && [ -d "$1" ] \
  || { echo "usage: bash eng/make-playground-digits.sh DIR [OUT] (DIR: a folder with the four MNIST files)" >&2; exit 2; }
out="${2:-samples/Playground/wwwroot/digits}"
mkdir -p "$out"
DEEPLEARNING_BACKEND=managed dotnet run --project samples/DigitTrainer -c Release -- --data "$1" \
  --layers "conv2d(8,5,relu) maxpool2d(2) conv2d(16,5,relu) maxpool2d(2) dense(32,relu) dense(10)" \
  --optimizer "adam(lr=0.001)" --epochs 10 --seed 1 --show 0 --save "$out/digits-cnn.dlnn" --model-only \
  | grep -E '^(Network|Training|Test accuracy)' 
python3 - "$out" <<'PY'
import gzip, struct, sys
out = sys.argv[1]
def cut(name, count, target):
    with gzip.open(f"samples/data/mnist-subset/{name}", "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xff), data[4:4 + 4 * (magic & 0xff)])
    item = 1
    for d in dims[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), count, *dims[1:])
    body = data[4 + 4 * len(dims):][:count * item]
    with open(f"{out}/{target}", "wb") as f:  # mtime 0 and no name: the same bytes every time
        f.write(gzip.compress(header + body, compresslevel=9, mtime=0))
cut("t10k-images-idx3-ubyte.gz", 200, "test-images-idx3-ubyte.gz")
cut("t10k-labels-idx1-ubyte.gz", 200, "test-labels-idx1-ubyte.gz")
cut("train-images-idx3-ubyte.gz", 2000, "train-images-idx3-ubyte.gz")
cut("train-labels-idx1-ubyte.gz", 2000, "train-labels-idx1-ubyte.gz")
PY
ls -l "$out"
