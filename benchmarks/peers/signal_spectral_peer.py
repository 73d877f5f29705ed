#!/usr/bin/python3
"""The work of bench_signal_spectral.cpp in scipy/numpy: paper differential entropy
(1 s periodic-Hann STFT windows, band variance by Parseval over [lo, hi) bins, 3 s segments
with a 1 s hop) and a complex STFT (nperseg 128, default overlap, boundary zeros, padded)
on 32 channels x 60 min at 128 Hz. Prints JSON: samples per second of each (best of runs)."""
import json
import sys
import time

import numpy as np
import scipy.signal as sig

FS, CH, N = 128, 32, 60 * 60 * 128
BANDS = [(4, 7), (7, 13), (13, 30), (31, 50)]


def de_paper(x):
    f, _, z = sig.stft(x, fs=FS, window="hann", nperseg=FS, noverlap=0, boundary=None,
                       padded=False, scaling="spectrum")
    w = sig.get_window("hann", FS)
    p = np.abs(z) ** 2 * (w.sum() ** 2)  # undo scipy's 1/sum(w) scaling -> |X|^2
    c = np.where((f == 0) | (f == FS / 2), 1.0, 2.0)
    p *= (c / (FS * np.sum(w * w)))[None, :, None]
    var = np.stack([p[:, (f >= lo) & (f < hi), :].sum(axis=1) for lo, hi in BANDS], axis=1)
    h = 0.5 * np.log(2 * np.pi * np.e * var)  # channels x bands x windows
    segs = h.shape[2] - 2
    idx = np.arange(segs)[:, None] + np.arange(3)[None, :]
    return h[:, :, idx].transpose(2, 0, 1, 3).reshape(segs, CH, -1)


def stft_complex(x):
    return sig.stft(x, fs=FS, window="hann", nperseg=FS)[2]


def best(fn, x, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t0)
    return CH * N / min(times)


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rng = np.random.default_rng(7)
    out = {}
    for dtype in (np.float64, np.float32):
        x = rng.standard_normal((CH, N)).astype(dtype)
        name = "double" if dtype == np.float64 else "float"
        out[f"de_paper<{name}>"] = best(de_paper, x, repeats)
        out[f"stft_complex<{name}>"] = best(stft_complex, x, repeats)
    print(json.dumps(out))
