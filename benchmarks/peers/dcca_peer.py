#!/usr/bin/python3
"""PyTorch peer of bench_dcca: the Deep CCA trace-norm objective and its gradient
through autograd, the way public implementations write it (centre, regularised
covariances, inverse square roots through torch.linalg.eigh, T, its singular values),
on the same shapes. Prints median milliseconds per objective + gradient.
Run through run_dcca.sh, which gives PyTorch its best set-up."""
import statistics
import time
import torch

torch.set_num_threads(2)


def dcca_loss(h1, h2, r=1e-3):
    m = h1.shape[1]
    h1c = h1 - h1.mean(dim=1, keepdim=True)
    h2c = h2 - h2.mean(dim=1, keepdim=True)
    s11 = h1c @ h1c.T / (m - 1) + r * torch.eye(h1.shape[0], dtype=h1.dtype)
    s22 = h2c @ h2c.T / (m - 1) + r * torch.eye(h2.shape[0], dtype=h2.dtype)
    s12 = h1c @ h2c.T / (m - 1)
    d1, v1 = torch.linalg.eigh(s11)
    d2, v2 = torch.linalg.eigh(s22)
    a = v1 @ torch.diag(d1 ** -0.5) @ v1.T
    b = v2 @ torch.diag(d2 ** -0.5) @ v2.T
    t = a @ s12 @ b
    return -torch.linalg.svdvals(t).sum()


for dtype, name in ((torch.float32, "float"), (torch.float64, "double")):
    for m, o in ((102, 128), (128, 1024)):
        g = torch.Generator().manual_seed(1)
        z = torch.randn(8, m, generator=g, dtype=dtype)
        h1 = (torch.randn(o, m, generator=g, dtype=dtype) + torch.randn(o, 8, generator=g, dtype=dtype) @ z).requires_grad_()
        h2 = (torch.randn(o, m, generator=g, dtype=dtype) + torch.randn(o, 8, generator=g, dtype=dtype) @ z).requires_grad_()
        reps = 30 if o <= 128 else 6
        times, nan = [], False
        for _ in range(reps):
            start = time.perf_counter()
            loss = dcca_loss(h1, h2)
            loss.backward()
            times.append(time.perf_counter() - start)
            nan = nan or bool(torch.isnan(h1.grad).any())
            h1.grad = None
            h2.grad = None
        print(f"torch_dcca/{name}/{m}/{o} {1e3 * statistics.median(times[2:]):.3f} ms{' (NaN gradient)' if nan else ''}")
