// tools/canon/main.cpp — the canon program: subcommands over the library for people who
// start from their own files (docs/cli.md). Every error is one line on stderr naming
// the file, the key or the flag, and the exit code says what kind it was (options.hpp).
#include <canon/core/atomic_file.hpp>
#include <canon/core/error.hpp>
#include <canon/version.hpp>
#include <iostream>

#include "common.hpp"
#include "man_page.hpp"

int main(int argc, char** argv) {
  using namespace canon_cli;
  CLI::App app{"canon: shared embeddings of music, EEG and emotion on the CPU.\n"
               "Files of features hold one sample per row (.npy, .csv or .npz), as NumPy does.",
               "canon"};
  app.set_version_flag("--version", std::string("canon ") + canon::version);
  app.require_subcommand(1);
  app.footer("Run 'canon COMMAND --help' for a command's options and an example; 'canon --man' prints "
             "the manual page. docs/cli.md has worked examples.");
  Commands commands;
  add_cca(app, commands);
  add_train(app, commands);
  add_embed(app, commands);
  add_retrieve(app, commands);
  add_evaluate(app, commands);
  add_info(app, commands);
  add_demo(app, commands);
  // canon --man [FILE]: the manual page, on stdout or written atomically to FILE (the build
  // writes share/man/man1/canon.1 this way).
  if ((argc == 2 || argc == 3) && std::string(argv[1]) == "--man") {
    if (argc == 2) {
      write_man_page(app, std::cout);
      return exit_ok;
    }
    try {
      canon::write_file_atomically(argv[2], [&](std::ostream& out) { write_man_page(app, out); });
      return exit_ok;
    } catch (const canon::error& e) {
      std::cerr << "canon: error: " << e.what() << "\n";
      return exit_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  for (Command& command : commands) {
    if (!command.options->app()->parsed()) continue;
    try {
      command.options->finish();
      command.run();
      return exit_ok;
    } catch (const ExitStatus& e) {
      return e.code;
    } catch (const UsageError& e) {
      std::cerr << "canon: usage: " << e.what() << "\n";
      return exit_usage;
    } catch (const CLI::Error& e) {
      std::cerr << "canon: usage: " << e.what() << "\n";
      return exit_usage;
    } catch (const canon::interrupted& e) {
      std::cerr << "canon: " << e.what() << "\n";
      return exit_interrupted;
    } catch (const canon::error& e) {
      std::cerr << "canon: error: " << e.what() << "\n";
      return exit_input;
    } catch (const std::bad_alloc&) {
      std::cerr << "canon: error: out of memory\n";
      return exit_input;
    } catch (const std::exception& e) {
      std::cerr << "canon: internal error (please report it): " << e.what() << "\n";
      return exit_internal;
    }
  }
  std::cerr << "canon: usage: no command given; run 'canon --help'\n";
  return exit_usage;
}
