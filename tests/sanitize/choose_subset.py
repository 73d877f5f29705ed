#!/usr/bin/env python3
"""Proposes tests/sanitize/subset.txt: the fewest test executables whose own dependency
files (a test that includes an umbrella header counts for none) reach every header of
include/canon, greedily, after a set of tests that must always run sanitized.
  tests/sanitize/choose_subset.py BUILD_DIR  > tests/sanitize/subset.txt
BUILD_DIR: a build of the whole test suite with GCC/Clang dependency files (any build
type). A developer tool; neither ctest nor CI runs it (scripts/test-sanitized checks the
committed list instead)."""
import pathlib
import re
import sys

ALWAYS = ["test_serialization", "test_atomic_file", "test_checkpoint", "test_resume",
          "test_io_npy", "test_io_csv", "test_io_edf", "test_io_audio",
          # the index-heavy layers, where an off-by-one would read out of bounds
          "test_conv1d", "test_lstm", "test_bidirectional", "test_attention", "test_max_pool1d",
          "test_dcca",
          # strided xtensor adaptors over canon's signal batches: a wrong stride reads out of bounds
          "test_xtensor_signal_batch"]
# Tests that CI's release build keeps although the sanitizer job runs them (CI builds the
# rest of the subset only sanitized): each is the release build's only includer of a header.
RELEASE_TOO: dict = {  # test -> why it must also run in the release build
    "test_xtensor_segment_batch": "the release build's only includer of canon/xtensor/segment_batch.hpp",
    "test_xtensor_npz": "the release build's only includer of canon/xtensor/npz.hpp",
}
UMBRELLA = re.compile(r"^include/canon/(canon|io|signal|svm|npz|xtensor|models/[a-z_]+)\.hpp$")


def headers_of(depfile):
    names = set(re.findall(r"(include/canon/[^\s\\]+\.hpp)", depfile.read_text()))
    return None if any(UMBRELLA.match(n) for n in names) else names


def main():
    build, root = pathlib.Path(sys.argv[1]), pathlib.Path(__file__).resolve().parents[2]
    tests = {}
    for d in (build / "tests").rglob("*.o.d"):
        target = next((p.name[:-4] for p in d.parents if p.name.endswith(".dir")), "")
        if not target.startswith("test_"):
            continue
        found = headers_of(d)
        if found is None:
            tests[target] = None  # includes an umbrella: counts for nothing
        elif tests.get(target, set()) is not None:
            tests.setdefault(target, set()).update(found)
    tests = {t: h for t, h in tests.items() if h is not None}
    wanted = {str(p.relative_to(root)) for p in (root / "include/canon").rglob("*.hpp")}
    wanted = {w for w in wanted if not UMBRELLA.match(w)}
    chosen = [t for t in ALWAYS if t in tests]
    covered = set().union(*(tests[t] for t in chosen)) & wanted
    while covered != wanted:
        best = max(sorted(tests), key=lambda t: (len(tests[t] & (wanted - covered)), -len(tests[t])))
        gain = tests[best] & (wanted - covered)
        if not gain:
            sys.exit("no test reaches: " + " ".join(sorted(wanted - covered)))
        chosen.append(best)
        covered |= gain
    print("# Tests built and run under ASan + UBSan by scripts/test-sanitized (made by")
    print("# tests/sanitize/choose_subset.py: every header of include/canon is reached).")
    for t in chosen:
        print(t + (f"  # release too: {RELEASE_TOO[t]}" if t in RELEASE_TOO else ""))


if __name__ == "__main__":
    main()
