// canon/signal.hpp — the canon::signal component (needs FFTW3): spectra, STFT,
// differential entropy and mel features, on top of the Eigen-only filters, resampling,
// wavelets and EEG cleaning that canon/canon.hpp already includes.
#pragma once

#include "canon/canon.hpp"
#include "canon/signal/differential_entropy.hpp"
#include "canon/signal/fft.hpp"
#include "canon/signal/mel.hpp"
#include "canon/signal/segmentation.hpp"
#include "canon/signal/stft.hpp"
#include "canon/signal/window.hpp"
