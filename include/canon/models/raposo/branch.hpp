// canon/models/raposo/branch.hpp — convolutional branches from the notation of Raposo
// et al. 2017: "conv-3-3-128, conv-3-1-128, mp-3, ..." where
//
//   conv-W-S-C   BatchNorm1D, then Conv1D (width W, stride S, C output channels,
//                'same' padding, bias), then ReLU (fused into the Conv1D by default)
//   mp-X         MaxPool1D with window = stride = X
//
// The input shape (channels, length) is given; every stride and pooling window must
// divide the length it meets exactly (the paper chose its windows so they do), so a
// string that does not fit its input is rejected with the size at every layer.
#pragma once

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/nn/activations.hpp"
#include "canon/nn/batch_norm1d.hpp"
#include "canon/nn/conv1d.hpp"
#include "canon/nn/max_pool1d.hpp"
#include "canon/nn/sequential.hpp"

namespace canon::raposo {

/// A signal's shape: channels x length (one column holds channels * length values).
struct SignalShape {
  Index channels = 0;
  Index length = 0;
  Index size() const { return channels * length; }
};

/// One element of a branch string.
struct BranchLayer {
  enum class Kind { conv, pool };
  Kind kind = Kind::conv;
  Index width = 0;     // kernel width, or the pooling window
  Index stride = 0;    // conv stride, or the pooling stride (= window)
  Index channels = 0;  // conv output channels (unused for pooling)
  std::string text;    // as written, for messages
};

namespace detail {

inline std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

/// A piece of a branch string and the 1-based character at which it starts.
struct Piece {
  std::string text;
  std::size_t at;
};

/// Splits at every `separator`, keeping empty pieces (std::getline drops a trailing
/// one, which let "conv-3-3-128," and "mp-3-" through).
inline std::vector<Piece> split(const std::string& s, char separator, std::size_t offset) {
  std::vector<Piece> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == separator) {
      out.push_back({s.substr(begin, i - begin), offset + begin});
      begin = i + 1;
    }
  return out;
}

inline Index parse_size(const std::string& spec, const std::string& token, const Piece& part) {
  Index value = 0;
  if (part.text.empty() || part.text.size() > 9)
    throw value_error(canon::detail::message("branch string: '", token, "' has an ",
                                             part.text.empty() ? "empty" : "over-long", " number at character ",
                                             part.at, " of \"", spec, "\"; expected a positive integer of at most 9 digits"));
  for (char ch : part.text) {
    if (!std::isdigit(static_cast<unsigned char>(ch)))
      throw value_error(canon::detail::message("branch string: '", token, "' has '", part.text,
                                               "' at character ", part.at, " of \"", spec,
                                               "\" where a positive integer was expected"));
    value = value * 10 + (ch - '0');
  }
  if (value == 0)
    throw value_error(canon::detail::message("branch string: '", token, "' has a zero size at character ",
                                             part.at, "; sizes must be positive"));
  return value;
}

}  // namespace detail

/// Parses "conv-W-S-C, mp-X, ..." (commas between layers, spaces around a layer
/// ignored). An empty layer (a leading, doubled or trailing comma) or an empty number
/// (a trailing or doubled dash) is an error that gives its character position.
inline std::vector<BranchLayer> parse_branch(const std::string& spec) {
  std::vector<BranchLayer> layers;
  for (const detail::Piece& item : detail::split(spec, ',', 1)) {
    std::size_t lead = 0;
    while (lead < item.text.size() && std::isspace(static_cast<unsigned char>(item.text[lead]))) ++lead;
    const std::string token = detail::trim(item.text);
    if (token.empty())
      throw value_error(canon::detail::message(
          "branch string: empty layer at character ", item.at, " of \"", spec,
          "\" (a leading, doubled or trailing comma?); expected conv-<width>-<stride>-<channels> or mp-<window>"));
    const std::vector<detail::Piece> parts = detail::split(token, '-', item.at + lead);
    BranchLayer layer;
    layer.text = token;
    if (parts[0].text == "conv" && parts.size() == 4) {
      layer.kind = BranchLayer::Kind::conv;
      layer.width = detail::parse_size(spec, token, parts[1]);
      layer.stride = detail::parse_size(spec, token, parts[2]);
      layer.channels = detail::parse_size(spec, token, parts[3]);
    } else if (parts[0].text == "mp" && parts.size() == 2) {
      layer.kind = BranchLayer::Kind::pool;
      layer.width = layer.stride = detail::parse_size(spec, token, parts[1]);
    } else {
      throw value_error(canon::detail::message(
          "branch string: cannot read '", token, "' at character ", item.at + lead, " of \"", spec,
          "\"; expected conv-<width>-<stride>-<channels> or mp-<window>, separated by commas"));
    }
    layers.push_back(layer);
  }
  return layers;
}

/// The shape after each layer (element 0 is the input). Throws value_error, listing
/// every size up to the failure, when a stride or window does not divide its input.
inline std::vector<SignalShape> branch_shapes(const std::vector<BranchLayer>& layers,
                                              SignalShape input) {
  canon::detail::require_positive(input.channels, "branch_shapes", "input channels");
  canon::detail::require_positive(input.length, "branch_shapes", "input length");
  std::vector<SignalShape> shapes{input};
  std::ostringstream trace;
  trace << "input " << input.channels << " x " << input.length;
  for (const BranchLayer& layer : layers) {
    const SignalShape in = shapes.back();
    if (in.length % layer.stride != 0 || in.length < layer.width) {
      trace << " -> " << layer.text << ": " << in.length << " is not "
            << (in.length < layer.width ? "at least the width " : "divisible by ")
            << (in.length < layer.width ? layer.width : layer.stride);
      throw value_error("branch string does not fit its input: " + trace.str());
    }
    SignalShape out{layer.kind == BranchLayer::Kind::conv ? layer.channels : in.channels,
                    in.length / layer.stride};
    trace << " -> " << layer.text << ": " << out.channels << " x " << out.length;
    shapes.push_back(out);
  }
  return shapes;
}

/// Builds the branch: BatchNorm1D before each convolution, ReLU after it. By default the
/// ReLU is fused into the Conv1D layer (Conv1D::fuse_relu: same values, one activation
/// copy fewer, 1.7 GB less at the paper's sizes); the layers are then BN, conv, [pool],
/// ... With fused_relu = false every ReLU is its own layer, at PyTorch's nn.Sequential
/// positions (BN, conv, ReLU, [pool], ...), e.g. to match a state_dict's indices.
template <class Scalar>
nn::Sequential<Scalar> make_branch(const std::string& spec, SignalShape input, Rng& rng,
                                   nn::Init init = nn::Init::he_uniform, bool fused_relu = true) {
  const std::vector<BranchLayer> layers = parse_branch(spec);
  const std::vector<SignalShape> shapes = branch_shapes(layers, input);
  nn::Sequential<Scalar> net;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const BranchLayer& l = layers[i];
    const SignalShape in = shapes[i];
    if (l.kind == BranchLayer::Kind::conv) {
      net.add(nn::BatchNorm1D<Scalar>(in.channels));
      auto& conv = net.add(nn::Conv1D<Scalar>(in.channels, in.length, l.channels, l.width, l.stride,
                                              nn::Padding::same, rng, init));
      if (fused_relu)
        conv.fuse_relu(true);
      else
        net.add(nn::ReLU<Scalar>());
    } else {
      net.add(nn::MaxPool1D<Scalar>(in.channels, in.length, l.width, l.stride));
    }
  }
  return net;
}

/// The branches of Raposo et al. 2017: audio (1 x 33075, 1.5 s at 22050 Hz) and EEG
/// (16 x 375, 1.5 s at 250 Hz), both ending at 128 x 1.
inline const char* paper_audio_branch() {
  return "conv-3-3-128, conv-3-1-128, mp-3, conv-3-1-256, mp-3, conv-5-1-256, mp-5, "
         "conv-5-1-512, mp-5, conv-7-1-512, mp-7, conv-7-1-1024, mp-7, conv-1-1-128";
}
inline const char* paper_eeg_branch() {
  return "conv-3-3-128, conv-5-1-256, mp-5, conv-5-1-512, mp-5, conv-5-1-1024, mp-5, "
         "conv-1-1-128";
}

}  // namespace canon::raposo
