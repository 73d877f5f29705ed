#!/usr/bin/python3
"""The same work as benchmarks/bench_signal_filters.cpp in scipy and PyWavelets:
sosfiltfilt (Butterworth order 5, 0.5-49.5 Hz band-pass) and wavedec + waverec (db8,
symmetric, maximum level) on 60 minutes of EEG, 32 ch at 128 Hz and 16 ch at 250 Hz.
scipy and pywt run these loops single-threaded. Prints samples per second (best of
`repeats`).  Run with Debian's python: /usr/bin/python3 signal_filters_peer.py
"""
import sys
import time
import numpy as np
import pywt
import scipy
import scipy.signal as sig


def best(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print('peer: scipy %s, pywt %s, numpy %s (best of %d)'
          % (scipy.__version__, pywt.__version__, np.__version__, repeats))
    rng = np.random.default_rng(7)
    for channels, fs in ((32, 128), (16, 250)):
        x = rng.standard_normal((channels, 60 * 60 * fs))
        sos = sig.butter(5, (0.5, 49.5), 'bandpass', fs=fs, output='sos')
        t = best(lambda: sig.sosfiltfilt(sos, x, axis=-1), repeats)
        print('scipy sosfiltfilt   channels=%d fs=%d: %.3g samples/s (%.1f ms)'
              % (channels, fs, x.size / t, 1e3 * t))

        def dwt_idwt():
            c = pywt.wavedec(x, 'db8', mode='symmetric', axis=-1)
            return pywt.waverec(c, 'db8', mode='symmetric', axis=-1)[:, :x.shape[1]]
        t = best(dwt_idwt, repeats)
        print('pywt wavedec+waverec channels=%d fs=%d: %.3g samples/s (%.1f ms)'
              % (channels, fs, x.size / t, 1e3 * t))


if __name__ == '__main__':
    main()
