// canon/report/svg_plot.hpp — line and bar charts as standalone SVG files, for the
// plots people would rather look at than read (correlations per component, retrieval
// curves, loss over epochs). No dependency: any browser opens the file.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "canon/core/atomic_file.hpp"
#include "canon/core/error.hpp"

namespace canon::report {

struct Series {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
};

/// A horizontal reference line (a ceiling, a chance level).
struct Reference {
  std::string label;
  double y;
};

struct Chart {
  enum class Kind { lines, bars, points };  // points: a scatter plot (t-SNE maps)
  Kind kind = Kind::lines;
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
  std::vector<Reference> references;
  /// Per series, the spread of point i: a whisker of +- error_bars[k][i] on bar i, or
  /// a shaded band y +- error_bars[k][i] around a line (empty: none; points: unused).
  std::vector<std::vector<double>> error_bars;
  /// Lines and points: a base-10 logarithmic x axis (every x must be positive), for
  /// curves such as recall@k whose first values matter most.
  bool log_x = false;
  /// The legend's width follows its longest label; the plot area keeps at least 200 px.
  double width = 720, height = 440;
};

namespace detail {

inline std::string escape_xml(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
inline const char* colour(std::size_t i) {
  static const char* palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                  "#E69F00", "#56B4E9", "#000000"};
  return palette[i % 7];
}

/// Tick positions at a "nice" step (1, 2 or 5 times a power of ten) covering
/// [lo, hi], about `count` of them; widens [lo, hi] to the outer ticks.
inline std::vector<double> nice_ticks(double& lo, double& hi, int count = 5) {
  const double raw = (hi - lo) / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  lo = std::floor(lo / step + 1e-9) * step;
  hi = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> ticks;
  for (double t = lo; t <= hi + step * 1e-9; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

/// Ticks 1, 2, 5 times the powers of ten within [lo, hi] (both > 0), for a log axis.
inline std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  for (double power = std::pow(10.0, std::floor(std::log10(lo))); power <= hi * (1 + 1e-9); power *= 10)
    for (const double m : {1.0, 2.0, 5.0})
      if (m * power >= lo * (1 - 1e-9) && m * power <= hi * (1 + 1e-9)) ticks.push_back(m * power);
  return ticks;
}

/// Legend width in pixels: a 12 px sans-serif glyph averages about 7 px.
inline double legend_width(const Chart& chart) {
  std::size_t longest = 0;
  for (const auto& s : chart.series) longest = std::max(longest, s.label.size());
  return 40.0 + 7.0 * double(longest);
}

}  // namespace detail

/// The chart as SVG text. Throws value_error for empty or mismatched series and for
/// non-finite values (a plot must not hide a NaN).
inline std::string render_svg(const Chart& chart) {
  if (chart.series.empty()) throw value_error("render_svg: the chart has no series");
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_min = x_min, y_max = -x_min;
  for (const auto& s : chart.series) {
    if (s.x.size() != s.y.size() || s.x.empty())
      throw value_error(canon::detail::message("render_svg: series '", s.label, "' has ", s.x.size(),
                                               " x values and ", s.y.size(), " y values"));
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]))
        throw value_error(canon::detail::message("render_svg: series '", s.label,
                                                 "' has a non-finite value at point ", i));
      x_min = std::min(x_min, s.x[i]);
      x_max = std::max(x_max, s.x[i]);
      y_min = std::min(y_min, s.y[i]);
      y_max = std::max(y_max, s.y[i]);
    }
  }
  if (chart.log_x) {
    if (chart.kind == Chart::Kind::bars) throw value_error("render_svg: a bar chart has no log x axis");
    if (!(x_min > 0))
      throw value_error(canon::detail::message("render_svg: a log x axis needs positive x, got ", x_min));
  }
  if (chart.kind != Chart::Kind::points && !chart.error_bars.empty()) {
    if (chart.error_bars.size() != chart.series.size())
      throw value_error(canon::detail::message("render_svg: ", chart.error_bars.size(), " error bar lists for ",
                                               chart.series.size(), " series"));
    for (std::size_t k = 0; k < chart.series.size(); ++k) {
      const auto& e = chart.error_bars[k];
      const auto& s = chart.series[k];
      if (!e.empty() && e.size() != s.y.size())
        throw value_error(canon::detail::message("render_svg: series '", s.label, "' has ", s.y.size(),
                                                 " points and ", e.size(), " error bars"));
      for (std::size_t i = 0; i < e.size(); ++i) {
        if (chart.kind == Chart::Kind::lines && !(std::isfinite(e[i]) && e[i] >= 0))
          throw value_error(canon::detail::message("render_svg: series '", s.label, "' has a band of ", e[i],
                                                   " at point ", i, "; expected a finite spread >= 0"));
        if (std::isfinite(e[i])) y_min = std::min(y_min, s.y[i] - e[i]), y_max = std::max(y_max, s.y[i] + e[i]);
      }
    }
  }
  for (const auto& r : chart.references) {
    y_min = std::min(y_min, r.y);
    y_max = std::max(y_max, r.y);
  }
  if (chart.kind == Chart::Kind::bars) {
    y_min = std::min(y_min, 0.0);
    x_min -= 0.5;
    x_max += 0.5;
  }
  if (x_max == x_min) x_max = chart.log_x ? x_min * 10 : x_min + 1;
  if (y_max == y_min) y_max = y_min + 1;
  const std::vector<double> y_ticks = detail::nice_ticks(y_min, y_max);
  std::vector<double> x_ticks;
  if (chart.kind == Chart::Kind::bars) {
    x_ticks = chart.series.front().x;  // one tick per category
  } else if (chart.log_x) {
    x_ticks = detail::log_ticks(x_min, x_max);
  } else {
    x_ticks = detail::nice_ticks(x_min, x_max);
  }

  const double left = 70, right = std::max(170.0, detail::legend_width(chart)), top = 40, bottom = 55;
  const double plot_w = std::max(chart.width - left - right, 200.0), plot_h = chart.height - top - bottom;
  const double width = left + plot_w + right;
  auto fx = [&](double x) { return chart.log_x ? std::log10(x) : x; };
  auto px = [&](double x) { return left + (fx(x) - fx(x_min)) / (fx(x_max) - fx(x_min)) * plot_w; };
  auto py = [&](double y) { return top + (1 - (y - y_min) / (y_max - y_min)) * plot_h; };
  using detail::escape_xml;
  using detail::number;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
      << chart.height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
      << escape_xml(chart.title) << "</text>\n";
  // Axes with five ticks each.
  svg << "<g stroke=\"#444\">"
      << "<line x1=\"" << left << "\" y1=\"" << top + plot_h << "\" x2=\"" << left + plot_w
      << "\" y2=\"" << top + plot_h << "\"/>"
      << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\""
      << top + plot_h << "\"/></g>\n";
  for (const double xv : x_ticks)
    svg << "<text x=\"" << px(xv) << "\" y=\"" << top + plot_h + 16
        << "\" text-anchor=\"middle\">" << number(xv) << "</text>\n";
  for (const double yv : y_ticks)
    svg << "<text x=\"" << left - 6 << "\" y=\"" << py(yv) + 4 << "\" text-anchor=\"end\">"
        << number(yv) << "</text>"
        << "<line x1=\"" << left << "\" y1=\"" << py(yv) << "\" x2=\"" << left + plot_w
        << "\" y2=\"" << py(yv) << "\" stroke=\"#ddd\"/>\n";
  svg << "<text x=\"" << left + plot_w / 2 << "\" y=\"" << chart.height - 12
      << "\" text-anchor=\"middle\">" << escape_xml(chart.x_label) << "</text>\n"
      << "<text transform=\"translate(18," << top + plot_h / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escape_xml(chart.y_label) << "</text>\n";

  const std::size_t n_series = chart.series.size();
  for (std::size_t k = 0; k < n_series; ++k) {
    const auto& s = chart.series[k];
    const char* c = detail::colour(k);
    const bool spread = k < chart.error_bars.size() && !chart.error_bars[k].empty();
    if (chart.kind == Chart::Kind::lines) {
      if (spread) {  // the band y +- e: along the upper edge, back along the lower one
        const auto& e = chart.error_bars[k];
        svg << "<polygon fill=\"" << c << "\" fill-opacity=\"0.18\" stroke=\"none\" points=\"";
        for (std::size_t i = 0; i < s.x.size(); ++i) svg << px(s.x[i]) << ',' << py(s.y[i] + e[i]) << ' ';
        for (std::size_t i = s.x.size(); i-- > 0;) svg << px(s.x[i]) << ',' << py(s.y[i] - e[i]) << ' ';
        svg << "\"/>\n";
      }
      svg << "<polyline fill=\"none\" stroke=\"" << c << "\" stroke-width=\"2\" points=\"";
      for (std::size_t i = 0; i < s.x.size(); ++i) svg << px(s.x[i]) << ',' << py(s.y[i]) << ' ';
      svg << "\"/>\n";
    } else if (chart.kind == Chart::Kind::points) {
      for (std::size_t i = 0; i < s.x.size(); ++i)
        svg << "<circle cx=\"" << px(s.x[i]) << "\" cy=\"" << py(s.y[i]) << "\" r=\"2.5\" fill=\"" << c
            << "\" fill-opacity=\"0.75\"/>\n";
    } else {
      const double slot = plot_w / (x_max - x_min) * 0.8 / double(n_series);
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        const double x0 = px(s.x[i]) - 0.4 * plot_w / (x_max - x_min) + double(k) * slot;
        const double y0 = py(std::max(s.y[i], 0.0)), y1 = py(std::min(s.y[i], 0.0));
        svg << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << slot << "\" height=\""
            << (y1 - y0) << "\" fill=\"" << c << "\"/>\n";
        if (spread && std::isfinite(chart.error_bars[k][i])) {
          const double e = chart.error_bars[k][i], xc = x0 + slot / 2, w = slot / 4;
          svg << "<path d=\"M" << xc << ',' << py(s.y[i] - e) << " V" << py(s.y[i] + e) << " M" << xc - w << ','
              << py(s.y[i] - e) << " H" << xc + w << " M" << xc - w << ',' << py(s.y[i] + e) << " H" << xc + w
              << "\" stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"/>\n";
        }
      }
    }
    svg << "<rect x=\"" << left + plot_w + 12 << "\" y=\"" << top + 18 * double(k) << "\" width=\"12\" height=\"12\" fill=\""
        << c << "\"/><text x=\"" << left + plot_w + 30 << "\" y=\"" << top + 18 * double(k) + 10
        << "\">" << escape_xml(s.label) << "</text>\n";
  }
  for (std::size_t k = 0; k < chart.references.size(); ++k) {
    const auto& r = chart.references[k];
    svg << "<line x1=\"" << left << "\" y1=\"" << py(r.y) << "\" x2=\"" << left + plot_w
        << "\" y2=\"" << py(r.y) << "\" stroke=\"#777\" stroke-dasharray=\"6,4\"/>"
        << "<text x=\"" << left + plot_w - 4 << "\" y=\"" << py(r.y) - 5
        << "\" text-anchor=\"end\" fill=\"#555\">"
        << escape_xml(r.label) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

/// Writes the chart to `path` (atomically).
inline void write_svg(const Chart& chart, const std::string& path) {
  const std::string text = render_svg(chart);
  canon::write_file_atomically(path, [&](std::ostream& out) { out << text; });
}

}  // namespace canon::report
