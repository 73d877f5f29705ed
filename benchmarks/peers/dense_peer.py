#!/usr/bin/python3
"""PyTorch peer of bench_dense: nn.Linear forward + backward (input and weight grads),
same shapes, median milliseconds per step. Run through run_dense.sh."""
import statistics
import time
import torch

torch.set_num_threads(2)
for dtype in (torch.float32, torch.float64):
    for n_in, n_out, batch in ((1024, 1024, 128), (512, 256, 128), (128, 1024, 102)):
        layer = torch.nn.Linear(n_in, n_out).to(dtype)
        x = torch.randn(batch, n_in, dtype=dtype, requires_grad=True)
        dy = torch.randn(batch, n_out, dtype=dtype)
        times = []
        for i in range(60):
            start = time.perf_counter()
            y = layer(x)
            y.backward(dy)
            times.append(time.perf_counter() - start)
            layer.zero_grad(set_to_none=True)
            x.grad = None
        name = "float" if dtype == torch.float32 else "double"
        print(f"torch_dense<{name}>/{n_in}/{n_out}/{batch} {1e3 * statistics.median(times[10:]):.3f} ms")
