// Writes the seed inputs of the EDF, audio and dataset fuzz targets (never committed):
//   make_seeds <edf|audio|datasets> <folder>
// EDF+/BDF+ through EDFlib, audio through libsndfile (each format it can encode), the
// dataset inputs as the fuzz_datasets layout (loader byte, three option doubles, files).
#include <edflib.h>
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

void edf(const std::string& path, int type, int signals) {
  const int h = edfopen_file_writeonly(path.c_str(), type, signals);
  if (h < 0) return;
  for (int c = 0; c < signals; ++c) {
    edf_set_samplefrequency(h, c, c == signals - 1 ? 4 : 8);
    edf_set_physical_maximum(h, c, 100.0);
    edf_set_physical_minimum(h, c, -100.0);
    edf_set_digital_maximum(h, c, type == EDFLIB_FILETYPE_BDFPLUS ? 8388607 : 32767);
    edf_set_digital_minimum(h, c, type == EDFLIB_FILETYPE_BDFPLUS ? -8388608 : -32768);
    edf_set_label(h, c, c == 1 ? "Cz" : (c == 0 ? "Fz" : "AUX1"));
    edf_set_physical_dimension(h, c, "uV");
  }
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < signals; ++c) {
      std::vector<double> x(c == signals - 1 ? 4 : 8);
      for (std::size_t t = 0; t < x.size(); ++t) x[t] = 50.0 * std::sin(0.3 * static_cast<double>(t + r));
      edfwrite_physical_samples(h, x.data());
    }
  edfwrite_annotation_latin1(h, 5000, -1, "onset");
  edfclose_file(h);
}

void audio(const std::string& path, int format, int channels, int frames) {
  SF_INFO info{};
  info.channels = channels;
  info.samplerate = 8000;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return;
  std::vector<float> x(static_cast<std::size_t>(channels * frames));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5f * std::sin(0.05f * static_cast<float>(i));
  sf_writef_float(f, x.data(), frames);
  sf_close(f);
}

void dataset(const std::string& path, unsigned char loader, double a, double b, const std::string& files) {
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(loader));
  const double options[3] = {a, b, 0};
  out.write(reinterpret_cast<const char*>(options), sizeof options);
  out << files;
}

std::string npy(const std::string& shape, const std::vector<double>& values) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string kind = argv[1], dir = argv[2];
  if (kind == "edf") {
    edf(dir + "/seed_edfplus", EDFLIB_FILETYPE_EDFPLUS, 3);
    edf(dir + "/seed_bdfplus", EDFLIB_FILETYPE_BDFPLUS, 2);
  } else if (kind == "audio") {
    audio(dir + "/seed.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 64);
    audio(dir + "/seed_float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 64);
    audio(dir + "/seed.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 256);
    audio(dir + "/seed.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 2000);
    audio(dir + "/seed.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 1, 2000);
  } else if (kind == "datasets") {
    const std::string wide = "song_id,sample_15000ms,sample_15500ms,sample_16000ms\n";
    dataset(dir + "/seed_deam", 0, 15.0, 15.5,
            wide + "7,0.1,0.2,0.3\n9,0.5,0.6,\n--\n" + wide + "9,-0.5,-0.6,-0.7\n7,-0.1,-0.2,-0.3\n--\n"
                   "song_id,mean_arousal,mean_valence\n7,3,4\n9,5,6\n--\nsong_id,Mediaeval 2013 set\n7,development\n9,evaluation\n");
    dataset(dir + "/seed_pmemo", 1, 0.5, 1.0,
            "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.0,0.1,0.2\n1,15.5,0.2,0.3\n4,15.0,0.5,0.5\n--\n"
            "musicId,Arousal(mean),Valence(mean)\n1,0.3,0.4\n4,0.5,0.6\n");
    std::vector<double> eeg(2 * 3 * 6);
    for (std::size_t i = 0; i < eeg.size(); ++i) eeg[i] = static_cast<double>(i);
    // Loader byte 8: 8 % 3 == 2 is DEAP, 8 >> 2 == 2 EEG channels; rate 2 Hz, baseline 1 s.
    dataset(dir + "/seed_deap", 8, 2.0, 1.0,
            npy("(2, 3, 6)", eeg) + "\n--\n" + npy("(2, 4)", {1, 2, 3, 4, 9, 8, 7, 6.5}) +
                "\n--\nParticipant_id,Trial,Experiment_id,Valence,Arousal,Dominance,Liking\n1,1,5,6.5,3,4,7\n1,2,18,6,3,4,7\n");
  } else {
    return 2;
  }
  return 0;
}
