// canon/core/serialization.hpp — save and load a model's parameters and buffers.
//
// Format "canon tensors", version 1, little-endian:
//   8 bytes   magic "CANONTNS"
//   u32       format version (1)
//   u32       bytes per scalar (4 = float32, 8 = float64)
//   u64       number of tensors
//   per tensor, in the model's visit order:
//     u8      kind (0 = parameter, 1 = buffer)
//     u32     name length, then the name's bytes
//     u64     rows, u64 columns, then rows x columns scalars, column-major
//   u64       FNV-1a hash of every byte above
// load() reads the whole file, verifies the hash, then requires that the file holds
// exactly the model's tensors (same names, kinds and shapes) before it changes the
// model at all. A float file loads into a double model and back (values converted).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/detail/atomic_file.hpp"
#include "canon/core/parameter.hpp"

namespace canon {

namespace detail {

inline constexpr char tensor_file_magic[8] = {'C', 'A', 'N', 'O', 'N', 'T', 'N', 'S'};
inline constexpr std::uint32_t tensor_file_version = 1;

inline std::uint64_t fnv1a(const char* data, std::size_t size,
                           std::uint64_t hash = 1469598103934665603ull) {
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  return hash;
}

inline bool host_is_little_endian() {
  const std::uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

/// Appends plain values to a byte string.
class ByteWriter {
 public:
  template <class T>
  void put(const T& value) {
    const char* bytes = reinterpret_cast<const char*>(&value);
    data_.insert(data_.end(), bytes, bytes + sizeof(T));
  }
  void put_bytes(const char* bytes, std::size_t size) {
    data_.insert(data_.end(), bytes, bytes + size);
  }
  const std::vector<char>& data() const { return data_; }

 private:
  std::vector<char> data_;
};

/// Reads plain values from a byte string, naming the file and offset on truncation.
class ByteReader {
 public:
  ByteReader(const std::vector<char>& data, std::string path) : data_(data), path_(std::move(path)) {}
  template <class T>
  T get(const char* what) {
    T value;
    get_bytes(reinterpret_cast<char*>(&value), sizeof(T), what);
    return value;
  }
  void get_bytes(char* out, std::size_t size, const char* what) {
    if (size > data_.size() - offset_)
      throw io_error(message("'", path_, "' is truncated: reading ", what, " at byte ", offset_,
                             " needs ", size, " bytes, ", data_.size() - offset_, " remain"));
    std::memcpy(out, data_.data() + offset_, size);
    offset_ += size;
  }
  std::size_t offset() const { return offset_; }
  const std::string& path() const { return path_; }

 private:
  const std::vector<char>& data_;
  std::string path_;
  std::size_t offset_ = 0;
};

struct StoredTensor {
  std::uint8_t kind;
  Matrix<double> value;
};

}  // namespace detail

/// Writes every parameter and buffer of `model` to `path` (atomically).
template <class Model>
void save(Model& model, const std::string& path) {
  if (!detail::host_is_little_endian()) throw io_error("canon::save: big-endian hosts are not supported");
  using Scalar = typename Model::scalar_type;
  std::vector<std::pair<std::uint8_t, const Matrix<Scalar>*>> tensors;
  std::vector<const std::string*> names;
  model.visit_parameters([&](Parameter<Scalar>& p) {
    tensors.emplace_back(0, &p.value);
    names.push_back(&p.name);
  });
  model.visit_buffers([&](Buffer<Scalar>& b) {
    tensors.emplace_back(1, &b.value);
    names.push_back(&b.name);
  });
  detail::ByteWriter w;
  w.put_bytes(detail::tensor_file_magic, sizeof detail::tensor_file_magic);
  w.put(detail::tensor_file_version);
  w.put(static_cast<std::uint32_t>(sizeof(Scalar)));
  w.put(static_cast<std::uint64_t>(tensors.size()));
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const auto& [kind, value] = tensors[i];
    w.put(kind);
    w.put(static_cast<std::uint32_t>(names[i]->size()));
    w.put_bytes(names[i]->data(), names[i]->size());
    w.put(static_cast<std::uint64_t>(value->rows()));
    w.put(static_cast<std::uint64_t>(value->cols()));
    w.put_bytes(reinterpret_cast<const char*>(value->data()),
                static_cast<std::size_t>(value->size()) * sizeof(Scalar));
  }
  const std::uint64_t hash = detail::fnv1a(w.data().data(), w.data().size());
  detail::write_file_atomically(path, [&](std::ostream& out) {
    out.write(w.data().data(), static_cast<std::streamsize>(w.data().size()));
    out.write(reinterpret_cast<const char*>(&hash), sizeof hash);
  });
}

/// Reads a file written by save() into `model`, which must have exactly the same
/// tensors (names, kinds, shapes). The model is unchanged if anything is wrong.
template <class Model>
void load(Model& model, const std::string& path) {
  using Scalar = typename Model::scalar_type;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(detail::message("canon::load: cannot open '", path, "'"));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < sizeof detail::tensor_file_magic + 8 + 8 + 8)
    throw io_error(detail::message("canon::load: '", path, "' has ", bytes.size(),
                                   " bytes, too few for a canon tensor file"));
  if (std::memcmp(bytes.data(), detail::tensor_file_magic, sizeof detail::tensor_file_magic) != 0)
    throw io_error(detail::message("canon::load: '", path,
                                   "' is not a canon tensor file (its first 8 bytes are not "
                                   "\"CANONTNS\")"));
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t stored_hash;
  std::memcpy(&stored_hash, bytes.data() + body, sizeof stored_hash);
  if (detail::fnv1a(bytes.data(), body) != stored_hash)
    throw io_error(detail::message("canon::load: '", path,
                                   "' is corrupt or truncated (checksum mismatch)"));

  const std::vector<char> content(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(body));
  detail::ByteReader r(content, path);
  char magic[8];
  r.get_bytes(magic, sizeof magic, "the magic number");
  const auto version = r.get<std::uint32_t>("the format version");
  if (version != detail::tensor_file_version)
    throw io_error(detail::message("canon::load: '", path, "' has format version ", version,
                                   "; this canon reads version ", detail::tensor_file_version));
  const auto scalar_bytes = r.get<std::uint32_t>("the scalar size");
  if (scalar_bytes != 4 && scalar_bytes != 8)
    throw io_error(detail::message("canon::load: '", path, "' stores ", scalar_bytes,
                                   "-byte scalars; expected 4 or 8"));
  const auto count = r.get<std::uint64_t>("the tensor count");
  std::map<std::string, detail::StoredTensor> stored;
  for (std::uint64_t t = 0; t < count; ++t) {
    const auto kind = r.get<std::uint8_t>("a tensor kind");
    if (kind > 1)
      throw io_error(detail::message("canon::load: '", path, "' tensor ", t, " has kind ",
                                     int(kind), "; expected 0 (parameter) or 1 (buffer)"));
    const auto name_length = r.get<std::uint32_t>("a name length");
    std::string name(name_length, '\0');
    r.get_bytes(name.data(), name_length, "a tensor name");
    const auto rows = r.get<std::uint64_t>("a row count");
    const auto cols = r.get<std::uint64_t>("a column count");
    if (rows != 0 && cols > (content.size() - r.offset()) / rows / scalar_bytes)
      throw io_error(detail::message("canon::load: '", path, "' tensor '", name, "' claims ",
                                     rows, "x", cols, " values; the file is too short"));
    Matrix<double> value(static_cast<Index>(rows), static_cast<Index>(cols));
    if (scalar_bytes == 4) {
      Matrix<float> raw(value.rows(), value.cols());
      r.get_bytes(reinterpret_cast<char*>(raw.data()), raw.size() * 4, "tensor values");
      value = raw.cast<double>();
    } else {
      r.get_bytes(reinterpret_cast<char*>(value.data()), value.size() * 8, "tensor values");
    }
    if (!stored.emplace(name, detail::StoredTensor{kind, std::move(value)}).second)
      throw io_error(detail::message("canon::load: '", path, "' holds tensor '", name, "' twice"));
  }
  if (r.offset() != content.size())
    throw io_error(detail::message("canon::load: '", path, "' has ", content.size() - r.offset(),
                                   " unexpected bytes after its last tensor"));

  // Validate everything before touching the model.
  std::map<std::string, bool> used;
  std::vector<std::pair<Matrix<Scalar>*, std::string>> targets;
  model.visit_parameters([&](Parameter<Scalar>& p) { targets.emplace_back(&p.value, p.name); });
  std::size_t parameter_count = targets.size();
  model.visit_buffers([&](Buffer<Scalar>& b) { targets.emplace_back(&b.value, b.name); });
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string& name = targets[i].second;
    const std::uint8_t kind = i < parameter_count ? 0 : 1;
    const auto found = stored.find(name);
    if (found == stored.end())
      throw io_error(detail::message("canon::load: '", path, "' has no tensor '", name,
                                     "' that the model needs"));
    if (found->second.kind != kind)
      throw io_error(detail::message("canon::load: '", path, "' stores '", name, "' as a ",
                                     found->second.kind == 0 ? "parameter" : "buffer",
                                     "; the model has it as a ", kind == 0 ? "parameter" : "buffer"));
    const auto& v = found->second.value;
    Matrix<Scalar>& target = *targets[i].first;
    if (v.rows() != target.rows() || v.cols() != target.cols())
      throw shape_error(detail::message("canon::load: '", path, "' stores '", name, "' as ",
                                        detail::shape_of(v), "; the model expects ",
                                        detail::shape_of(target)));
    used[name] = true;
  }
  for (const auto& [name, tensor] : stored)
    if (!used.count(name))
      throw io_error(detail::message("canon::load: '", path, "' holds tensor '", name,
                                     "' that the model does not have"));
  for (auto& [target, name] : targets) *target = stored.at(name).value.template cast<Scalar>();
}

}  // namespace canon
