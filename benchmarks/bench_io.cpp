// canon::io readers on in-memory inputs shaped like the real ones, so the numbers do not
// depend on the disk cache: a DEAM-like wide annotation table (744 songs x 61 values at
// 2 Hz + id) parsed and converted to a matrix, and a 1000 x 512 float32 .npy embedding
// file parsed. Peer: benchmarks/peers/bench_io.py (numpy.loadtxt, numpy.load) on the
// same bytes.
#include <benchmark/benchmark.h>

#include <sstream>

#include <canon/io/csv.hpp>
#include <canon/io/npy.hpp>

namespace {

std::string deam_like_csv() {
  std::ostringstream out;
  out << "song_id";
  for (int j = 0; j < 61; ++j) out << ",sample_" << 15000 + 500 * j << "ms";
  out << "\n";
  for (int i = 0; i < 744; ++i) {
    out << i + 2;
    for (int j = 0; j < 61; ++j) out << "," << (((i * 61 + j) * 7919) % 2000 - 1000) / 1000.0 + 0.000123;
    out << "\n";
  }
  return out.str();
}

void csv_deam_table(benchmark::State& state) {
  const std::string text = deam_like_csv();
  std::vector<std::string> names;
  for (int j = 0; j < 61; ++j) names.push_back("sample_" + std::to_string(15000 + 500 * j) + "ms");
  for (auto _ : state) {
    const auto table = canon::io::parse_csv(text, "bench.csv");
    const auto m = table.matrix<double>(names);
    benchmark::DoNotOptimize(m.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}

void npy_embeddings(benchmark::State& state) {
  const canon::Matrix<float> m = canon::Matrix<float>::Random(1000, 512);
  const std::string path = "bench_io_embeddings.npy";
  canon::io::write_npy(path, m);
  const std::string bytes = canon::io::read_text_file(path);
  std::remove(path.c_str());
  for (auto _ : state) {
    const auto a = canon::io::parse_npy(bytes, "bench.npy");
    const auto back = a.matrix<float>();
    benchmark::DoNotOptimize(back.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes.size()));
}

}  // namespace

// A header of n columns (its duplicate check was quadratic: 18.6 s at n = 40,000). The
// complexity fit must report O(N).
static void csv_wide_header(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < state.range(0); ++i) text += (i ? ",c" : "c") + std::to_string(i);
  text += "\n";
  for (auto _ : state) benchmark::DoNotOptimize(canon::io::parse_csv(text, "wide.csv").column_count());
  state.SetComplexityN(state.range(0));
}

BENCHMARK(csv_deam_table)->Unit(benchmark::kMillisecond);
BENCHMARK(csv_wide_header)->RangeMultiplier(2)->Range(10000, 80000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);
BENCHMARK(npy_embeddings)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
