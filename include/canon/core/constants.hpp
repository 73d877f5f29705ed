// canon/core/constants.hpp — mathematical constants, defined once for all of canon.
#pragma once

namespace canon {

/// pi in the precision of T (pi_v<double> is the double nearest pi, like M_PI).
template <class T>
inline constexpr T pi_v = static_cast<T>(3.141592653589793238462643383279502884L);

inline constexpr double pi = pi_v<double>;

}  // namespace canon
