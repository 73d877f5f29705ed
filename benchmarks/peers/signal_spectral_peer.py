#!/usr/bin/python3
"""The work of bench_signal_spectral.cpp in scipy/numpy: paper differential entropy
(1 s periodic-Hann STFT windows, band variance by Parseval over [lo, hi) bins, 3 s segments
with a 1 s hop) and a complex STFT (nperseg 128, default overlap, boundary zeros, padded)
on 60 min of 32 channels at 128 Hz and 16 channels at 250 Hz. Prints JSON: samples per
second of each (best of runs), keyed like the Google Benchmark names."""
import json
import sys
import time

import numpy as np
import scipy.signal as sig

BANDS = [(4, 7), (7, 13), (13, 30), (31, 50)]


def de_paper(x, fs):
    f, _, z = sig.stft(x, fs=fs, window="hann", nperseg=fs, noverlap=0, boundary=None,
                       padded=False, scaling="spectrum")
    w = sig.get_window("hann", fs)
    p = np.abs(z) ** 2 * (w.sum() ** 2)  # undo scipy's 1/sum(w) scaling -> |X|^2
    c = np.where((f == 0) | (f == fs / 2), 1.0, 2.0)
    p *= (c / (fs * np.sum(w * w)))[None, :, None]
    var = np.stack([p[:, (f >= lo) & (f < hi), :].sum(axis=1) for lo, hi in BANDS], axis=1)
    h = 0.5 * np.log(2 * np.pi * np.e * var)  # channels x bands x windows
    segs = h.shape[2] - 2
    idx = np.arange(segs)[:, None] + np.arange(3)[None, :]
    return h[:, :, idx].transpose(2, 0, 1, 3).reshape(segs, x.shape[0], -1)


def stft_complex(x, fs):
    return sig.stft(x, fs=fs, window="hann", nperseg=fs)[2]


def best(fn, x, fs, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(x, fs)
        times.append(time.perf_counter() - t0)
    return x.size / min(times)


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rng = np.random.default_rng(7)
    out = {}
    for ch, fs in ((32, 128), (16, 250)):
        for dtype in (np.float64, np.float32):
            x = rng.standard_normal((ch, 60 * 60 * fs)).astype(dtype)
            name = "double" if dtype == np.float64 else "float"
            out[f"de_paper<{name}>/{ch}/{fs}"] = best(de_paper, x, fs, repeats)
            out[f"stft_complex<{name}>/{ch}/{fs}"] = best(stft_complex, x, fs, repeats)
    print(json.dumps(out))
