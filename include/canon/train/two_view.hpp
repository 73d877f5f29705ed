// canon/train/two_view.hpp — two networks, one per view, trained jointly by a loss of
// both outputs: the shape of Deep CCA models (Raposo 2017: audio and EEG branches;
// EMER-CL: music and emotion encoders).
//
// TwoView owns both branches and prefixes their tensor names ("audio.0.weight",
// "eeg.0.weight"), so one optimizer, one checkpoint and one early-stopping snapshot
// cover the whole model.
#pragma once

#include <string>
#include <utility>

#include "canon/core/parameter.hpp"

namespace canon::train {

template <class First, class Second>
class TwoView {
 public:
  using scalar_type = typename First::scalar_type;
  static_assert(std::is_same_v<scalar_type, typename Second::scalar_type>,
                "TwoView: both branches must use the same scalar type");

  TwoView(First first, Second second, std::string first_name = "first",
          std::string second_name = "second")
      : first_(std::move(first)), second_(std::move(second)) {
    if (first_name == second_name)
      throw error(canon::detail::message("TwoView: the branches need different names, both are '",
                                  first_name, "'"));
    auto prefix = [](auto& branch, const std::string& name) {
      branch.visit_parameters([&](Parameter<scalar_type>& p) { p.name = name + "." + p.name; });
      branch.visit_buffers([&](Buffer<scalar_type>& b) { b.name = name + "." + b.name; });
    };
    prefix(first_, first_name);
    prefix(second_, second_name);
  }

  First& first() { return first_; }
  Second& second() { return second_; }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    first_.visit_parameters(visit);
    second_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    first_.visit_buffers(visit);
    second_.visit_buffers(visit);
  }

 private:
  First first_;
  Second second_;
};

}  // namespace canon::train
