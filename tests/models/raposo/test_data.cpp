// Raposo 2017 chunk preparation: resampling, scaling and alignment of recordings, and
// the recordings it refuses.
#include <canon/models/raposo/data.hpp>
#include <cmath>
#include <limits>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;

TEST_CASE("prepare_chunks resamples scales and aligns recordings", "[models]") {
  canon::raposo::Recording<double> rec;
  const Index seconds = 4;
  rec.audio_rate = 44100;
  rec.eeg_rate = 500;
  rec.audio.resize(44100 * seconds);
  for (Index i = 0; i < rec.audio.size(); ++i) rec.audio(i) = 0.25 * std::sin(2 * M_PI * 440 * double(i) / 44100);
  rec.eeg = canon_test::random_matrix(4, 500 * seconds, 3);
  rec.song = 7;
  rec.subject = 2;
  canon::raposo::ChunkingOptions o;
  o.clean_eeg = false;
  const auto chunks = canon::raposo::prepare_chunks(std::vector{rec, rec}, o);
  CHECK(chunks.size() == 4);  // floor(4 / 1.5) = 2 per recording
  CHECK(chunks.audio.rows() == 33075);
  CHECK(chunks.eeg.rows() == 4 * 375);
  CHECK(chunks.eeg_channels == 4);
  CHECK(chunks.song == std::vector<int>{7, 7, 7, 7});
  CHECK(chunks.recording == std::vector<int>{0, 0, 1, 1});
  // Audio peak after resampling and scaling is 1 (the recording's peak sits in a chunk).
  CHECK(chunks.audio.cwiseAbs().maxCoeff() <= 1.0);
  CHECK(chunks.audio.cwiseAbs().maxCoeff() > 0.999);
  // The EEG column is the chunk's column-major storage: (channel c, time t) at c + 4 t.
  const Matrix<double> eeg250 = canon::signal::resample_poly(rec.eeg, 1, 2);
  for (Index t : {Index(0), Index(100), Index(374)})
    for (Index c = 0; c < 4; ++c) {
      CHECK(chunks.eeg(c + 4 * t, 0) == eeg250(c, t));
      CHECK(chunks.eeg(c + 4 * t, 1) == eeg250(c, 375 + t));
    }
}

TEST_CASE("prepare_chunks rejects bad recordings", "[models]") {
  canon::raposo::Recording<double> rec;
  rec.audio_rate = 22050;
  rec.eeg_rate = 250;
  rec.audio = canon::RowVector<double>::Ones(22050 * 2);
  rec.eeg = canon_test::random_matrix(2, 500, 1);
  canon::raposo::ChunkingOptions o;
  o.clean_eeg = false;
  CHECK(canon::raposo::prepare_chunks(std::vector{rec}, o).size() == 1);
  auto silent = rec;
  silent.audio.setZero();
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{silent}, o), Catch::Contains("silent"));
  auto odd_rate = rec;
  odd_rate.eeg_rate = 250.5;
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{odd_rate}, o), Catch::Contains("whole number of Hz"));
  auto nan = rec;
  nan.eeg(1, 3) = std::nan("");
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector{nan}, o), canon::value_error);
  auto channels = rec;
  channels.eeg = canon_test::random_matrix(3, 500, 1);
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector{rec, channels}, o), canon::shape_error);
  auto short_eeg = rec;
  short_eeg.eeg = canon_test::random_matrix(2, 250, 1);  // 1 s of EEG against 2 s of audio
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{short_eeg}, o), Catch::Contains("tolerance"));
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector<canon::raposo::Recording<double>>{}, o),
                  canon::value_error);
}

TEST_CASE("audio_chunks and eeg_chunks cut one stream as prepare_chunks cuts the pair", "[models]") {
  canon::raposo::Recording<double> rec;
  rec.audio_rate = 44100;
  rec.eeg_rate = 500;
  rec.audio = canon_test::random_matrix(1, 44100 * 5, 4).row(0);
  rec.eeg = canon_test::random_matrix(3, 500 * 5, 5);
  for (const bool clean : {false, true})
    for (const double hop : {0.0, 0.5}) {
      canon::raposo::ChunkingOptions o;
      o.clean_eeg = clean;
      o.chunks.hop_seconds = hop;
      const auto paired = canon::raposo::prepare_chunks(std::vector{rec}, o);
      const Matrix<double> audio = canon::raposo::audio_chunks(rec.audio, rec.audio_rate, o);
      const Matrix<double> eeg = canon::raposo::eeg_chunks(rec.eeg, rec.eeg_rate, o);
      INFO("clean " << clean << ", hop " << hop);
      CHECK(paired.size() == (hop == 0 ? 3 : 8));  // floor(5 / 1.5); (5 - 1.5) / 0.5 + 1
      CHECK(audio == paired.audio);                 // bit for bit: the same steps in the same order
      CHECK(eeg == paired.eeg);
    }
  canon::raposo::ChunkingOptions o;
  CHECK_THROWS_WITH(canon::raposo::audio_chunks(canon::RowVector<double>::Zero(44100), 44100.0, o),
                    Catch::Contains("silent"));
  CHECK_THROWS_WITH(canon::raposo::audio_chunks(canon::RowVector<double>::Ones(22050), 22050.0, o),
                    Catch::Contains("lasts 1 s") && Catch::Contains("1.5 s"));
  Matrix<double> bad = rec.eeg;
  bad(0, 7) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(canon::raposo::eeg_chunks(bad, 500.0, o), canon::value_error);
}
