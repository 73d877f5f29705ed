// canon/core/detail/atomic_file.hpp — the old home of write_file_atomically, now public
// in canon/core/atomic_file.hpp; kept so that code written against it still builds.
#pragma once

#include "canon/core/atomic_file.hpp"

namespace canon::detail {
using canon::write_file_atomically;
}  // namespace canon::detail
