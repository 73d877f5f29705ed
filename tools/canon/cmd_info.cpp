// canon info: what a model or checkpoint file holds: its format, precision, tensors and
// text records (architecture, settings, canon's version).
#include <canon/core/serialization.hpp>
#include <cstdio>
#include <fstream>

#include "common.hpp"

namespace canon_cli {

namespace {

struct InfoSettings {
  std::string file;
  bool json = false;
};

void run_info(const InfoSettings& s) {
  canon::Metadata text;
  const auto tensors = canon::detail::read_tensor_file(s.file, &text);  // checks the whole file
  std::ifstream in(s.file, std::ios::binary);
  char header[16];
  in.read(header, sizeof header);
  std::uint32_t version, scalar_bytes;
  std::memcpy(&version, header + 8, 4);
  std::memcpy(&scalar_bytes, header + 12, 4);
  Json out{{"file", s.file}, {"format_version", version}, {"precision", scalar_bytes == 4 ? "float" : "double"}};
  Json list = Json::array();
  long values = 0;
  for (const auto& [name, tensor] : tensors) {
    list.push_back({{"name", name}, {"kind", canon::detail::kind_name(tensor.kind)},
                    {"shape", {tensor.value.rows(), tensor.value.cols()}}});
    values += long(tensor.value.size());
  }
  out["tensors"] = list;
  out["values"] = values;
  out["text"] = text;
  if (s.json) {
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("%s: canon tensor file, format %u, %s, %zu tensors, %ld values\n", s.file.c_str(), version,
              scalar_bytes == 4 ? "float32" : "float64", tensors.size(), values);
  for (const auto& [name, tensor] : tensors)
    std::printf("  %-40s %-12s %ld x %ld\n", name.c_str(), canon::detail::kind_name(tensor.kind),
                long(tensor.value.rows()), long(tensor.value.cols()));
  for (const auto& [name, value] : text) std::printf("[%s]\n%s%s", name.c_str(), value.c_str(),
                                                     !value.empty() && value.back() == '\n' ? "" : "\n");
}

}  // namespace

void add_info(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<InfoSettings>();
  CLI::App* sub = app.add_subcommand("info", "What a model or checkpoint file holds");
  sub->footer("Example:\n  canon info run/model.canon");
  sub->add_option("file", settings->file, "model or checkpoint file")->required();
  auto options = std::make_unique<Options>(sub, "info");
  options->add_switch("json", settings->json, "print JSON instead of a table");
  commands.push_back({std::move(options), [settings] { run_info(*settings); }});
}

}  // namespace canon_cli
