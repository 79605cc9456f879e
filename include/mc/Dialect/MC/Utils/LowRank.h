//===- LowRank.h - SVD and rank choice for low-rank factoring ---*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The numerics behind mc-lowrank, free of any IR: the singular value
// decomposition of a weight matrix (Eigen's divide-and-conquer SVD, in
// double), the two rank rules (fraction of the full rank, fraction of the
// squared singular values), the cost test, and the balanced split of the
// truncated SVD into two factors.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_UTILS_LOWRANK_H
#define MC_DIALECT_MC_UTILS_LOWRANK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::mc {

/// Thin SVD `W = U Σ Vᵀ` of a row-major `rows × cols` matrix, `k =
/// min(rows, cols)` singular triplets in descending order of σ.
///
/// Singular vectors are only defined up to a common sign per triplet; the
/// sign is fixed so that the entry of largest magnitude of each left vector
/// `u_i` is positive (the first such entry on an exact tie). Factors are
/// then a deterministic function of the matrix wherever its singular values
/// are distinct.
class LowRankSVD {
public:
  /// Decomposes `matrix` (`rows * cols` values, row-major). Returns nullopt
  /// when the matrix is empty, has a non-finite entry, or Eigen reports
  /// that the decomposition failed.
  static std::optional<LowRankSVD> compute(llvm::ArrayRef<float> matrix,
                                           int64_t rows, int64_t cols);

  int64_t rows() const { return numRows; }
  int64_t cols() const { return numCols; }
  /// `min(rows, cols)`: the largest rank a factorization can have.
  int64_t maxRank() const { return (int64_t)sigma.size(); }

  /// σ_0 ≥ σ_1 ≥ ... ≥ σ_{k-1} ≥ 0.
  llvm::ArrayRef<double> singularValues() const { return sigma; }

  /// Fraction of the squared singular values kept at `rank`:
  /// `sum_{i<rank} σ_i² / sum_i σ_i²` (1 for the zero matrix).
  double energyKept(int64_t rank) const;

  /// The smallest rank `r ≥ 1` with `sum_{i<r} σ_i² ≥ (energy - 1e-12) ·
  /// sum_i σ_i²`. The slack of 1e-12 of the total is far below what f32
  /// weights resolve, and lets `energy = 1` stop at the numerical rank of a
  /// matrix that is low-rank up to f32 rounding. `energy` must be in (0, 1].
  int64_t rankForEnergy(double energy) const;

  /// The rank-`rank` truncation split evenly: `left = U_r √Σ_r`
  /// (`rows × rank`) and `right = √Σ_r V_rᵀ` (`rank × cols`), both
  /// row-major f32, so that `left · right` is the best rank-`rank`
  /// approximation of the matrix in the Frobenius norm (Eckart–Young).
  void factors(int64_t rank, llvm::SmallVectorImpl<float> &left,
               llvm::SmallVectorImpl<float> &right) const;

private:
  LowRankSVD(int64_t rows, int64_t cols) : numRows(rows), numCols(cols) {}

  int64_t numRows, numCols;
  llvm::SmallVector<double> sigma;
  /// `u[i * rows + j]`: entry j of left singular vector i.
  std::vector<double> u;
  /// `v[i * cols + j]`: entry j of right singular vector i.
  std::vector<double> v;
};

/// `ceil(ratio · min(rows, cols))`, at least 1 and at most `min(rows,
/// cols)`; a product within 1e-9 of an integer counts as that integer (so
/// `0.1 · 30` is 3, not 4). `ratio` must be in (0, 1].
int64_t rankForRatio(double ratio, int64_t rows, int64_t cols);

/// Whether replacing a `rows × cols` weight by factors of rank `rank` lowers
/// both the parameter count and the multiply-accumulates: `rank · (rows +
/// cols) < rows · cols`. (For a linear layer both counts per input row are
/// exactly these products; for a convolution, with `cols = C·KH·KW`, both
/// are these products times the number of output positions, which the
/// split keeps.)
bool lowRankReducesCost(int64_t rows, int64_t cols, int64_t rank);

} // namespace mlir::mc

#endif // MC_DIALECT_MC_UTILS_LOWRANK_H
