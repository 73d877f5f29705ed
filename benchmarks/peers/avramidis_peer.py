#!/usr/bin/python3
"""PyTorch peer of bench_avramidis: one training step of the Avramidis et al. 2022 joint
model at the authors' sizes, fp32, 2 threads (issue #11).

The model is canon's avramidis::JointModel with ModelConfig{} (the same one that
tests/fixtures/make_avramidis_fixture.py checks canon against at small sizes), with
every dropout of canon's defaults in train mode:
  EEG (N, 32, 12): BatchNorm1d(32), LSTM(12, 128), Dropout(0.2), LSTM(128, 256),
      Dropout(0.2), attention (linear score, softmax over the 32 steps, each step scaled
      by its weight, flattened to 8192), Linear(8192, 128), Dropout(0.3)
  music (N, 128): Linear(128, 128), LeakyReLU(0.01), Dropout(0.5)
  common Linear(128, 64), LeakyReLU(0.01) on both; classifier Dropout(0.5), Linear(64, 1)
  discriminator on the first N/2 pairs: GRL(1), Linear(64, 64), ReLU, Linear(64, 1)
  J = 0.9 (0.6 BCE_w(eeg) + 0.4 BCE_w(music)) + 0.1 BCE(domain), balanced class weights
One step = zero_grad (set to None) + forward + J + backward + Adam(lr 1e-4).

FLOPs: the analytic GEMM count of bench_avramidis.cpp (same formula, repeated below),
and, as a cross-check, what torch.profiler(with_flops=True) counts for one step (its
matmul-family operators: addmm, mm, bmm, ...).
Run it through run_avramidis.sh, which gives PyTorch its best set-up on this machine.
Prints "torch_step_<N> <median ms> <min ms> <median CPU ms>" per batch size, then
"torch_gflop_<N> <analytic>" and "torch_profiler_gflop_<N> <profiler count>".
Usage: avramidis_peer.py [iterations] [threads]
"""
import sys
import time

import torch
import torch.nn.functional as Fn
from torch import nn

C, F, H1, H2, D, E, K, Q = 32, 12, 128, 256, 128, 128, 64, 64


class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lam * grad, None


class Joint(nn.Module):
    def __init__(self):
        super().__init__()
        self.bnorm = nn.BatchNorm1d(C)
        self.lstm1 = nn.LSTM(F, H1, batch_first=True)
        self.lstm2 = nn.LSTM(H1, H2, batch_first=True)
        self.drop_recurrent = nn.Dropout(0.2)
        self.score = nn.Linear(H2, 1, bias=False)
        self.eeg_out = nn.Linear(C * H2, D)
        self.drop_out = nn.Dropout(0.3)
        self.music = nn.Sequential(nn.Linear(E, D), nn.LeakyReLU(0.01), nn.Dropout(0.5))
        self.common = nn.Linear(D, K)
        self.drop_classifier = nn.Dropout(0.5)
        self.classifier = nn.Linear(K, 1)
        self.disc = nn.Sequential(nn.Linear(K, Q), nn.ReLU(), nn.Linear(Q, 1))

    def forward(self, eeg, mus, h):
        z, _ = self.lstm1(self.bnorm(eeg))
        z, _ = self.lstm2(self.drop_recurrent(z))
        z = self.drop_recurrent(z)
        a = torch.softmax(self.score(z).squeeze(-1), 1)
        e = self.drop_out(self.eeg_out((a.unsqueeze(-1) * z).flatten(1)))
        f = Fn.leaky_relu(self.common(torch.cat([e, self.music(mus)])), 0.01)
        n = eeg.shape[0]
        logits = self.classifier(self.drop_classifier(f)).squeeze(-1)
        dd = GradReverse.apply(torch.cat([f[:h], f[n:n + h]]), 1.0)
        return logits[:n], logits[n:], self.disc(dd).squeeze(-1)


def balanced(y):
    n, pos = len(y), y.sum()
    return torch.where(y == 1, n / (2 * pos), n / (2 * (n - pos)))


def make_step(n):
    model = Joint()
    model.train()
    adam = torch.optim.Adam(model.parameters(), lr=1e-4)
    eeg, mus = torch.randn(n, C, F), torch.randn(n, E)
    y_eeg, y_mus = (torch.rand(n) < 0.5).float(), (torch.rand(n) < 0.5).float()
    y_eeg[:2] = y_mus[:2] = torch.tensor([0., 1.])
    w_eeg, w_mus = balanced(y_eeg), balanced(y_mus)
    h = n // 2
    y_dom = torch.cat([torch.ones(h), torch.zeros(h)])

    def step():
        adam.zero_grad(set_to_none=True)
        p_eeg, p_mus, p_dom = model(eeg, mus, h)
        J = 0.9 * (0.6 * Fn.binary_cross_entropy_with_logits(p_eeg, y_eeg, weight=w_eeg) +
                   0.4 * Fn.binary_cross_entropy_with_logits(p_mus, y_mus, weight=w_mus)) + \
            0.1 * Fn.binary_cross_entropy_with_logits(p_dom, y_dom)
        J.backward()
        adam.step()
        return J.item()
    return step


def analytic_flops(n):  # bench_avramidis.cpp step_flops, the GEMMs only (2 M N K each)
    def dense(out, inp, cols, input_gradient):
        return (3 if input_gradient else 2) * 2 * out * inp * cols

    def lstm(inp, hid, steps, batch, input_gradient):
        g, tn = 4 * hid, steps * batch
        return 2 * g * tn * (2 * inp + 3 * hid) + (2 * g * inp * tn if input_gradient else 0)

    h = n // 2
    return (lstm(F, H1, C, n, False) + lstm(H1, H2, C, n, True) + 3 * 2 * H2 * C * n +
            dense(D, H2 * C, n, True) + dense(D, E, n, False) + dense(K, D, 2 * n, True) +
            dense(1, K, 2 * n, True) + dense(Q, K, 2 * h, True) + dense(1, Q, 2 * h, True))


def profiler_flops(step):
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        step()
    return sum(e.flops for e in prof.key_averages() if e.flops)


def measure(name, step, iterations):
    step()  # warm-up: allocation, first touch, Adam's state
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
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    torch.manual_seed(1)
    for n in (64, 32):
        step = make_step(n)
        measure(f"step_{n}", step, iterations)
        print(f"torch_gflop_{n} {analytic_flops(n) * 1e-9:.4f}")
        print(f"torch_profiler_gflop_{n} {profiler_flops(step) * 1e-9:.4f}", flush=True)


if __name__ == "__main__":
    main()
