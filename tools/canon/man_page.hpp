// tools/canon/man_page.hpp — the manual page (troff, man(7)) generated from the same
// command and option definitions as --help, so that the two cannot drift apart.
// `canon --man` prints it; the build writes it to share/man/man1/canon.1 and
// `cmake --install` installs it.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace canon_cli {

void write_man_page(const CLI::App& app, std::ostream& out);

}  // namespace canon_cli
