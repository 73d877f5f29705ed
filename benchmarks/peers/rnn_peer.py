#!/usr/bin/python3
"""PyTorch peer of bench_rnn: forward + backward of the recurrent layers, fp32, 2 threads.

Same work as canon's benchmarks: every layer returns its whole sequence, a fixed random
gradient of it is fed to backward, and the input gradient is computed too.
  avramidis_eeg   LSTM(12 -> 128), dropout 0.5, LSTM(128 -> 256), 32 steps, batch 64
  emercl_emotion  BiGRU(2 -> 512), 60 steps, batch 128
  emercl_music    BiGRU(128 -> 512), 31 steps, batch 128
Run it through run_rnn.sh, which gives PyTorch its best set-up on this machine.
Prints one line per workload: "torch_<name> <median ms> <min ms> <median CPU ms>" (CPU
time of the process: on a machine shared with other jobs, a 1-thread run's CPU time is
the steadier measure of work).
Usage: rnn_peer.py [iterations] [threads]
"""
import sys
import time

import torch
from torch import nn


def avramidis():
    first, second = nn.LSTM(12, 128, batch_first=True), nn.LSTM(128, 256, batch_first=True)
    dropout = nn.Dropout(0.5)
    x = torch.randn(64, 32, 12, requires_grad=True)
    dy = torch.randn(64, 32, 256)
    params = list(first.parameters()) + list(second.parameters())

    def step():
        for p in params:
            p.grad = None
        x.grad = None
        y, _ = second(dropout(first(x)[0]))
        y.backward(dy)
    return step


def bigru(inputs, steps):
    gru = nn.GRU(inputs, 512, batch_first=True, bidirectional=True)
    x = torch.randn(128, steps, inputs, requires_grad=True)
    dy = torch.randn(128, steps, 1024)

    def step():
        for p in gru.parameters():
            p.grad = None
        x.grad = None
        y, _ = gru(x)
        y.backward(dy)
    return step


def measure(name, step, iterations):
    step()  # warm-up: allocation and first touch
    step()
    times, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    times.sort()
    cpu.sort()
    print(f"torch_{name} {1000 * times[len(times) // 2]:.2f} {1000 * times[0]:.2f} "
          f"{1000 * cpu[len(cpu) // 2]:.2f}", flush=True)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    torch.manual_seed(1)
    measure("avramidis_eeg", avramidis(), 3 * iterations)
    measure("emercl_emotion", bigru(2, 60), iterations)
    measure("emercl_music", bigru(128, 31), iterations)


if __name__ == "__main__":
    main()
