// The transfer protocol on planted data: a second view that is a noisy linear function
// of the first must be retrieved far above chance; an unrelated second view must not.
#include <canon/models/raposo/transfer.hpp>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;

namespace {

canon::raposo::TransferConfig small_config() {
  canon::raposo::TransferConfig c;
  c.layers = {32, 16, 8};
  c.components = 4;
  c.dcca = canon::raposo::TransferConfig::top_k(4);
  c.training.epochs = 60;
  c.training.batch_size = 1000;
  c.folds = 4;
  return c;
}

struct Planted {
  Matrix<double> first, second;
  std::vector<int> classes;
};

// 200 items, 4 latent dimensions; the class is the sign of the first latent.
Planted planted(double noise, bool related) {
  const Index n = 200;
  const Matrix<double> z = canon_test::random_matrix(4, n, 1);
  Planted p;
  p.first = canon_test::random_matrix(12, 4, 2) * z + noise * canon_test::random_matrix(12, n, 3);
  const Matrix<double> source = related ? z : canon_test::random_matrix(4, n, 4);
  p.second = canon_test::random_matrix(6, 4, 5) * source + noise * canon_test::random_matrix(6, n, 6);
  for (Index j = 0; j < n; ++j) p.classes.push_back(z(0, j) > 0 ? 1 : 0);
  return p;
}

}  // namespace

TEST_CASE("transfer_retrieval finds a planted relation and not an absent one", "[models]") {
  const auto config = small_config();
  const Planted related = planted(0.2, true);
  const auto r = canon::raposo::transfer_retrieval(related.first, related.second, related.classes, config);
  REQUIRE(r.folds.size() == 4);
  CHECK(r.mean.test_items == 200);
  INFO("instance MRR " << r.mean.instance_mrr_first_to_second << " / "
                       << r.mean.instance_mrr_second_to_first << ", chance " << r.mean.chance_instance_mrr
                       << "; class MRR " << r.mean.class_mrr_first_to_second << ", chance "
                       << r.mean.chance_class_mrr);
  CHECK(r.mean.chance_instance_mrr == Approx(canon::eval::chance_mrr(50)));
  CHECK(r.mean.instance_mrr_first_to_second > 5 * r.mean.chance_instance_mrr);
  CHECK(r.mean.instance_mrr_second_to_first > 5 * r.mean.chance_instance_mrr);
  CHECK(r.mean.class_mrr_first_to_second > r.mean.chance_class_mrr + 0.1);

  const Planted unrelated = planted(0.2, false);
  const auto u = canon::raposo::transfer_retrieval(unrelated.first, unrelated.second, unrelated.classes, config);
  INFO("unrelated instance MRR " << u.mean.instance_mrr_first_to_second);
  CHECK(u.mean.instance_mrr_first_to_second < 2 * u.mean.chance_instance_mrr);
}

TEST_CASE("transfer_retrieval rejects bad input", "[models]") {
  const auto config = small_config();
  const Planted p = planted(0.2, true);
  CHECK_THROWS_AS(canon::raposo::transfer_retrieval(p.first, Matrix<double>(p.second.leftCols(10)),
                                                    p.classes, config),
                  canon::shape_error);
  auto too_many = config;
  too_many.components = 9;
  CHECK_THROWS_WITH(canon::raposo::transfer_retrieval(p.first, p.second, p.classes, too_many),
                    Catch::Contains("components"));
  Matrix<double> bad = p.first;
  bad(0, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(canon::raposo::transfer_retrieval(bad, p.second, p.classes, config), canon::value_error);
}
