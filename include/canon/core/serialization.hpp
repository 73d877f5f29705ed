// canon/core/serialization.hpp — save and load a model's parameters and buffers.
//
// Format "canon tensors", version 1 or 2, little-endian:
//   8 bytes   magic "CANONTNS"
//   u32       format version (1; 2 when the file holds text records)
//   u32       bytes per scalar (4 = float32, 8 = float64)
//   u64       number of records
//   per tensor, in the model's visit order:
//     u8      kind (0 = parameter, 1 = buffer, 2 = optimizer/training state)
//     u32     name length, then the name's bytes
//     u64     rows, u64 columns, then rows x columns scalars, column-major
//   then, version 2 only, per text record (metadata: the architecture and options a
//   program needs to rebuild the model, canon's version, the data it was trained on):
//     u8      kind 3
//     u32     name length, then the name's bytes
//     u64     text length, then the text's bytes (UTF-8, typically JSON)
//   u64       FNV-1a hash of every byte above
// A file without metadata is written as version 1, byte for byte what earlier canon
// wrote; load() ignores text records, read_metadata() returns them.
// load() reads the whole file, verifies the hash, then requires that the file holds
// exactly the model's tensors (same names, kinds and shapes) before it changes the
// model at all. A float file loads into a double model and back (values converted).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/atomic_file.hpp"
#include "canon/core/parameter.hpp"

namespace canon {

/// Text records of a model file, by name (for example "architecture" -> JSON).
using Metadata = std::map<std::string, std::string>;

namespace detail {

inline constexpr char tensor_file_magic[8] = {'C', 'A', 'N', 'O', 'N', 'T', 'N', 'S'};
inline constexpr std::uint32_t tensor_file_version = 1;       // tensors only
inline constexpr std::uint32_t tensor_file_text_version = 2;  // tensors, then text records
inline constexpr std::uint8_t text_record_kind = 3;

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
    // An empty tensor's storage is null, and memcpy from or to null is undefined even
    // for zero bytes.
    if (size != 0) std::memcpy(out, data_.data() + offset_, size);
    offset_ += size;
  }
  std::size_t offset() const { return offset_; }
  const std::string& path() const { return path_; }

 private:
  const std::vector<char>& data_;
  std::string path_;
  std::size_t offset_ = 0;
};

enum class TensorKind : std::uint8_t { parameter = 0, buffer = 1, state = 2 };

inline const char* kind_name(std::uint8_t kind) {
  return kind == 0 ? "parameter" : kind == 1 ? "buffer" : "state tensor";
}

/// One tensor to write: its kind, name and values.
template <class Scalar>
struct TensorRecord {
  TensorKind kind;
  const std::string* name;
  Matrix<Scalar>* value;  // read when saving, assigned when loading
};

/// One tensor read back, converted to double (exact for float files).
struct StoredTensor {
  std::uint8_t kind;
  Matrix<double> value;
};

/// The records of a model's parameters and persistent buffers, in visit order: what a
/// model file holds.
template <class Model>
std::vector<TensorRecord<typename Model::scalar_type>> model_records(Model& model) {
  using Scalar = typename Model::scalar_type;
  std::vector<TensorRecord<Scalar>> records;
  model.visit_parameters(
      [&](Parameter<Scalar>& p) { records.push_back({TensorKind::parameter, &p.name, &p.value}); });
  model.visit_buffers([&](Buffer<Scalar>& b) {
    if (b.persistent) records.push_back({TensorKind::buffer, &b.name, &b.value});
  });
  return records;
}

/// Writes records (and text records, if any) in the canon tensor format (atomically).
template <class Scalar>
void write_tensor_file(const std::string& path, const std::vector<TensorRecord<Scalar>>& records,
                       const Metadata& text = {}) {
  if (!host_is_little_endian()) throw io_error("canon: big-endian hosts are not supported");
  ByteWriter w;
  w.put_bytes(tensor_file_magic, sizeof tensor_file_magic);
  w.put(text.empty() ? tensor_file_version : tensor_file_text_version);
  w.put(static_cast<std::uint32_t>(sizeof(Scalar)));
  w.put(static_cast<std::uint64_t>(records.size() + text.size()));
  for (const auto& record : records) {
    w.put(static_cast<std::uint8_t>(record.kind));
    w.put(static_cast<std::uint32_t>(record.name->size()));
    w.put_bytes(record.name->data(), record.name->size());
    w.put(static_cast<std::uint64_t>(record.value->rows()));
    w.put(static_cast<std::uint64_t>(record.value->cols()));
    w.put_bytes(reinterpret_cast<const char*>(record.value->data()),
                static_cast<std::size_t>(record.value->size()) * sizeof(Scalar));
  }
  for (const auto& [name, value] : text) {
    w.put(text_record_kind);
    w.put(static_cast<std::uint32_t>(name.size()));
    w.put_bytes(name.data(), name.size());
    w.put(static_cast<std::uint64_t>(value.size()));
    w.put_bytes(value.data(), value.size());
  }
  const std::uint64_t hash = fnv1a(w.data().data(), w.data().size());
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(w.data().data(), static_cast<std::streamsize>(w.data().size()));
    out.write(reinterpret_cast<const char*>(&hash), sizeof hash);
  });
}

/// Reads a whole canon tensor file, verifying magic, version, checksum and sizes. Its
/// text records go to `text` when given (and are skipped otherwise).
inline std::map<std::string, StoredTensor> read_tensor_file(const std::string& path,
                                                            Metadata* text = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(message("canon::load: cannot open '", path, "'"));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < sizeof tensor_file_magic + 8 + 8 + 8)
    throw io_error(message("canon::load: '", path, "' has ", bytes.size(),
                           " bytes, too few for a canon tensor file"));
  if (std::memcmp(bytes.data(), tensor_file_magic, sizeof tensor_file_magic) != 0)
    throw io_error(message("canon::load: '", path,
                           "' is not a canon tensor file (its first 8 bytes are not \"CANONTNS\")"));
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t stored_hash;
  std::memcpy(&stored_hash, bytes.data() + body, sizeof stored_hash);
  if (fnv1a(bytes.data(), body) != stored_hash)
    throw io_error(message("canon::load: '", path, "' is corrupt or truncated (checksum mismatch)"));

  const std::vector<char> content(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(body));
  ByteReader r(content, path);
  char magic[8];
  r.get_bytes(magic, sizeof magic, "the magic number");
  const auto version = r.get<std::uint32_t>("the format version");
  if (version != tensor_file_version && version != tensor_file_text_version)
    throw io_error(message("canon::load: '", path, "' has format version ", version,
                           "; this canon reads versions ", tensor_file_version, " and ",
                           tensor_file_text_version));
  const auto scalar_bytes = r.get<std::uint32_t>("the scalar size");
  if (scalar_bytes != 4 && scalar_bytes != 8)
    throw io_error(message("canon::load: '", path, "' stores ", scalar_bytes,
                           "-byte scalars; expected 4 or 8"));
  const auto count = r.get<std::uint64_t>("the tensor count");
  std::map<std::string, StoredTensor> stored;
  // Checked before allocating: a corrupt length would otherwise ask for up to 2^64 bytes.
  auto read_string = [&](std::uint64_t length, std::uint64_t t, const char* what) {
    if (length > content.size() - r.offset())
      throw io_error(message("canon::load: '", path, "' record ", t, " has a ", what, " of ",
                             length, " bytes at byte ", r.offset(), "; only ",
                             content.size() - r.offset(), " bytes remain in the file"));
    std::string out(static_cast<std::size_t>(length), '\0');
    r.get_bytes(out.data(), out.size(), what);
    return out;
  };
  Metadata texts;
  for (std::uint64_t t = 0; t < count; ++t) {
    const auto kind = r.get<std::uint8_t>("a tensor kind");
    const bool text_record = kind == text_record_kind && version == tensor_file_text_version;
    if (kind > 2 && !text_record)
      throw io_error(message("canon::load: '", path, "' tensor ", t, " has kind ", int(kind),
                             "; expected 0 (parameter), 1 (buffer), 2 (state)",
                             version == tensor_file_text_version ? " or 3 (text)" : ""));
    if (!text_record && !texts.empty())
      throw io_error(message("canon::load: '", path, "' record ", t,
                             " is a tensor after a text record; text records come last"));
    const std::string name = read_string(r.get<std::uint32_t>("a name length"), t, "name length");
    if (text_record) {
      std::string value = read_string(r.get<std::uint64_t>("a text length"), t, "text length");
      if (!texts.emplace(name, std::move(value)).second)
        throw io_error(message("canon::load: '", path, "' holds text record '", name, "' twice"));
      continue;
    }
    const auto rows = r.get<std::uint64_t>("a row count");
    const auto cols = r.get<std::uint64_t>("a column count");
    // Each dimension must fit an Index, and rows x cols values must fit in what remains
    // of the file (checked by division: the product itself can overflow 64 bits).
    constexpr auto max_dimension = static_cast<std::uint64_t>(std::numeric_limits<Index>::max());
    if (rows > max_dimension || cols > max_dimension)
      throw io_error(message("canon::load: '", path, "' tensor '", name, "' claims ", rows, "x",
                             cols, " values; each dimension must be at most ", max_dimension));
    if (rows != 0 && cols > (content.size() - r.offset()) / rows / scalar_bytes)
      throw io_error(message("canon::load: '", path, "' tensor '", name, "' claims ", rows, "x",
                             cols, " values; the file is too short"));
    Matrix<double> value(static_cast<Index>(rows), static_cast<Index>(cols));
    if (scalar_bytes == 4) {
      Matrix<float> raw(value.rows(), value.cols());
      r.get_bytes(reinterpret_cast<char*>(raw.data()), raw.size() * 4, "tensor values");
      value = raw.cast<double>();
    } else {
      r.get_bytes(reinterpret_cast<char*>(value.data()), value.size() * 8, "tensor values");
    }
    if (!stored.emplace(name, StoredTensor{kind, std::move(value)}).second)
      throw io_error(message("canon::load: '", path, "' holds tensor '", name, "' twice"));
  }
  if (r.offset() != content.size())
    throw io_error(message("canon::load: '", path, "' has ", content.size() - r.offset(),
                           " unexpected bytes after its last tensor"));
  if (text) *text = std::move(texts);
  return stored;
}

/// Finds `name` in a file's tensors, requiring its kind and shape.
inline const Matrix<double>& find_tensor(const std::map<std::string, StoredTensor>& stored,
                                         const std::string& path, const std::string& name,
                                         std::uint8_t kind, Index rows, Index cols) {
  const auto found = stored.find(name);
  if (found == stored.end())
    throw io_error(message("canon::load: '", path, "' has no tensor '", name, "' that the ",
                           kind == 2 ? "optimizer" : "model", " needs"));
  if (found->second.kind != kind)
    throw io_error(message("canon::load: '", path, "' stores '", name, "' as a ",
                           kind_name(found->second.kind), "; the model has it as a ",
                           kind_name(kind)));
  const auto& v = found->second.value;
  if (v.rows() != rows || v.cols() != cols)
    throw shape_error(message("canon::load: '", path, "' stores '", name, "' as ", shape_of(v),
                              "; expected ", shape_string(rows, cols)));
  return v;
}

/// Shapes that a model takes from the file rather than from its current tensors (a
/// fitted projection whose size the fit chose), by tensor name.
using ShapeOverrides = std::map<std::string, std::pair<Index, Index>>;

/// Throws io_error unless every value of a loaded parameter or buffer is finite and
/// representable in Scalar, and every batch-norm running variance is >= 0: a NaN
/// weight would otherwise load silently and turn every output into NaN.
template <class Scalar>
void require_loadable_values(const Matrix<double>& v, const std::string& path, const std::string& name) {
  const double largest = static_cast<double>(std::numeric_limits<Scalar>::max());
  const bool variance = name.size() >= 11 && name.compare(name.size() - 11, 11, "running_var") == 0;
  for (Index j = 0; j < v.cols(); ++j)
    for (Index i = 0; i < v.rows(); ++i) {
      const double x = v(i, j);
      if (!std::isfinite(x) || std::abs(x) > largest)
        throw io_error(message("canon::load: '", path, "' tensor '", name, "' holds ", x, " at (",
                               i, ", ", j, "); expected finite values",
                               std::isfinite(x) ? " that fit the model's scalar type" : ""));
      if (variance && x < 0)
        throw io_error(message("canon::load: '", path, "' tensor '", name, "' holds the variance ",
                               x, " at row ", i, "; a running variance must be >= 0"));
    }
}

/// Copies a file's tensors into a model after validating all of them: the file must
/// hold exactly the model's parameters and buffers (state tensors, which checkpoints
/// add for the optimizer, are ignored here) with the model's shapes (or the shapes in
/// `overrides`) and loadable values. The model is unchanged if anything is wrong.
template <class Model>
void assign_model_tensors(Model& model, const std::map<std::string, StoredTensor>& stored,
                          const std::string& path, const ShapeOverrides& overrides = {}) {
  using Scalar = typename Model::scalar_type;
  std::vector<std::pair<Matrix<Scalar>*, const Matrix<double>*>> assignments;
  std::set<std::string> model_names;
  for (const auto& record : model_records(model)) {
    const auto fixed = overrides.find(*record.name);
    const Index rows = fixed != overrides.end() ? fixed->second.first : record.value->rows();
    const Index cols = fixed != overrides.end() ? fixed->second.second : record.value->cols();
    const Matrix<double>& value = find_tensor(stored, path, *record.name,
                                              static_cast<std::uint8_t>(record.kind), rows, cols);
    require_loadable_values<Scalar>(value, path, *record.name);
    assignments.emplace_back(record.value, &value);
    model_names.insert(*record.name);
  }
  for (const auto& [name, tensor] : stored)
    if (tensor.kind != static_cast<std::uint8_t>(TensorKind::state) && !model_names.count(name))
      throw io_error(message("canon::load: '", path, "' holds ", kind_name(tensor.kind), " '",
                             name, "' that the model does not have"));
  for (auto& [target, value] : assignments) *target = value->template cast<Scalar>();
}

}  // namespace detail

/// Writes every parameter and persistent buffer of `model` to `path` (atomically), and
/// `metadata` as text records after them.
template <class Model>
void save(Model& model, const std::string& path, const Metadata& metadata = {}) {
  detail::write_tensor_file(path, detail::model_records(model), metadata);
}

/// The text records of a file written by save() (empty for a file without them), after
/// the same checks as load().
inline Metadata read_metadata(const std::string& path) {
  Metadata text;
  detail::read_tensor_file(path, &text);
  return text;
}

/// Reads a file written by save() (or a checkpoint) into `model`, which must have
/// exactly the file's parameters and buffers (names, kinds, shapes). The model is
/// unchanged if anything is wrong.
template <class Model>
void load(Model& model, const std::string& path) {
  detail::assign_model_tensors(model, detail::read_tensor_file(path), path);
}

}  // namespace canon
