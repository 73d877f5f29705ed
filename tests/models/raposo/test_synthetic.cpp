#include <canon/models/raposo/synthetic.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("raposo::to_recording: a synthetic session as a recording prepare_chunks takes") {
  data::SyntheticConfig config;
  config.duration_s = 3.0;
  const auto session = data::synthesize<float>(config, 5);
  const raposo::Recording<float> r = raposo::to_recording(session, 2, 7);
  CHECK(r.audio == session.audio.transpose());
  CHECK(r.audio_rate == session.audio_rate);
  CHECK(r.eeg == session.eeg);
  CHECK(r.eeg_rate == session.eeg_rate);
  CHECK(r.song == 2);
  CHECK(r.subject == 7);
  CHECK(raposo::prepare_chunks(std::vector{r}).size() == 2);  // 3 s: two 1.5 s chunks
}

TEST_CASE("raposo::to_recording: rejects an empty session or a rate that is not positive") {
  CHECK_THROWS_AS(raposo::to_recording(data::SyntheticSession<double>{}, 0, 0), value_error);
  data::SyntheticConfig config;
  config.duration_s = 2.0;
  auto session = data::synthesize<double>(config, 1);
  session.eeg_rate = 0.0;
  CHECK_THROWS_WITH(raposo::to_recording(session, 0, 0), Catch::Contains("EEG rate"));
}
