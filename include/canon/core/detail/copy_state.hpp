// canon/core/detail/copy_state.hpp — implementation of canon::copy_state.
#pragma once

#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon {

template <class From, class To>
void copy_state(From& from, To& to) {
  std::vector<Matrix<double>> values;
  from.visit_parameters([&](auto& p) { values.push_back(p.value.template cast<double>()); });
  from.visit_buffers([&](auto& b) { values.push_back(b.value.template cast<double>()); });
  std::size_t next = 0;
  auto assign = [&](auto& target, const std::string& name) {
    if (next >= values.size())
      throw shape_error(detail::message("copy_state: the target has more tensors than the "
                                        "source (", values.size(), "); extra: ", name));
    const auto& v = values[next++];
    detail::require_shape(target, v.rows(), v.cols(), "copy_state", name);
    using S = typename std::decay_t<decltype(target)>::Scalar;
    target = v.template cast<S>();
  };
  to.visit_parameters([&](auto& p) { assign(p.value, p.name); });
  to.visit_buffers([&](auto& b) { assign(b.value, b.name); });
  if (next != values.size())
    throw shape_error(detail::message("copy_state: the source has ", values.size(),
                                      " tensors, the target only ", next));
}

}  // namespace canon
