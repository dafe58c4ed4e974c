#!/usr/bin/env python3
"""The PyTorch half of the round trip: load a DeepLearning model saved as safetensors into nn.Sequential, measure its
MNIST test accuracy, train it one more epoch, and write it back as safetensors (without DeepLearning's metadata, as any
PyTorch program would).

Plain torch (and the numpy it depends on): the safetensors format is 8 bytes of little-endian header length, a JSON
header (dtype, shape, data_offsets per tensor), then the raw little-endian data; it is read and written here by hand.

Usage: roundtrip.py MODEL.safetensors MNIST_DIR OUT.safetensors [--hidden 800] [--epochs 1] [--lr 0.05] [--momentum 0.9]
"""
import argparse, gzip, json, os, struct, sys

import numpy as np
import torch

DTYPES = {"F32": (torch.float32, np.float32), "F64": (torch.float64, np.float64)}


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        torch_type, np_type = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(np_type).newbyteorder("<")).reshape(info["shape"])
        tensors[name] = torch.tensor(array.copy(), dtype=torch_type)
    return tensors, header.get("__metadata__", {})


def write_safetensors(path, tensors):
    header, blob = {}, b""
    for name, t in tensors.items():
        dtype = "F32" if t.dtype == torch.float32 else "F64"
        data = t.detach().contiguous().numpy().astype(np.dtype(DTYPES[dtype][1]).newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + blob)
    os.replace(path + ".tmp", path)


def read_idx(directory, name):
    for candidate, opener in ((name, open), (name + ".gz", gzip.open)):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                raw = f.read()
            dims = raw[3]
            shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"error: {directory} has no {name} (nor {name}.gz)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model"), p.add_argument("mnist"), p.add_argument("out")
    p.add_argument("--hidden", type=int, default=800)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(2)

    tensors, metadata = read_safetensors(a.model)
    # The same architecture as the trainer's default: Linear, ReLU, Linear (logits; cross-entropy applies softmax).
    model = torch.nn.Sequential(torch.nn.Linear(784, a.hidden), torch.nn.ReLU(), torch.nn.Linear(a.hidden, 10))
    model.load_state_dict({k: v.float() for k, v in tensors.items()})  # 0.weight is [out, in]: PyTorch's own layout

    x_test = torch.tensor(read_idx(a.mnist, "t10k-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
    y_test = torch.tensor(read_idx(a.mnist, "t10k-labels-idx1-ubyte").astype(np.int64))
    def accuracy():
        with torch.no_grad():
            return (model(x_test).argmax(1) == y_test).float().mean().item()

    print(f"PyTorch {torch.__version__}: loaded {a.model} ({'with' if metadata else 'without'} DeepLearning metadata)")
    print(f"test accuracy in PyTorch, as loaded: {100 * accuracy():.2f}%")

    x = torch.tensor(read_idx(a.mnist, "train-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
    y = torch.tensor(read_idx(a.mnist, "train-labels-idx1-ubyte").astype(np.int64))
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
    for epoch in range(a.epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
        print(f"test accuracy in PyTorch after {epoch + 1} more epoch(s): {100 * accuracy():.2f}%")

    write_safetensors(a.out, model.state_dict())
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
