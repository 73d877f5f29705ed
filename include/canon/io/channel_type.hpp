// canon/io/channel_type.hpp — what a channel of a recording measures, inferred from its
// label and unit as MNE-Python does for EDF/BDF (mne.io.read_raw_edf), so that an EEG
// pipeline can read the EEG channels only and not clean a trigger channel as if it
// were a brain signal.
//
// The rules, first match wins:
//   1. a label "TYPE NAME" whose first word is a type (case-insensitive): "EEG Fz" is
//      eeg, "EOG left" eog, "ECG"/"EKG" ecg, "EMG chin" emg, "RESP" resp, "MISC x" misc
//      (EDF+'s own convention, which MNE follows);
//   2. BioSemi's "Status", and labels "Trigger", "STI..." or "Digi": stim (MNE's
//      stim_channel='auto' finds "status" and "trigger");
//   3. a unit that is not a voltage (uV, µV, mV, V, nV; the unit of a stim channel is
//      often "Boolean"), or BioSemi's auxiliary inputs "AUX..."/"BIP...": misc (its
//      external electrodes EXG1-8 stay eeg, as in MNE: they are often the mastoids);
//   4. otherwise eeg, as MNE reads every other EDF channel.
#pragma once

#include <cctype>
#include <string>

namespace canon::io {

enum class ChannelType { eeg, eog, ecg, emg, resp, stim, misc };

inline const char* channel_type_name(ChannelType type) {
  switch (type) {
    case ChannelType::eeg: return "eeg";
    case ChannelType::eog: return "eog";
    case ChannelType::ecg: return "ecg";
    case ChannelType::emg: return "emg";
    case ChannelType::resp: return "resp";
    case ChannelType::stim: return "stim";
    case ChannelType::misc: return "misc";
  }
  return "?";
}

/// Whether a physical dimension names a voltage ("uV", "µV" in UTF-8 or Latin-1, "mV", "V", "nV").
inline bool is_voltage_unit(const std::string& unit) {
  return unit == "uV" || unit == "\xC2\xB5V" || unit == "\xB5V" || unit == "mV" || unit == "V" || unit == "nV";
}

namespace detail {

inline std::string upper_case(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

inline bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace detail

/// The type of a channel from its label and unit (see the file comment).
inline ChannelType infer_channel_type(const std::string& label, const std::string& unit) {
  const std::string upper = detail::upper_case(label);
  const std::string first_word = upper.substr(0, upper.find(' '));
  if (first_word == "EEG" && upper.size() > 4) return ChannelType::eeg;
  if (first_word == "EOG") return ChannelType::eog;
  if (first_word == "ECG" || first_word == "EKG") return ChannelType::ecg;
  if (first_word == "EMG") return ChannelType::emg;
  if (first_word == "RESP") return ChannelType::resp;
  if (first_word == "MISC") return ChannelType::misc;
  if (upper == "STATUS" || upper == "TRIGGER" || upper == "DIGI" || detail::starts_with(upper, "STI"))
    return ChannelType::stim;
  if (!is_voltage_unit(unit) || detail::starts_with(upper, "AUX") || detail::starts_with(upper, "BIP"))
    return ChannelType::misc;
  return ChannelType::eeg;
}

}  // namespace canon::io
