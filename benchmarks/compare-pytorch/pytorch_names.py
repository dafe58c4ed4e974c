#!/usr/bin/env python3
"""The PyTorch side of the name writer: its transformer (tests/python/deeplearning_torch.py's transformer(), the same
module and parameter names as the library's), trained or timed in float32 on the CPU with a fixed number of threads.

Time a training step, as `dotnet run -c Release --project benchmarks/DeepLearning.Benchmarks -- transformer-step` does:
    pytorch_names.py --time-steps [--threads 2]
        a batch of 64 random names of 16 positions (the name writer's batch), AdamW; 20 warm-up steps, then 5 rounds of 50; one JSON line with
        the median ms per step.

Train on names and save for the library (the name writer loads it with --load FILE --model transformer):
    pytorch_names.py --train train.txt --test test.txt --characters abc...z --positions 16 --steps 2000
                     --save model.safetensors [--seed 1] [--threads 2] [--learning-rate 2e-3] [--batch-size 64]
        AdamW (betas 0.9, 0.99, weight decay 0.01), cosine schedule with 10% warm-up; prints one JSON line with the test
        loss in nats per character (float64 sum of float32 logits), which the library must measure too.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
import deeplearning_torch as dl  # noqa: E402


def read_names(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def step(model, optimizer, x, y):
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-1)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()


def time_steps(threads):
    torch.manual_seed(1)
    model = dl.transformer(27, 16, dropout=0.2)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01)
    x = torch.randint(0, 27, (64, 16))
    y = torch.randint(0, 27, (64, 16))
    for _ in range(20):
        step(model, optimizer, x, y)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(50):
            step(model, optimizer, x, y)
        times.append((time.perf_counter() - start) / 50 * 1000)
    times.sort()
    print(json.dumps({"framework": f"PyTorch {torch.__version__}", "msPerStep": round(times[2], 3),
                      "parameters": sum(p.numel() for p in model.parameters()), "threads": torch.get_num_threads()}))


def train(a):
    torch.manual_seed(a.seed)
    train_names, test_names = read_names(a.train), read_names(a.test)
    vocabulary = len(a.characters) + 1
    x, y = dl.next_character_data(train_names, a.characters, a.positions)
    x_test, y_test = dl.next_character_data(test_names, a.characters, a.positions)
    model = dl.transformer(vocabulary, a.positions, dropout=0.2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.learning_rate, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01)
    warmup = max(1, a.steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, a.steps - warmup))))
    generator = torch.Generator().manual_seed(a.seed)
    started = time.perf_counter()
    model.train()
    for s in range(a.steps):
        batch = torch.randint(0, x.shape[0], (a.batch_size,), generator=generator)
        step(model, optimizer, x[batch], y[batch])
        schedule.step()
    seconds = time.perf_counter() - started
    test_loss = dl.mean_loss(model, x_test, y_test)
    dl.save(a.save, model, {"vocabulary": a.characters})
    print(json.dumps({"framework": f"PyTorch {torch.__version__}", "steps": a.steps, "testLoss": test_loss, "trainSeconds": round(seconds, 1)}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--time-steps", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--train")
    p.add_argument("--test")
    p.add_argument("--characters")
    p.add_argument("--positions", type=int, default=16)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--save")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.time_steps:
        time_steps(a.threads)
    elif a.train and a.test and a.characters and a.save:
        train(a)
    else:
        p.error("give --time-steps, or --train, --test, --characters and --save")


if __name__ == "__main__":
    main()
