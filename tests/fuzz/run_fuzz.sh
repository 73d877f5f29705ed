#!/bin/sh
# Builds the libFuzzer targets for the CSV, manifest and .npy readers with clang under
# AddressSanitizer + UndefinedBehaviorSanitizer into their own build folder and runs each.
#   run_fuzz.sh <build-dir> [seconds per target | -runs=N]
# Exits 77 (ctest: skipped) when no clang is installed. The seed corpora are generated
# here (one tiny valid input each), never committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-"$root/build-fuzz"}
budget=${2:-5}
clang=""
for c in clang++-14 clang++; do
  if command -v "$c" >/dev/null 2>&1; then
    clang=$c
    break
  fi
done
if [ -z "$clang" ]; then
  echo "skipping: clang++ is not installed"
  exit 77
fi
eigen=$(pkg-config --cflags eigen3 2>/dev/null || echo "-I/usr/include/eigen3")
mkdir -p "$out"
case "$budget" in
  -runs=*) limit="$budget" ;;
  *) limit="-max_total_time=$budget" ;;
esac
for target in csv manifest npy; do
  bin="$out/fuzz_$target"
  stale=""
  if [ -x "$bin" ]; then
    stale=$(find "$here/fuzz_$target.cpp" "$root/include/canon/io" "$root/include/canon/core" \
                 -name '*.[ch]pp' -newer "$bin" 2>/dev/null | head -n 1)
  fi
  if [ ! -x "$bin" ] || [ -n "$stale" ]; then
    # shellcheck disable=SC2086
    "$clang" -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -I"$root/include" $eigen "$here/fuzz_$target.cpp" -o "$bin"
  fi
  corpus="$out/corpus_$target"
  mkdir -p "$corpus"
  case $target in
    csv) printf 'a,"b ""q""",c\r\n1,\t2 ,"x\ny"\n' >"$corpus/seed" ;;
    manifest) printf 'audio,eeg,audio_offset,eeg_offset,arousal\nsong.wav,/e/s1.bdf,0.5,,0.7\n' >"$corpus/seed" ;;
    npy)
      header="{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
      {
        printf '\223NUMPY\001\000\166\000%s' "$header"
        printf '%*s\n' $((117 - ${#header})) ''
        printf '\000\000\000\000\000\000\360\077\000\000\000\000\000\000\000\100'
      } >"$corpus/seed"
      ;;
  esac
  log="$out/fuzz_$target.log"
  echo "== fuzz_$target ($limit)"
  if ! "$bin" "$limit" -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/" "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$target FAILED (artifacts in $out)"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$log" || true
done
