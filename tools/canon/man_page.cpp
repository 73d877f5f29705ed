#include "man_page.hpp"

#include <canon/version.hpp>

namespace canon_cli {

namespace {

// Text as troff reads it: backslashes doubled, '-' as \- (a real minus, so that
// searching for --hidden in the page finds it), a leading '.' or '\'' protected by \&.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\\\";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

void describe(const CLI::App& command, const std::string& path, std::ostream& out) {
  const auto children = subcommands_of(command);
  if (!children.empty()) {
    for (const CLI::App* child : children) describe(*child, path + " " + child->get_name(), out);
    return;
  }
  std::string usage;
  for (const CLI::Option* option : command.get_options())
    if (option->get_positional())
      usage += option->get_required() ? " " + option->get_name() : " [" + option->get_name() + "]";
  out << ".SS " << roff(path) << "\n" << roff(command.get_description()) << "\n.PP\n.B " << roff(path)
      << "\n[options]" << roff(usage) << "\n";
  for (const CLI::Option* option : command.get_options()) {
    const std::string names = option->get_name(false, true);
    if (names.empty() || names == "-h,--help") continue;
    out << ".TP\n.B " << roff(option->get_positional() ? option->get_name() : names);
    if (!option->get_positional() && option->get_expected_min() > 0) out << " \\fI" << roff(option->get_type_name()) << "\\fR";
    out << "\n" << roff(option->get_description());
    if (!option->get_default_str().empty()) out << " (default: " << roff(option->get_default_str()) << ")";
    out << "\n";
  }
  if (!command.get_footer().empty()) out << ".PP\n.nf\n" << roff(command.get_footer()) << "\n.fi\n";
}

}  // namespace

void write_man_page(const CLI::App& app, std::ostream& out) {
  out << ".TH CANON 1 \"\" \"canon " << canon::version << "\" \"User Commands\"\n"
      << ".SH NAME\ncanon \\- shared embeddings of music, EEG and emotion on the CPU\n"
      << ".SH SYNOPSIS\n.B canon\n\\fICOMMAND\\fR [options]\n.br\n.B canon\n\\-\\-version | \\-\\-help\n"
      << ".SH DESCRIPTION\n" << roff(app.get_description()) << "\n.PP\n"
      << "Every option of a command is also a key of a JSON file given with \\-\\-config (the long flag "
         "without \\-\\-); flags override it, and every run writes its effective config.json.\n"
      << ".SH COMMANDS\n";
  for (const CLI::App* command : subcommands_of(app)) describe(*command, "canon " + command->get_name(), out);
  out << ".SH EXIT STATUS\n"
      << ".TP\n0\nsuccess (also \\-\\-help, \\-\\-version)\n"
      << ".TP\n1\ninternal error: a bug in canon; please report it with the command\n"
      << ".TP\n2\nusage: an unknown flag or config key, a value an option does not accept, a missing option\n"
      << ".TP\n3\ninput: a file that cannot be read, malformed or of the wrong shape, NaN in the data\n"
      << ".TP\n130\ninterrupted by SIGINT or SIGTERM (train \\-\\-resume continues)\n"
      << ".SH ENVIRONMENT\n.TP\nOMP_NUM_THREADS\nthreads when \\-\\-threads is 0\n"
      << ".TP\nCANON_DEMO_DIR\nwhere canon demo looks for the demo programs\n"
      << ".SH SEE ALSO\ndocs/cli.md in canon's sources: a worked example for each kind of user.\n";
}

}  // namespace canon_cli
