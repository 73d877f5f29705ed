// canon/io/npz.hpp — NumPy .npz archives (np.savez, np.savez_compressed) in and out:
// component canon::npz (zlib for the compressed members and the CRC-32).
//
// An .npz file is a zip archive whose members are "<name>.npy" files. The reader walks
// the zip's central directory (PKWARE APPNOTE 6.3): the end-of-central-directory record
// at the end of the file, its zip64 twin when a field is saturated (0xFFFF/0xFFFFFFFF),
// then one header per member with its compression method (0 stored, 8 deflate), CRC-32,
// sizes and the offset of its local header, zip64 extra fields included (NumPy always
// asks zipfile for zip64, gh-10776). Every offset and size is checked against the file
// before it is used; a member is inflated into exactly the size the directory gives and
// its CRC-32 must match; each member is then parsed by the strict .npy parser
// (io/npy.hpp). Encrypted members, other compression methods and multi-disk archives
// are refused with the member's name. Member names lose their ".npy": np.savez(f, a=x)
// gives "a", positional arrays "arr_0", "arr_1", ...
//
// The writer stores one .npy per matrix ('<f4' or '<f8', C order), deflated or not, in a
// plain zip (zip64 only where a size or offset needs it), atomically. np.load reads it.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "canon/io/npy.hpp"

namespace canon::io {

namespace detail {

constexpr std::uint32_t zip_local_signature = 0x04034b50, zip_central_signature = 0x02014b50,
                        zip_end_signature = 0x06054b50, zip64_end_signature = 0x06064b50,
                        zip64_locator_signature = 0x07064b50;

/// Bounds-checked little-endian reads from the archive's bytes, naming the archive.
class ZipCursor {
 public:
  ZipCursor(const std::string& bytes, const std::string& source) : bytes_(bytes), source_(source) {}
  [[noreturn]] void fail(std::uint64_t at, const std::string& what) const {
    throw io_error(canon::detail::message(source_, ": zip byte ", at, ": ", what));
  }
  std::uint64_t get(std::uint64_t at, int size, const char* what) const {
    if (at > bytes_.size() || std::uint64_t(size) > bytes_.size() - at)
      fail(at, canon::detail::message(what, " lies beyond the end of the file (", bytes_.size(), " bytes)"));
    return read_le(reinterpret_cast<const unsigned char*>(bytes_.data()) + at, size);
  }
  void need(std::uint64_t at, std::uint64_t size, const char* what) const {
    if (at > bytes_.size() || size > bytes_.size() - at)
      fail(at, canon::detail::message(what, " (", size, " bytes) runs past the end of the file (", bytes_.size(),
                                      " bytes)"));
  }
  std::size_t size() const { return bytes_.size(); }
  const char* data() const { return bytes_.data(); }

 private:
  const std::string& bytes_;
  const std::string& source_;
};

struct ZipMember {
  std::string name;
  std::uint16_t method = 0, flags = 0;
  std::uint32_t crc = 0;
  std::uint64_t compressed = 0, uncompressed = 0, local_offset = 0;
};

/// Reads a zip64 extended-information extra field (id 0x0001): it holds, in this order,
/// only those of uncompressed size, compressed size and local offset whose 32-bit field
/// is saturated.
inline void read_zip64_extra(const ZipCursor& z, std::uint64_t at, std::uint64_t length, ZipMember& m) {
  const std::uint64_t end = at + length;
  while (at + 4 <= end) {
    const auto id = z.get(at, 2, "an extra field id");
    const auto size = z.get(at + 2, 2, "an extra field size");
    if (at + 4 + size > end) z.fail(at, "an extra field runs past its header");
    if (id == 0x0001) {
      std::uint64_t p = at + 4;
      auto take = [&](std::uint64_t& field) {
        if (field != 0xFFFFFFFFu) return;
        if (p + 8 > at + 4 + size) z.fail(p, canon::detail::message("member '", m.name, "': the zip64 field is too short"));
        field = z.get(p, 8, "a zip64 size");
        p += 8;
      };
      take(m.uncompressed);
      take(m.compressed);
      take(m.local_offset);
    }
    at += 4 + size;
  }
}

inline std::vector<ZipMember> zip_directory(const ZipCursor& z) {
  // The end record is the last 22 bytes unless a comment (up to 65535 bytes) follows it.
  if (z.size() < 22) z.fail(0, canon::detail::message("a file of ", z.size(), " bytes is too short for a zip archive"));
  std::uint64_t end = z.size() - 22;
  const std::uint64_t lowest = z.size() > 22 + 65535 ? z.size() - 22 - 65535 : 0;
  while (z.get(end, 4, "the end record") != zip_end_signature) {
    if (end == lowest) z.fail(0, "no end-of-central-directory record: not a zip (.npz) file, or truncated");
    --end;
  }
  if (z.get(end + 4, 2, "the disk number") != 0 || z.get(end + 6, 2, "the directory disk") != 0)
    z.fail(end, "multi-disk zip archives are not supported");
  std::uint64_t count = z.get(end + 10, 2, "the member count");
  std::uint64_t directory_size = z.get(end + 12, 4, "the directory size");
  std::uint64_t directory = z.get(end + 16, 4, "the directory offset");
  if (count == 0xFFFF || directory_size == 0xFFFFFFFFu || directory == 0xFFFFFFFFu) {
    if (end < 20 || z.get(end - 20, 4, "the zip64 locator") != zip64_locator_signature)
      z.fail(end, "a saturated end record without a zip64 locator before it");
    const std::uint64_t record = z.get(end - 20 + 8, 8, "the zip64 end record offset");
    if (z.get(record, 4, "the zip64 end record") != zip64_end_signature)
      z.fail(record, "the zip64 locator does not point at a zip64 end record");
    count = z.get(record + 32, 8, "the zip64 member count");
    directory_size = z.get(record + 40, 8, "the zip64 directory size");
    directory = z.get(record + 48, 8, "the zip64 directory offset");
  }
  z.need(directory, directory_size, "the central directory");
  // Each header takes at least 46 bytes: a count beyond that is corrupt, and reserving
  // for it would allocate what the file cannot hold.
  if (count > directory_size / 46)
    z.fail(end, canon::detail::message("the end record claims ", count, " members in a ", directory_size,
                                       "-byte directory"));
  std::vector<ZipMember> members;
  members.reserve(std::size_t(count));
  std::uint64_t at = directory;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (z.get(at, 4, "a directory header") != zip_central_signature)
      z.fail(at, canon::detail::message("directory entry ", i, " has no central header signature"));
    ZipMember m;
    m.flags = std::uint16_t(z.get(at + 8, 2, "the flags"));
    m.method = std::uint16_t(z.get(at + 10, 2, "the method"));
    m.crc = std::uint32_t(z.get(at + 16, 4, "the CRC-32"));
    m.compressed = z.get(at + 20, 4, "the compressed size");
    m.uncompressed = z.get(at + 24, 4, "the size");
    const auto name_length = z.get(at + 28, 2, "the name length");
    const auto extra_length = z.get(at + 30, 2, "the extra length");
    const auto comment_length = z.get(at + 32, 2, "the comment length");
    m.local_offset = z.get(at + 42, 4, "the local header offset");
    z.need(at + 46, name_length + extra_length + comment_length, "a directory entry's name and extra fields");
    m.name.assign(z.data() + at + 46, std::size_t(name_length));
    read_zip64_extra(z, at + 46 + name_length, extra_length, m);
    members.push_back(std::move(m));
    at += 46 + name_length + extra_length + comment_length;
  }
  return members;
}

/// The bytes of one member, inflated if deflated, CRC-32 checked.
inline std::string zip_member_bytes(const ZipCursor& z, const ZipMember& m) {
  const std::string where = "member '" + m.name + "'";
  if (m.flags & 0x1) z.fail(m.local_offset, where + " is encrypted");
  if (m.method != 0 && m.method != 8)
    z.fail(m.local_offset, canon::detail::message(where, " uses compression method ", m.method,
                                                  "; expected 0 (stored) or 8 (deflate)"));
  if (z.get(m.local_offset, 4, "a local header") != zip_local_signature)
    z.fail(m.local_offset, where + ": no local header signature where the directory points");
  const std::uint64_t data = m.local_offset + 30 + z.get(m.local_offset + 26, 2, "the local name length") +
                             z.get(m.local_offset + 28, 2, "the local extra length");
  z.need(data, m.compressed, (where + "'s data").c_str());
  // What fits in memory is what the file can hold: deflate expands at most ~1032x.
  if (m.uncompressed > std::uint64_t(std::numeric_limits<uInt>::max()) ||
      (m.method == 0 && m.uncompressed != m.compressed) || m.uncompressed / 1032 > m.compressed + 1)
    z.fail(m.local_offset, canon::detail::message(where, " claims ", m.uncompressed, " bytes from ", m.compressed,
                                                  " compressed ones; the sizes are inconsistent"));
  std::string out(std::size_t(m.uncompressed), '\0');
  if (m.method == 0) {
    if (!out.empty()) std::memcpy(out.data(), z.data() + data, out.size());
  } else {
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) z.fail(data, "zlib could not start inflating " + where);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
    stream.avail_in = uInt(std::min<std::uint64_t>(m.compressed, std::numeric_limits<uInt>::max()));
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = inflate(&stream, Z_FINISH);
    const auto produced = stream.total_out;
    inflateEnd(&stream);
    if (status != Z_STREAM_END || produced != m.uncompressed)
      z.fail(data, canon::detail::message(where, " does not inflate to the ", m.uncompressed,
                                          " bytes the directory gives (zlib status ", status, ", ", produced,
                                          " bytes)"));
  }
  const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), uInt(out.size()));
  if (crc != m.crc)
    z.fail(data, canon::detail::message(where, " is corrupt: CRC-32 ", crc, ", the directory says ", m.crc));
  return out;
}

inline void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += char((value >> (8 * i)) & 0xFF);
}

}  // namespace detail

/// Every array of an .npz archive by name (without ".npy"), each parsed as read_npy does.
inline std::map<std::string, NpyArray> read_npz(const std::string& path) {
  const std::string bytes = read_text_file(path);
  const detail::ZipCursor z(bytes, path);
  std::map<std::string, NpyArray> arrays;
  for (const auto& member : detail::zip_directory(z)) {
    if (member.name.size() < 4 || member.name.compare(member.name.size() - 4, 4, ".npy") != 0)
      throw io_error(canon::detail::message(path, ": member '", member.name, "' is not a .npy array; an .npz "
                                            "holds only <name>.npy members"));
    const std::string name = member.name.substr(0, member.name.size() - 4);
    NpyArray array = parse_npy(detail::zip_member_bytes(z, member), path + ":" + name);
    if (!arrays.emplace(name, std::move(array)).second)
      throw io_error(canon::detail::message(path, ": array '", name, "' appears twice"));
  }
  return arrays;
}

/// Writes matrices as the arrays of an .npz archive ('<f4'/'<f8' .npy members, C order),
/// deflated when `compressed` (np.savez_compressed) or stored (np.savez).
template <class Scalar>
void write_npz(const std::string& path, const std::map<std::string, Matrix<Scalar>>& arrays, bool compressed = true) {
  CANON_REQUIRE_SCALAR(Scalar);
  std::string archive, directory;
  for (const auto& [name, matrix] : arrays) {
    if (name.empty() || name.size() > 60000)
      throw value_error(canon::detail::message("write_npz: array names must have 1 to 60000 characters, got ",
                                               name.size()));
    std::ostringstream npy;
    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = matrix;
    detail::write_npy_data(npy, {rows.rows(), rows.cols()}, rows.data(), rows.size());
    const std::string raw = npy.str(), member = name + ".npy";
    std::string stored = raw;
    if (compressed) {
      uLongf size = compressBound(uLong(raw.size())) + 64;
      stored.assign(size, '\0');
      z_stream stream{};
      if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw io_error("write_npz: zlib could not start deflating");
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
      stream.avail_in = uInt(raw.size());
      stream.next_out = reinterpret_cast<Bytef*>(stored.data());
      stream.avail_out = uInt(stored.size());
      const int status = deflate(&stream, Z_FINISH);
      stored.resize(stream.total_out);
      deflateEnd(&stream);
      if (status != Z_STREAM_END) throw io_error(canon::detail::message("write_npz: deflate failed on '", name, "'"));
    }
    const std::uint64_t offset = archive.size();
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(raw.data()), uInt(raw.size()));
    const bool wide = raw.size() >= 0xFFFFFFFFu || stored.size() >= 0xFFFFFFFFu || offset >= 0xFFFFFFFFu;
    auto header = [&](std::string& out, bool central) {
      detail::put_le(out, central ? detail::zip_central_signature : detail::zip_local_signature, 4);
      if (central) detail::put_le(out, wide ? 45 : 20, 2);  // made by (spec version)
      detail::put_le(out, wide ? 45 : 20, 2);              // needed to extract
      detail::put_le(out, 0, 2);                           // flags
      detail::put_le(out, compressed ? 8 : 0, 2);
      detail::put_le(out, 0, 2);     // time 00:00:00
      detail::put_le(out, 0x21, 2);  // date 1980-01-01: a fixed stamp, so equal arrays give equal files
      detail::put_le(out, crc, 4);
      detail::put_le(out, wide ? 0xFFFFFFFFu : stored.size(), 4);
      detail::put_le(out, wide ? 0xFFFFFFFFu : raw.size(), 4);
      detail::put_le(out, member.size(), 2);
      detail::put_le(out, wide ? (central ? 28 : 20) : 0, 2);  // extra length
      if (central) {
        detail::put_le(out, 0, 2);  // comment
        detail::put_le(out, 0, 2);  // disk
        detail::put_le(out, 0, 2);  // internal attributes
        detail::put_le(out, 0, 4);  // external attributes
        detail::put_le(out, wide ? 0xFFFFFFFFu : offset, 4);
      }
      out += member;
      if (wide) {
        detail::put_le(out, 0x0001, 2);
        detail::put_le(out, central ? 24 : 16, 2);
        detail::put_le(out, raw.size(), 8);
        detail::put_le(out, stored.size(), 8);
        if (central) detail::put_le(out, offset, 8);
      }
    };
    header(archive, false);
    archive += stored;
    header(directory, true);
  }
  const std::uint64_t directory_offset = archive.size(), count = arrays.size();
  archive += directory;
  const bool wide = count >= 0xFFFF || directory.size() >= 0xFFFFFFFFu || directory_offset >= 0xFFFFFFFFu;
  if (wide) {
    const std::uint64_t record = archive.size();
    detail::put_le(archive, detail::zip64_end_signature, 4);
    detail::put_le(archive, 44, 8);  // size of the rest of this record
    detail::put_le(archive, 45, 2);
    detail::put_le(archive, 45, 2);
    detail::put_le(archive, 0, 4);
    detail::put_le(archive, 0, 4);
    detail::put_le(archive, count, 8);
    detail::put_le(archive, count, 8);
    detail::put_le(archive, directory.size(), 8);
    detail::put_le(archive, directory_offset, 8);
    detail::put_le(archive, detail::zip64_locator_signature, 4);
    detail::put_le(archive, 0, 4);
    detail::put_le(archive, record, 8);
    detail::put_le(archive, 1, 4);
  }
  detail::put_le(archive, detail::zip_end_signature, 4);
  detail::put_le(archive, 0, 4);  // disk numbers
  detail::put_le(archive, wide ? 0xFFFF : count, 2);
  detail::put_le(archive, wide ? 0xFFFF : count, 2);
  detail::put_le(archive, wide ? 0xFFFFFFFFu : directory.size(), 4);
  detail::put_le(archive, wide ? 0xFFFFFFFFu : directory_offset, 4);
  detail::put_le(archive, 0, 2);  // comment length
  canon::write_file_atomically(path, [&](std::ostream& out) {
    out.write(archive.data(), static_cast<std::streamsize>(archive.size()));
  });
}

}  // namespace canon::io
