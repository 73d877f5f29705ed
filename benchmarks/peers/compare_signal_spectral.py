#!/usr/bin/python3
"""Runs bench_signal_spectral (1 and 2 OpenMP threads) and its scipy peer in one go and
prints samples/second and the ratio canon / scipy.

usage: /usr/bin/python3 benchmarks/peers/compare_signal_spectral.py <build dir>"""
import json
import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
bench = os.path.join(build, "benchmarks", "bench_signal_spectral")
peer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signal_spectral_peer.py")

scipy_rates = json.loads(subprocess.run(["/usr/bin/python3", peer], check=True, capture_output=True,
                                        text=True, env=dict(os.environ, OMP_NUM_THREADS="1",
                                                            OPENBLAS_NUM_THREADS="1")).stdout)
print(f"{'benchmark':30s} {'threads':>7s} {'canon Msamples/s':>17s} {'scipy Msamples/s':>17s} {'ratio':>7s}")
for threads in ("1", "2"):
    run = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=1"], check=True,
                         capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS=threads))
    for b in json.loads(run.stdout)["benchmarks"]:
        name = b["name"].replace("/real_time", "")
        ours, theirs = b["samples/s"], scipy_rates[name]
        print(f"{name:30s} {threads:>7s} {ours / 1e6:17.1f} {theirs / 1e6:17.1f} {ours / theirs:7.2f}")
