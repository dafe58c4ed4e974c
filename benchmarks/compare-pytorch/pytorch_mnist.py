#!/usr/bin/env python3
"""The PyTorch side of the end-to-end comparison: the same network, loss, optimizer, batch size and data as the digit
trainer, in float32 on the CPU with a fixed number of threads. Prints one JSON line per epoch.

Usage: pytorch_mnist.py --data DIR [--hidden 128] [--activation relu] [--loss cross-entropy|quadratic]
                        [--learning-rate 0.1] [--momentum 0] [--batch-size 64] [--epochs 3] [--threads 2] [--seed 1]
                        [--cnn] [--train-limit N]
  --cnn  Nielsen's two-convolution network instead of a dense one: Conv2d(1, 20, 5), act, MaxPool2d(2), Conv2d(20, 40, 5),
         act, MaxPool2d(2), Flatten, Linear(640, --hidden), act, Linear(--hidden, 10) — the trainer's
         --layers "conv2d(20,5,relu) maxpool2d(2) conv2d(40,5,relu) maxpool2d(2) dense(100,relu) dense(10)".
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(directory, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            magic = struct.unpack(">I", data[:4])[0]
            rank = magic & 0xFF
            dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)
    sys.exit(f"error: {directory} has no {name} (nor {name}.gz)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--activation", default="relu", choices=["relu", "sigmoid", "tanh"])
    p.add_argument("--loss", default="cross-entropy", choices=["cross-entropy", "quadratic"])
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cnn", action="store_true")
    p.add_argument("--train-limit", type=int, default=0)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_train = torch.from_numpy(read_idx(a.data, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    y_train = torch.from_numpy(read_idx(a.data, "train-labels-idx1-ubyte").astype(np.int64))
    x_test = torch.from_numpy(read_idx(a.data, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    y_test = torch.from_numpy(read_idx(a.data, "t10k-labels-idx1-ubyte").astype(np.int64))
    if a.train_limit > 0:
        x_train, y_train = x_train[:a.train_limit], y_train[:a.train_limit]
    y_train_onehot = F.one_hot(y_train, 10).float()

    act = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[a.activation]
    if a.cnn:  # rows of 784 in, reshaped to [m, 1, 28, 28] as the trainer's rows are read
        convs = [torch.nn.Conv2d(1, 20, 5), torch.nn.Conv2d(20, 40, 5)]
        hidden = torch.nn.Linear(640, a.hidden)
        features = lambda x: torch.flatten(F.max_pool2d(act(convs[1](F.max_pool2d(act(convs[0](x.view(-1, 1, 28, 28))), 2))), 2), 1)
    else:
        convs = []
        hidden = torch.nn.Linear(784, a.hidden)
        features = lambda x: x
    output = torch.nn.Linear(a.hidden, 10)
    with torch.no_grad():
        for layer in (*convs, hidden, output):
            if a.activation == "sigmoid":  # the textbook's N(0, 1) weights and biases
                layer.weight.normal_(0, 1)
                layer.bias.normal_(0, 1)
            elif a.activation == "relu":  # He normal, zero biases: the library's default for ReLU layers
                torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                layer.bias.zero_()
            else:
                torch.nn.init.xavier_uniform_(layer.weight)
                layer.bias.zero_()

    params = [q for layer in (*convs, hidden, output) for q in layer.parameters()]
    optimizer = torch.optim.SGD(params, lr=a.learning_rate, momentum=a.momentum)

    def forward(x):
        z = output(act(hidden(features(x))))
        return z if a.loss == "cross-entropy" else torch.sigmoid(z)

    n = x_train.shape[0]
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n)
        loss_sum = 0.0
        for i in range(0, n, a.batch_size):
            idx = order[i:i + a.batch_size]
            x = x_train[idx]
            out = forward(x)
            if a.loss == "cross-entropy":
                loss = F.cross_entropy(out, y_train[idx])
            else:  # ½‖a − y‖² per sample, averaged over the mini-batch (as network.py and the library do)
                loss = 0.5 * ((out - y_train_onehot[idx]) ** 2).sum(dim=1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * x.shape[0]
        with torch.no_grad():
            accuracy = sum((forward(x_test[i:i + 1000]).argmax(dim=1) == y_test[i:i + 1000]).sum().item()
                           for i in range(0, x_test.shape[0], 1000)) / x_test.shape[0]
        seconds = time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "trainLoss": loss_sum / n, "testAccuracy": accuracy, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
