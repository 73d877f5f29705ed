// canon/report/progress.hpp — progress of a long training run: epoch, batch, loss,
// throughput and the time left, printed at most once per interval so that a log
// stays readable. Two styles: `lines`, one line per report (for logs and pipes), and
// `rewrite`, for a terminal: the batch line is rewritten in place ("\r", then the line,
// then ESC[K to erase what a longer previous line left), and only the end-of-epoch
// summaries stay on screen.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>

#include "canon/core/checks.hpp"

namespace canon::report {

/// "1h02m", "4m10s", "12s".
inline std::string format_duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  const long s = long(seconds + 0.5);
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  return buffer;
}

class Progress {
 public:
  using Clock = std::function<double()>;  // seconds since any fixed point
  enum class Style { lines, rewrite };

  Progress(std::ostream& out, long epochs, long batches_per_epoch, double interval_seconds = 2.0,
           Clock clock = steady_seconds, Style style = Style::lines)
      : out_(out),
        style_(style),
        epochs_(epochs),
        batches_(batches_per_epoch),
        interval_(interval_seconds),
        clock_(std::move(clock)),
        start_(clock_()),
        last_print_(start_ - interval_seconds) {
    canon::detail::require_positive(epochs, "Progress", "epochs");
    canon::detail::require_positive(batches_per_epoch, "Progress", "batches_per_epoch");
  }
  /// A rewritten line still open (an interrupted run) is ended, so the shell's prompt
  /// or the error message starts on a line of its own.
  ~Progress() { end_line(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Ends a rewritten batch line that is still open, keeping it on screen; call before
  /// writing anything else to the same stream. Does nothing in the `lines` style.
  void end_line() {
    if (!open_) return;
    out_ << '\n' << std::flush;
    open_ = false;
  }

  /// A run resumed after `epochs_done` epochs: lines keep the run's own epoch numbers,
  /// and the time left is estimated from the epochs this process trains.
  void resume_after(long epochs_done) {
    canon::detail::require_in_range(epochs_done, 0L, epochs_ - 1, "Progress::resume_after", "epochs_done");
    first_epoch_ = epochs_done;
  }

  /// Call after each batch (epoch and batch counted from 0). Prints when the interval
  /// has passed since the last line, and always on an epoch's last batch.
  void batch(long epoch, long batch, double loss, long samples) {
    samples_ += samples;
    const double now = clock_();
    const long done = (epoch - first_epoch_) * batches_ + batch + 1,
               total = (epochs_ - first_epoch_) * batches_;
    if (now - last_print_ < interval_ && batch + 1 != batches_) return;
    last_print_ = now;
    const double elapsed = now - start_;
    const double rate = elapsed > 0 ? double(samples_) / elapsed : 0.0;
    const double left = done > 0 ? elapsed / double(done) * double(total - done) : 0.0;
    char line[200];
    std::snprintf(line, sizeof line,
                  "epoch %ld/%ld  batch %ld/%ld  loss %.5g  %.1f samples/s  elapsed %s  left ~%s",
                  epoch + 1, epochs_, batch + 1, batches_, loss, rate,
                  format_duration(elapsed).c_str(), format_duration(left).c_str());
    if (style_ == Style::rewrite) {
      out_ << '\r' << line << "\x1b[K" << std::flush;
      open_ = true;
    } else {
      out_ << line << '\n' << std::flush;
    }
  }

  /// A line at the end of an epoch, e.g. the validation metric. In the `rewrite` style it
  /// replaces the batch line.
  void epoch_summary(long epoch, const std::string& text) {
    if (open_) out_ << "\r\x1b[K";
    open_ = false;
    out_ << "epoch " << epoch + 1 << "/" << epochs_ << " done: " << text << '\n' << std::flush;
  }

  static double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

 private:
  std::ostream& out_;
  Style style_;
  bool open_ = false;  // a rewritten line without its newline yet
  long epochs_, batches_;
  double interval_;
  Clock clock_;
  double start_, last_print_;
  long samples_ = 0;
  long first_epoch_ = 0;
};

}  // namespace canon::report
