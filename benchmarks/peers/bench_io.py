#!/usr/bin/python3
"""Peer of benchmarks/bench_io.cpp: the same DEAM-like table parsed by numpy.loadtxt
(header skipped, all 62 columns as float64) and a 1000 x 512 float32 .npy parsed by
numpy.load, both from memory. Prints milliseconds per call (best of 5 repeats)."""
import io
import timeit
import numpy as np

rows = ["song_id," + ",".join(f"sample_{15000 + 500 * j}ms" for j in range(61))]
for i in range(744):
    rows.append(str(i + 2) + "," + ",".join(repr((((i * 61 + j) * 7919) % 2000 - 1000) / 1000.0 + 0.000123)
                                            for j in range(61)))
text = "\n".join(rows) + "\n"

def csv():
    return np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1)

buf = io.BytesIO()
np.save(buf, np.random.default_rng(1).random((1000, 512), dtype=np.float32))
raw = buf.getvalue()

def npy():
    return np.load(io.BytesIO(raw))

for name, f in [("csv_deam_table", csv), ("npy_embeddings", npy)]:
    n = 20
    best = min(timeit.repeat(f, number=n, repeat=5)) / n
    print(f"{name}: {best * 1e3:.3f} ms")
