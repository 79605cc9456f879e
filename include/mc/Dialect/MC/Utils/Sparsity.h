//===- Sparsity.h - Pruning scores and selection ----------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// IR-independent helpers behind mc-prune: parsing an N:M pattern, counting
// how many weights a fraction removes, Wanda scores, and choosing the
// weights or filters to remove. A weight is seen as a row-major
// `rows x cols` matrix whose rows are output channels and whose columns run
// along the reduction dimension (linear: in_features; conv2d: the flattened
// [C_in/groups, KH, KW] of a filter).
//
// Determinism: every selection orders candidates by (score, flat index), so
// among equal scores the one with the lower index is removed first. The
// result never depends on the sort algorithm or on the platform.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_UTILS_SPARSITY_H
#define MC_DIALECT_MC_UTILS_SPARSITY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace mlir::mc {

/// "At most N non-zero weights in every group of M consecutive weights".
struct NMPattern {
  int64_t n = 0;
  int64_t m = 0;
  /// The fraction of weights an N:M pattern removes, (M - N) / M.
  double sparsity() const { return double(m - n) / double(m); }
};

/// Parses "N:M" (decimal integers, 0 < N < M). Anything else is an error
/// whose message says what is wrong.
llvm::Expected<NMPattern> parseNMPattern(llvm::StringRef text);

/// How many of `count` weights a fraction `sparsity` in [0, 1] removes:
/// round(sparsity * count), halves rounded up. Rounding (not truncation)
/// makes 0.3 * 10 remove 3 although 0.3 is not exact in binary.
int64_t numToPrune(int64_t count, double sparsity);

/// Magnitude scores: |w|.
llvm::SmallVector<float> magnitudeScores(llvm::ArrayRef<float> weights);

/// Wanda scores (Sun et al. 2023): |W[r, c]| * norm[c] for a `rows x cols`
/// weight. `norms` holds `groups * cols` values: rows are split into
/// `groups` equal blocks and block g uses norms[g * cols, (g + 1) * cols)
/// (grouped convolution; groups = 1 for everything else).
llvm::SmallVector<float> wandaScores(llvm::ArrayRef<float> weights,
                                     int64_t rows, int64_t cols,
                                     llvm::ArrayRef<float> norms,
                                     int64_t groups);

/// Marks (true) the `k` lowest entries of `scores` (ties: lower index
/// first). `k` is clamped to [0, scores.size()].
llvm::SmallVector<bool> selectLowest(llvm::ArrayRef<float> scores, int64_t k);

/// Splits `scores` into consecutive groups of `groupSize` (the last group
/// may be shorter) and marks the `k` lowest of each group; a shorter last
/// group loses `k` scaled down to its length (numToPrune of its share).
/// Used per row (groupSize = cols) and per N:M group (groupSize = M,
/// k = M - N).
llvm::SmallVector<bool> selectLowestPerGroup(llvm::ArrayRef<float> scores,
                                             int64_t groupSize, int64_t k);

/// L2 norm of each row of a `rows x cols` matrix, accumulated in double.
llvm::SmallVector<double> rowL2Norms(llvm::ArrayRef<float> weights,
                                     int64_t rows, int64_t cols);

/// The rows to keep when removing `numRemove` rows with the smallest norms
/// (ties: lower index removed first), in increasing order.
llvm::SmallVector<int64_t> keptRows(llvm::ArrayRef<double> norms,
                                    int64_t numRemove);

/// True when every group of `m` consecutive entries of each row of a
/// `rows x cols` matrix has at most `n` non-zeros (cols must be a multiple
/// of m).
bool satisfiesNM(llvm::ArrayRef<float> weights, int64_t rows, int64_t cols,
                 NMPattern pattern);

} // namespace mlir::mc

#endif // MC_DIALECT_MC_UTILS_SPARSITY_H
