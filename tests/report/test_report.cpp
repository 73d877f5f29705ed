#include <canon/report/json.hpp>
#include <canon/report/machine.hpp>
#include <canon/report/progress.hpp>
#include <canon/report/svg_plot.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

using namespace canon;

TEST_CASE("JsonWriter: nested objects and arrays, escaping, NaN as null") {
  std::ostringstream out;
  report::JsonWriter json(out, 0);
  json.begin_object()
      .member("name", "a \"quoted\"\nline")
      .member("mrr", 0.25)
      .member("folds", 5)
      .member("ok", true)
      .member("nan", std::nan(""))
      .member("curve", std::vector<double>{1.5, 2})
      .key("nested")
      .begin_object()
      .key("empty")
      .begin_array()
      .end_array()
      .end_object()
      .end_object();
  CHECK(json.complete());
  CHECK(out.str() ==
        "{\"name\":\"a \\\"quoted\\\"\\nline\",\"mrr\":0.25,\"folds\":5,\"ok\":true,"
        "\"nan\":null,\"curve\":[1.5,2],\"nested\":{\"empty\":[]}}");
}

TEST_CASE("JsonWriter: every integer type writes its exact value") {
  std::ostringstream out;
  report::JsonWriter json(out, 0);
  json.begin_array()
      .value(std::size_t(7))
      .value(std::numeric_limits<std::uint64_t>::max())  // a 64-bit seed: not rounded through double
      .value(std::numeric_limits<long long>::min())
      .value(3u)
      .value(Index(-2))
      .end_array();
  CHECK(out.str() == "[7,18446744073709551615,-9223372036854775808,3,-2]");
}

TEST_CASE("JsonWriter: misuse is an error") {
  std::ostringstream out;
  report::JsonWriter json(out);
  json.begin_object();
  CHECK_THROWS_AS(json.value(1.0), error);  // a value without a key
  CHECK_THROWS_AS(json.end_array(), error);
  json.key("k");
  CHECK_THROWS_AS(json.key("again"), error);
  json.value(1.0).end_object();
  CHECK_THROWS_AS(json.begin_object(), error);  // a second root
}

TEST_CASE("render_svg: lines, bars, references and escaped labels") {
  report::Chart chart;
  chart.title = "correlations <per> component";
  chart.x_label = "component";
  chart.y_label = "r";
  chart.series.push_back({"held-out", {1, 2, 3}, {0.9, 0.5, 0.1}});
  chart.references.push_back({"ceiling", 0.95});
  const std::string lines = report::render_svg(chart);
  CHECK(lines.find("<polyline") != std::string::npos);
  CHECK(lines.find("correlations &lt;per&gt; component") != std::string::npos);
  CHECK(lines.find("ceiling") != std::string::npos);
  chart.kind = report::Chart::Kind::bars;
  const std::string bars = report::render_svg(chart);
  // one bar per point, plus the background and one legend swatch
  std::size_t rects = 0;
  for (std::size_t at = bars.find("<rect"); at != std::string::npos; at = bars.find("<rect", at + 1)) ++rects;
  CHECK(rects == 3 + 2);
  // error bars: one whisker path per bar, and the y range reaches mean + error
  chart.error_bars = {{0.05, 0.2, 0.0}};
  const std::string whiskers = report::render_svg(chart);
  std::size_t paths = 0;
  for (std::size_t at = whiskers.find("<path"); at != std::string::npos; at = whiskers.find("<path", at + 1)) ++paths;
  CHECK(paths == 3);
  chart.error_bars = {{0.1}};
  CHECK_THROWS_WITH(report::render_svg(chart), Catch::Contains("3 points and 1 error bars"));
  chart.error_bars.clear();
  chart.series[0].y[1] = std::nan("");
  CHECK_THROWS_WITH(report::render_svg(chart), Catch::Contains("non-finite value at point 1"));
  chart.series[0].y.pop_back();
  CHECK_THROWS_AS(report::render_svg(chart), value_error);
}

// The x pixel of every polyline vertex, in order.
std::vector<double> polyline_x(const std::string& svg) {
  std::vector<double> xs;
  const std::size_t at = svg.find("<polyline");
  std::istringstream points(svg.substr(svg.find("points=\"", at) + 8));
  for (double x, y; points >> x && points.get() == ',' && points >> y;) xs.push_back(x);
  return xs;
}

TEST_CASE("render_svg: a log x axis, spread bands on lines, a legend as wide as its labels") {
  report::Chart chart;
  chart.log_x = true;
  chart.series.push_back({"recall", {1, 10, 100}, {0.1, 0.4, 1.0}});
  const std::string svg = report::render_svg(chart);
  // decades equally spaced
  const std::vector<double> xs = polyline_x(svg);
  REQUIRE(xs.size() == 3);
  CHECK(xs[2] - xs[1] == Approx(xs[1] - xs[0]));
  for (const char* tick : {">1<", ">2<", ">5<", ">10<", ">20<", ">50<", ">100<"})
    CHECK(svg.find(tick) != std::string::npos);
  chart.series[0].x[0] = 0.0;
  CHECK_THROWS_WITH(report::render_svg(chart), Catch::Contains("needs positive x"));
  chart.series[0].x[0] = 1.0;
  // a band: one polygon with 2n vertices
  chart.error_bars = {{0.05, 0.1, 0.0}};
  const std::string band = report::render_svg(chart);
  CHECK(band.find("<polygon") != std::string::npos);
  chart.error_bars = {{0.05, std::nan(""), 0.0}};
  CHECK_THROWS_WITH(report::render_svg(chart), Catch::Contains("finite spread"));
  chart.error_bars.clear();
  // a long label widens the picture instead of running off its edge
  const auto width_of = [](const std::string& text) {
    const std::size_t at = text.find("width=\"") + 7;
    return std::stod(text.substr(at, text.find('"', at) - at));
  };
  chart.series[0].label = std::string(60, 'x');
  const std::string wide = report::render_svg(chart);
  const std::size_t label = wide.rfind("<text x=\"", wide.find(chart.series[0].label)) + 9;
  const double label_x = std::stod(wide.substr(label, wide.find('"', label) - label));
  CHECK(width_of(wide) >= label_x + 7.0 * 60);  // 7 px per glyph of a 12 px sans-serif
  chart.kind = report::Chart::Kind::bars;
  CHECK_THROWS_WITH(report::render_svg(chart), Catch::Contains("no log x axis"));
}

TEST_CASE("Progress: throttled lines with rate and time left") {
  std::ostringstream out;
  double now = 100.0;
  report::Progress progress(out, 2, 4, 10.0, [&] { return now; });
  now = 101;
  progress.batch(0, 0, 1.5, 50);  // first line always
  now = 102;
  progress.batch(0, 1, 1.4, 50);  // within the interval: silent
  now = 104;
  progress.batch(0, 3, 1.2, 100);  // last batch of the epoch: printed
  const std::string text = out.str();
  CHECK(text.find("epoch 1/2  batch 1/4  loss 1.5  50.0 samples/s  elapsed 1s  left ~7s") !=
        std::string::npos);
  CHECK(text.find("batch 2/4") == std::string::npos);
  // 200 samples in 4 s, 4 of 8 batches done in 4 s -> 4 s left
  CHECK(text.find("batch 4/4  loss 1.2  50.0 samples/s  elapsed 4s  left ~4s") != std::string::npos);
  CHECK(report::format_duration(3725) == "1h02m");
  CHECK(report::format_duration(250) == "4m10s");
}

TEST_CASE("Progress on a terminal: one batch line rewritten in place, epoch summaries kept") {
  std::ostringstream out;
  double now = 0.0;
  {
    report::Progress progress(out, 2, 3, 1.0, [&] { return now; }, report::Progress::Style::rewrite);
    progress.batch(0, 0, 2.0, 10);
    now = 2;
    progress.batch(0, 1, 1.5, 10);
    now = 4;
    progress.batch(0, 2, 1.25, 10);
    progress.epoch_summary(0, "validation loss 1.3");
    now = 6;
    progress.batch(1, 0, 1.0, 10);
    progress.end_line();  // e.g. before a warning: the line stays, ended
    progress.end_line();  // nothing more to end
    now = 8;
    progress.batch(1, 1, 0.5, 10);
  }  // left open (an interrupted run): the destructor ends it
  const std::string text = out.str();
  CHECK(text.rfind("\repoch 1/2  batch 1/3  loss 2  ", 0) == 0);
  CHECK(text.find("\n") > text.find("batch 3/3"));  // no newline between batch lines
  CHECK(text.find("\x1b[K\repoch 1/2  batch 2/3") != std::string::npos);
  CHECK(text.find("\r\x1b[Kepoch 1/2 done: validation loss 1.3\n") != std::string::npos);
  CHECK(text.find("batch 1/3  loss 1  ") != std::string::npos);
  CHECK(text.find("\x1b[K\n\repoch 2/2  batch 2/3") != std::string::npos);  // one newline from end_line
  CHECK(text.size() >= 4);
  CHECK(text.substr(text.size() - 4) == "\x1b[K\n");  // ended by the destructor
}

TEST_CASE("this_machine: names the CPU, the compiled vector extension and the threads") {
  const auto machine = canon::report::this_machine();
  CHECK(machine.logical_cores >= 1);
  CHECK(machine.threads >= 1);
  CHECK(!machine.instructions.empty());
  std::ifstream info("/proc/cpuinfo");
  std::string text((std::istreambuf_iterator<char>(info)), std::istreambuf_iterator<char>());
  if (text.find("model name") != std::string::npos) {
    CHECK(machine.cpu != "unknown");
    CHECK(text.find(machine.cpu) != std::string::npos);
  }
}
