#include <canon/eval/cross_validation.hpp>
#include <catch2/catch.hpp>
#include <set>

using namespace canon;

namespace {

// Every sample is tested exactly once, and train is the complement of test.
void check_partition(const std::vector<eval::Fold>& folds, Index n) {
  std::vector<int> tested(static_cast<std::size_t>(n), 0);
  for (const auto& fold : folds) {
    for (const Index i : fold.test) ++tested[std::size_t(i)];
    CHECK(fold.train.size() + fold.test.size() == std::size_t(n));
    std::set<Index> both(fold.train.begin(), fold.train.end());
    both.insert(fold.test.begin(), fold.test.end());
    CHECK(both.size() == std::size_t(n));
  }
  for (const int t : tested) CHECK(t == 1);
}

}  // namespace

TEST_CASE("k_fold: a balanced partition that depends on the seed only") {
  Rng rng(1), same(1), other(2);
  const auto folds = eval::k_fold(23, 5, rng);
  check_partition(folds, 23);
  for (const auto& f : folds) CHECK((f.test.size() == 4 || f.test.size() == 5));
  CHECK(eval::k_fold(23, 5, same)[0].test == folds[0].test);
  CHECK(eval::k_fold(23, 5, other)[0].test != folds[0].test);
  CHECK_THROWS_AS(eval::k_fold(3, 5, rng), value_error);
  CHECK_THROWS_AS(eval::k_fold(10, 1, rng), value_error);
}

TEST_CASE("stratified_k_fold: every fold keeps the class proportions") {
  std::vector<int> labels;
  for (int i = 0; i < 40; ++i) labels.push_back(i < 30 ? 0 : 1);  // 30 vs 10
  Rng rng(3);
  const auto folds = eval::stratified_k_fold(labels, 5, rng);
  check_partition(folds, 40);
  for (const auto& f : folds) {
    int ones = 0;
    for (const Index i : f.test) ones += labels[std::size_t(i)];
    CHECK(f.test.size() == 8);
    CHECK(ones == 2);
  }
}

TEST_CASE("group_k_fold: groups stay whole, folds balanced, stratified by group label") {
  // 34 tracks x 3 segments, as a DEAP subject after dropping 6 tracks (scaled down).
  std::vector<int> groups;
  std::map<int, int> track_label;
  for (int track = 0; track < 34; ++track) {
    track_label[100 + track] = track % 3 == 0 ? 1 : 0;  // 12 positive, 22 negative tracks
    for (int s = 0; s < 3; ++s) groups.push_back(100 + track);
  }
  Rng rng(4);
  const auto folds = eval::group_k_fold(groups, 5, rng, track_label);
  check_partition(folds, Index(groups.size()));
  for (const auto& f : folds) {
    std::set<int> test_groups, train_groups;
    for (const Index i : f.test) test_groups.insert(groups[std::size_t(i)]);
    for (const Index i : f.train) train_groups.insert(groups[std::size_t(i)]);
    for (const int g : test_groups) CHECK(train_groups.count(g) == 0);  // never split
    CHECK((test_groups.size() == 6 || test_groups.size() == 7));        // 34 = 4 x 7 + 6
    int positive = 0;
    for (const int g : test_groups) positive += track_label[g];
    CHECK((positive == 2 || positive == 3));  // 12 positives over 5 folds
  }
  std::map<int, int> incomplete{{100, 1}};
  CHECK_THROWS_WITH(eval::group_k_fold(groups, 5, rng, incomplete), Catch::Contains("group 101 has no label"));
  CHECK_THROWS_WITH(eval::group_k_fold({1, 1, 2}, 3, rng), Catch::Contains("from 2 groups"));
}

TEST_CASE("fold_split: test fold, the next fold for validation, the rest in fold order") {
  Rng rng(7);
  const auto folds = eval::k_fold(23, 5, rng);
  for (int f = 0; f < 5; ++f) {
    const auto s = eval::fold_split(folds, f);
    const int v = (f + 1) % 5;
    CHECK(s.test == folds[std::size_t(f)].test);
    CHECK(s.validation == folds[std::size_t(v)].test);
    std::vector<Index> expected;
    for (int g = 0; g < 5; ++g)
      if (g != f && g != v)
        expected.insert(expected.end(), folds[std::size_t(g)].test.begin(), folds[std::size_t(g)].test.end());
    CHECK(s.train == expected);
    CHECK(s.train.size() + s.validation.size() + s.test.size() == 23);
  }
  const auto no_validation = eval::fold_split(folds, 2, false);
  CHECK(no_validation.validation.empty());
  CHECK(no_validation.train.size() + no_validation.test.size() == 23);
}

TEST_CASE("fold_split: two folds have no validation fold; bad folds and fold numbers throw") {
  Rng rng(8);
  const auto two = eval::k_fold(10, 2, rng);
  const auto s = eval::fold_split(two, 1);
  CHECK(s.validation.empty());
  CHECK(s.train == two[0].test);
  CHECK(s.test == two[1].test);
  CHECK_THROWS_AS(eval::fold_split(two, 2), value_error);
  CHECK_THROWS_AS(eval::fold_split(two, -1), value_error);
  CHECK_THROWS_WITH(eval::fold_split(std::vector<eval::Fold>(1), 0), Catch::Contains("at least 2 folds"));
}
