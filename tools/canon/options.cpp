#include "options.hpp"

#include <fstream>

namespace canon_cli {

Options::Options(CLI::App* app, std::string path) : app_(app), path_(std::move(path)) {
  app_->add_option("--config", config_,
                   "JSON file of options (keys as the long flags, without --); flags given "
                   "here override it. Every run writes its effective config.json");
}

CLI::Option* Options::add_switch(const std::string& name, bool& value, const std::string& help) {
  CLI::Option* option = app_->add_flag("--" + name, value, help);
  entries_.push_back({name, option, Kind::boolean, [&value] { return Json(value); },
                      [&value](const Json& j) { value = j.get<bool>(); }, false});
  return option;
}

void Options::required(const std::string& name) {
  Entry* entry = find(name);
  if (!entry) throw std::logic_error("Options::required: no option " + name);
  entry->required = true;
}

Options::Entry* Options::find(const std::string& name) {
  for (Entry& entry : entries_)
    if (entry.name == name) return &entry;
  return nullptr;
}

namespace {

const char* json_type(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "true/false";
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "an object";
    case Json::value_t::null: return "null";
    default: return "a number";
  }
}

// One JSON scalar as the text CLI11 converts (numbers keep every digit).
std::string as_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

void Options::apply(Entry& entry, const Json& value, const std::string& file) {
  auto wrong = [&](const char* expected) {
    return UsageError("config '" + file + "': '" + entry.name + "' must be " + expected + ", got " +
                      json_type(value) + " (" + value.dump() + ")");
  };
  switch (entry.kind) {
    case Kind::boolean:
      if (!value.is_boolean()) throw wrong("true or false");
      break;
    case Kind::number:
      if (!value.is_number()) throw wrong("a number");
      break;
    case Kind::text:
      if (!value.is_string()) throw wrong("a string");
      break;
    case Kind::list:
      if (!value.is_array()) throw wrong("a list");
      for (const Json& item : value)
        if (!item.is_number() && !item.is_string()) throw wrong("a list of numbers or strings");
      break;
  }
  if (entry.set) {
    try {
      entry.set(value);
    } catch (const Json::exception& e) {
      throw wrong("a list of whole numbers");
    }
    return;
  }
  std::vector<std::string> texts;
  if (value.is_array()) {
    for (const Json& item : value) texts.push_back(as_text(item));
  } else {
    texts.push_back(as_text(value));
  }
  try {
    entry.option->add_result(texts);
    entry.option->run_callback();  // converts and runs the option's checks
  } catch (const CLI::Error& e) {
    throw UsageError("config '" + file + "': '" + entry.name + "': " + e.what());
  }
}

void Options::finish() {
  if (!config_.empty()) {
    std::ifstream in(config_);
    if (!in) throw UsageError("--config: cannot open '" + config_ + "'");
    Json config;
    try {
      config = Json::parse(in);
    } catch (const Json::parse_error& e) {
      throw UsageError("config '" + config_ + "' is not valid JSON: " + e.what());
    }
    if (!config.is_object()) throw UsageError("config '" + config_ + "' must hold a JSON object of options");
    for (const auto& [key, value] : config.items()) {
      if (key == "command") {
        if (value != Json(path_))
          throw UsageError("config '" + config_ + "' is for 'canon " + as_text(value) + "', not 'canon " + path_ + "'");
        continue;
      }
      Entry* entry = find(key);
      if (!entry) {
        std::string known;
        for (const Entry& e : entries_) known += (known.empty() ? "" : ", ") + e.name;
        throw UsageError("config '" + config_ + "': unknown key '" + key + "' for 'canon " + path_ +
                         "'; known keys: " + known);
      }
      if (entry->option->count() > 0) continue;  // the command line wins
      apply(*entry, value, config_);
    }
  }
  for (const Entry& entry : entries_)
    if (entry.required && entry.option->count() == 0 && entry.get() == Json(std::string())) {
      throw UsageError("canon " + path_ + ": --" + entry.name + " is required (on the command line or as '" +
                       entry.name + "' in --config)");
    }
}

Json Options::values() const {
  Json out = Json::object();
  out["command"] = path_;
  for (const Entry& entry : entries_) out[entry.name] = entry.get();
  return out;
}

}  // namespace canon_cli
