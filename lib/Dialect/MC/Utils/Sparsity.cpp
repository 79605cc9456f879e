//===- Sparsity.cpp - Pruning scores and selection ------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/Sparsity.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace llvm;
using namespace mlir::mc;

Expected<NMPattern> mlir::mc::parseNMPattern(StringRef text) {
  auto [lhs, rhs] = text.split(':');
  NMPattern pattern;
  if (text.count(':') != 1 || lhs.getAsInteger(10, pattern.n) ||
      rhs.getAsInteger(10, pattern.m))
    return createStringError(inconvertibleErrorCode(),
                             "expected 'N:M' with decimal integers, got '" +
                                 text + "'");
  if (pattern.n <= 0 || pattern.m <= pattern.n)
    return createStringError(inconvertibleErrorCode(),
                             "N:M pattern '" + text + "' must have 0 < N < M");
  return pattern;
}

int64_t mlir::mc::numToPrune(int64_t count, double sparsity) {
  double k = std::floor(sparsity * double(count) + 0.5);
  return std::clamp<int64_t>((int64_t)k, 0, count);
}

SmallVector<float> mlir::mc::magnitudeScores(ArrayRef<float> weights) {
  SmallVector<float> scores(weights.size());
  for (size_t i = 0; i < weights.size(); ++i)
    scores[i] = std::fabs(weights[i]);
  return scores;
}

SmallVector<float> mlir::mc::wandaScores(ArrayRef<float> weights, int64_t rows,
                                         int64_t cols, ArrayRef<float> norms,
                                         int64_t groups) {
  SmallVector<float> scores(weights.size());
  int64_t rowsPerGroup = rows / groups;
  for (int64_t r = 0; r < rows; ++r) {
    ArrayRef<float> norm = norms.slice((r / rowsPerGroup) * cols, cols);
    for (int64_t c = 0; c < cols; ++c)
      scores[r * cols + c] = std::fabs(weights[r * cols + c]) * norm[c];
  }
  return scores;
}

/// Marks the k lowest of scores[begin, end) in `mask`.
static void markLowest(ArrayRef<float> scores, size_t begin, size_t end,
                       int64_t k, SmallVectorImpl<bool> &mask) {
  size_t len = end - begin;
  k = std::clamp<int64_t>(k, 0, len);
  if (k == 0)
    return;
  SmallVector<size_t> order(len);
  std::iota(order.begin(), order.end(), begin);
  // (score, index) is a total order: the selection is unique. NaN scores
  // cannot occur for finite weights; they would sort last here.
  auto less = [&](size_t a, size_t b) {
    float sa = scores[a], sb = scores[b];
    if (sa != sb && !(std::isnan(sa) || std::isnan(sb)))
      return sa < sb;
    if (std::isnan(sa) != std::isnan(sb))
      return std::isnan(sb);
    return a < b;
  };
  std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), less);
  for (int64_t i = 0; i < k; ++i)
    mask[order[i]] = true;
}

SmallVector<bool> mlir::mc::selectLowest(ArrayRef<float> scores, int64_t k) {
  SmallVector<bool> mask(scores.size(), false);
  markLowest(scores, 0, scores.size(), k, mask);
  return mask;
}

SmallVector<bool> mlir::mc::selectLowestPerGroup(ArrayRef<float> scores,
                                                 int64_t groupSize, int64_t k) {
  SmallVector<bool> mask(scores.size(), false);
  for (size_t begin = 0; begin < scores.size(); begin += groupSize) {
    size_t end = std::min(scores.size(), begin + (size_t)groupSize);
    int64_t groupK = (int64_t)(end - begin) == groupSize
                         ? k
                         : numToPrune(end - begin, double(k) / groupSize);
    markLowest(scores, begin, end, groupK, mask);
  }
  return mask;
}

SmallVector<double> mlir::mc::rowL2Norms(ArrayRef<float> weights, int64_t rows,
                                         int64_t cols) {
  SmallVector<double> norms(rows, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (int64_t c = 0; c < cols; ++c)
      sum += double(weights[r * cols + c]) * weights[r * cols + c];
    norms[r] = std::sqrt(sum);
  }
  return norms;
}

SmallVector<int64_t> mlir::mc::keptRows(ArrayRef<double> norms,
                                        int64_t numRemove) {
  // Compare in double: two norms that differ only beyond float precision
  // must still be ordered by their true value.
  SmallVector<int64_t> order(norms.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return norms[a] < norms[b]; });
  numRemove = std::clamp<int64_t>(numRemove, 0, norms.size());
  SmallVector<bool> removed(norms.size(), false);
  for (int64_t i = 0; i < numRemove; ++i)
    removed[order[i]] = true;
  SmallVector<int64_t> kept;
  for (int64_t r = 0; r < (int64_t)norms.size(); ++r)
    if (!removed[r])
      kept.push_back(r);
  return kept;
}

bool mlir::mc::satisfiesNM(ArrayRef<float> weights, int64_t rows, int64_t cols,
                           NMPattern pattern) {
  if (cols % pattern.m != 0)
    return false;
  for (int64_t begin = 0; begin < rows * cols; begin += pattern.m) {
    int64_t nonZeros = 0;
    for (int64_t i = begin; i < begin + pattern.m; ++i)
      nonZeros += weights[i] != 0.0f;
    if (nonZeros > pattern.n)
      return false;
  }
  return true;
}
