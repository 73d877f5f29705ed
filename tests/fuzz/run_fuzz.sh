#!/bin/sh
# Builds the libFuzzer targets of the readers with clang under AddressSanitizer +
# UndefinedBehaviorSanitizer into their own build folder and runs each:
#   csv, manifest, npy      the text and .npy parsers (input: the file's bytes)
#   edf                     EDF/EDF+/BDF through EDFlib and canon's record decoder
#   audio                   WAV/FLAC/OGG/MP3 through libsndfile's virtual I/O
#   datasets                the DEAM, PMEmo and DEAP loaders with fuzzed options
#   model                   canon tensor files through canon::load and load_checkpoint
#   branch                  the Raposo branch notation, its shapes and small networks
#   run_fuzz.sh <build-dir> [seconds per target | -runs=N] [targets...]
# CANON_FUZZ_FLAGS adds libFuzzer flags (e.g. -rss_limit_mb=4096 for long audio runs:
# libsndfile leaks inside libvorbis on every Ogg file it fails to open).
# Exits 77 (ctest: skipped) when no clang is installed. The seed corpora are generated
# here (small valid inputs, the EDF and audio ones written by EDFlib and libsndfile),
# never committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-"$root/build-fuzz"}
budget=${2:-5}
if [ $# -ge 2 ]; then shift 2; else shift $#; fi
targets=${*:-"csv manifest npy edf audio datasets model branch"}
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
sndfile_cflags=$(pkg-config --cflags sndfile 2>/dev/null || true)
sndfile_libs=$(pkg-config --libs sndfile 2>/dev/null || echo "-lsndfile")
mkdir -p "$out"
# Readers that need a path get a memory-backed temporary folder when there is one.
if [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
case "$budget" in
  -runs=*) limit="$budget" ;;
  *) limit="-max_total_time=$budget" ;;
esac
# The seed writer (no sanitizers: it only runs EDFlib and libsndfile's encoders).
seeds="$out/make_seeds"
if [ ! -x "$seeds" ] || [ "$here/make_seeds.cpp" -nt "$seeds" ]; then
  # shellcheck disable=SC2086
  "$clang" -std=c++17 -O1 $sndfile_cflags "$here/make_seeds.cpp" -o "$seeds" -ledf $sndfile_libs
fi
for target in $targets; do
  bin="$out/fuzz_$target"
  libs=""
  max_len=4096
  # The headers a target reads, beyond core/: a change there rebuilds it.
  headers="$root/include/canon/io"
  case $target in
    edf) libs="-ledf" ;;
    audio) libs="$sndfile_libs"; max_len=16384 ;;
    datasets) max_len=8192 ;;
    model) max_len=8192; headers="$root/include/canon/nn $root/include/canon/optim" ;;
    branch) max_len=512; headers="$root/include/canon/nn $root/include/canon/models/raposo" ;;
  esac
  stale=""
  if [ -x "$bin" ]; then
    # shellcheck disable=SC2086
    stale=$(find "$here" $headers "$root/include/canon/core" \
                 -name '*.[ch]pp' -newer "$bin" 2>/dev/null | head -n 1)
  fi
  if [ ! -x "$bin" ] || [ -n "$stale" ]; then
    # shellcheck disable=SC2086
    "$clang" -std=c++17 -O1 -gline-tables-only -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -I"$root/include" $eigen $sndfile_cflags "$here/fuzz_$target.cpp" -o "$bin" $libs
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
    edf | audio | datasets) "$seeds" "$target" "$corpus" ;;
    # Real model and checkpoint files, written by the target itself (it holds the models).
    model) CANON_FUZZ_SEEDS="$corpus" "$bin" ;;
    branch)
      # Input 16 x 64 (bytes 1, 64, 0), fused ReLU; then the paper's EEG branch on 16 x 375.
      printf '\020\100\000\001conv-3-1-8, mp-2, conv-5-2-4, mp-4, conv-1-1-2' >"$corpus/seed"
      printf '\020\167\001\000conv-3-3-128, conv-5-1-256, mp-5, conv-5-1-512, mp-5, conv-5-1-1024, mp-5, conv-1-1-128' >"$corpus/seed_paper_eeg"
      ;;
  esac
  log="$out/fuzz_$target.log"
  echo "== fuzz_$target ($limit)"
  # shellcheck disable=SC2086
  if ! LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0" "$bin" "$limit" ${CANON_FUZZ_FLAGS:-} -max_len=$max_len -print_final_stats=1 -artifact_prefix="$out/" "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$target FAILED (artifacts in $out)"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$log" || true
done
