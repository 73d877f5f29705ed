#include <catch2/catch.hpp>

#include "canon/io/csv.hpp"
#include "canon_test.hpp"

using canon::io::parse_csv;

TEST_CASE("csv parses quoted fields with embedded delimiters quotes and newlines", "[io][csv]") {
  const auto t = parse_csv("id,name,value\r\n1,\"a, \"\"b\"\"\nc\",2.5\r\n\r\n 2 ,\t\"\tx\t\" ,-1e-3\n", "mem");
  REQUIRE(t.row_count() == 2);
  CHECK(t.cell(0, 1) == "a, \"b\"\nc");
  CHECK(t.cell(1, 0) == "2");
  CHECK(t.cell(1, 1) == "x");
  CHECK(t.number(0, 2) == 2.5);
  CHECK(t.number(1, 2) == -1e-3);
  CHECK(t.integer(1, 0) == 2);
  CHECK(t.lines[1] == 5);
  const auto m = t.matrix<double>({"value", "id"});
  CHECK(m(1, 0) == -1e-3);
  CHECK(m(0, 1) == 1.0);
}

TEST_CASE("csv without trailing newline and with BOM", "[io][csv]") {
  const auto t = parse_csv("\xEF\xBB\xBF" "a,b\n1,2", "mem");
  CHECK(t.header[0] == "a");
  CHECK(t.number(0, 1) == 2.0);
}

static std::string error_of(const std::string& text) {
  try {
    parse_csv(text, "bad.csv");
  } catch (const canon::io_error& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("csv rejects malformed text with file and line", "[io][csv]") {
  CHECK_THAT(error_of(""), Catch::Contains("bad.csv") && Catch::Contains("empty"));
  CHECK_THAT(error_of("a,b\n1,\"open\n"), Catch::Contains("line 2") && Catch::Contains("never closed"));
  CHECK_THAT(error_of("a,b\n1,\"x\"y\n"), Catch::Contains("line 2") && Catch::Contains("after the closing quote"));
  CHECK_THAT(error_of("a,b\n1,2\n3\n"), Catch::Contains("line 3") && Catch::Contains("expected 2 fields"));
  CHECK_THAT(error_of("a,b\n1,x\"y\n"), Catch::Contains("quote inside"));
  CHECK_THAT(error_of("a,a\n"), Catch::Contains("twice"));
  CHECK_THAT(error_of("a,,b\n"), Catch::Contains("no name"));
}

TEST_CASE("csv typed access names file line column and text", "[io][csv]") {
  const auto t = parse_csv("id,x\n1,2\n2,abc\n3,\n4,1.5\n5,nan\n6,1e999\n", "ann.csv");
  auto message = [&](canon::Index r, canon::Index c) -> std::string {
    try {
      (void)t.number(r, c);
    } catch (const canon::io_error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(message(0, 1) == "no error");
  CHECK_THAT(message(1, 1), Catch::Contains("ann.csv") && Catch::Contains("line 3") &&
                                Catch::Contains("'x'") && Catch::Contains("'abc'"));
  CHECK_THAT(message(2, 1), Catch::Contains("line 4"));
  CHECK_THAT(message(4, 1), Catch::Contains("'nan'"));
  CHECK_THAT(message(5, 1), Catch::Contains("1e999"));
  CHECK_THROWS_AS(t.integer(3, 1), canon::io_error);
  CHECK_THROWS_WITH(t.column("y"), Catch::Contains("no column 'y'") && Catch::Contains("'id'"));
  CHECK_THROWS_AS(t.numbers("x"), canon::io_error);
  CHECK_THROWS_AS(t.cell(99, 0), canon::io_error);
  CHECK_THROWS_WITH(canon::io::read_csv("/nonexistent/x.csv"), Catch::Contains("/nonexistent/x.csv"));
}

TEST_CASE("csv reads the real DEAM songs_info with stray tabs", "[io][csv][real]") {
  const std::string path = canon_test::shared_data("deam-2013/songs_info.csv");
  if (path.empty()) return;
  const auto t = canon::io::read_csv(path);
  CHECK(t.row_count() == 744);
  CHECK(t.cell(0, t.column("file_name")) == "2.mp3");
  CHECK(t.cell(0, t.column("Artist")) == "The New Mystikal Troubadours");
  CHECK(t.cell(1, t.column("Mediaeval 2013 set")) == "evaluation");
  CHECK(t.number(0, t.column("start of the segment (min.sec)")) == 0.48);
}
