// canon/models/avramidis/eeg_branch.hpp — the EEG branch of Avramidis et al. 2022, at the
// sizes of the authors' released code (EEG_CrossModal, models.py EEG_LSTM):
//
//   input      a 3 s segment: 32 channels x 12 differential-entropy values, stored with
//              the 12 values fastest (the sequence layout: channels are the steps)
//   norm       batch norm per channel over the batch and the 12 values (their
//              BatchNorm1d(32) on (N, 32, 12)): TransposeSteps, BatchNorm1D, TransposeSteps
//   recurrent  LSTM(12 -> 128) over the channels, dropout 0.2, LSTM(128 -> 256), dropout 0.2
//   attention  softmax attention over the 32 steps, each step scaled by its weight and the
//              result flattened (32 x 256 = 8192): what the paper describes and the
//              authors' code intended (their softmax over an axis of one is the identity;
//              docs/attention.md)
//   output     Dense(8192 -> 128), dropout 0.3: the EEG embedding before the common layer
#pragma once

#include "canon/nn/attention.hpp"
#include "canon/nn/batch_norm1d.hpp"
#include "canon/nn/dense.hpp"
#include "canon/nn/dropout.hpp"
#include "canon/nn/lstm.hpp"
#include "canon/nn/sequential.hpp"
#include "canon/nn/transpose_steps.hpp"

namespace canon::avramidis {

struct EegBranchConfig {
  Index channels = 32;          ///< the LSTM's steps
  Index features = 12;          ///< per channel: 4 bands x 3 one-second frames
  Index hidden1 = 128, hidden2 = 256;
  double recurrent_dropout = 0.2;
  Index output = 128;
  double output_dropout = 0.3;
};

template <class Scalar>
nn::Sequential<Scalar> eeg_branch(const EegBranchConfig& c, Rng& rng, std::uint64_t dropout_seed) {
  nn::Sequential<Scalar> net;
  net.add(nn::TransposeSteps<Scalar>(c.features, c.channels));
  net.add(nn::BatchNorm1D<Scalar>(c.channels));
  net.add(nn::TransposeSteps<Scalar>(c.channels, c.features));
  net.add(nn::LSTM<Scalar>(c.features, c.hidden1, rng));
  if (c.recurrent_dropout > 0) net.add(nn::Dropout<Scalar>(c.recurrent_dropout, dropout_seed));
  net.add(nn::LSTM<Scalar>(c.hidden1, c.hidden2, rng));
  if (c.recurrent_dropout > 0) net.add(nn::Dropout<Scalar>(c.recurrent_dropout, dropout_seed + 1));
  nn::AttentionOptions attention;
  attention.output = nn::AttentionOutput::weighted_steps;
  net.add(nn::Attention<Scalar>(c.hidden2, c.channels, rng, attention));
  net.add(nn::Dense<Scalar>(c.hidden2 * c.channels, c.output, rng));
  if (c.output_dropout > 0) net.add(nn::Dropout<Scalar>(c.output_dropout, dropout_seed + 2));
  return net;
}

}  // namespace canon::avramidis
