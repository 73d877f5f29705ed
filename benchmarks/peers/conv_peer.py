#!/usr/bin/python3
"""PyTorch peer of bench_conv: one training step of both Raposo 2017 branches.

Same work as canon's training_step benchmark: batch 102, float32, BN before every
conv, ReLU after, 'same' padding, forward + backward of a fixed random stand-in for the
DCCA loss gradient (128 x batch per branch) + Adam. Run it through run_conv.sh, which
gives PyTorch its best configuration on this machine. Prints ms per step.
Usage: conv_peer.py [batch] [iterations]
"""
import sys
import time

import torch
from torch import nn

AUDIO = ("conv-3-3-128, conv-3-1-128, mp-3, conv-3-1-256, mp-3, conv-5-1-256, mp-5, "
         "conv-5-1-512, mp-5, conv-7-1-512, mp-7, conv-7-1-1024, mp-7, conv-1-1-128")
EEG = "conv-3-3-128, conv-5-1-256, mp-5, conv-5-1-512, mp-5, conv-5-1-1024, mp-5, conv-1-1-128"


def branch(spec, channels):
    layers = []
    for token in (t.strip() for t in spec.split(",")):
        parts = token.split("-")
        if parts[0] == "conv":
            k, s, c = int(parts[1]), int(parts[2]), int(parts[3])
            layers.append(nn.BatchNorm1d(channels))
            # stride 1: PyTorch 'same'; stride 3 on these lengths needs no padding
            layers.append(nn.Conv1d(channels, c, k, stride=s, padding="same" if s == 1 else 0))
            layers.append(nn.ReLU())
            channels = c
        else:
            layers.append(nn.MaxPool1d(int(parts[1])))
    return nn.Sequential(*layers)


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 102
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    torch.set_num_threads(2)
    torch.manual_seed(1)
    audio, eeg = branch(AUDIO, 1), branch(EEG, 16)
    optimizer = torch.optim.Adam(list(audio.parameters()) + list(eeg.parameters()))
    xa = torch.rand(batch, 1, 33075) * 2 - 1
    xe = torch.randn(batch, 16, 375)
    ga, ge = torch.randn(batch, 128, 1), torch.randn(batch, 128, 1)

    def step():
        optimizer.zero_grad(set_to_none=True)
        ya, ye = audio(xa), eeg(xe)
        torch.autograd.backward([ya, ye], [ga, ge])
        optimizer.step()

    step()  # warm-up
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"pytorch {torch.__version__} training_step batch {batch}: "
          f"median {1000 * times[len(times) // 2]:.0f} ms, min {1000 * times[0]:.0f} ms "
          f"over {iterations} steps")


if __name__ == "__main__":
    main()
