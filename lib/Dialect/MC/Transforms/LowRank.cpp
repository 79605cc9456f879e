//===- LowRank.cpp - Split layers into two low-rank layers ----------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-lowrank: the constant weight of an mc.linear or mc.conv2d is
// replaced by the two factors of its truncated SVD, and the layer by two
// layers of rank r (linear -> linear, conv k×k -> conv 1×1), wherever that
// lowers the parameter and multiply-accumulate counts. The numerics live in
// mc/Dialect/MC/Utils/LowRank.h.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/LowRank.h"
#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>

namespace mlir::mc {
#define GEN_PASS_DEF_MCLOWRANKPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

/// Attribute on both layers of a split: `{rank, energy}`.
constexpr StringLiteral kLowRankAttr = "mc.lowrank";
/// Attributes of the compression contract (docs/Rationale/Compression.md).
constexpr StringLiteral kSparsityAttr = "mc.sparsity";
constexpr StringLiteral kColNormAttr = "mc.calib_col_norm";

/// The name of the layer's location (`loc("fc1")`, also inside a fused or
/// call-site location), or "" when it has none.
static StringRef layerName(Operation *op) {
  StringRef name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc)) {
      name = named.getName().getValue();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

struct MCLowRankPass : mc::impl::MCLowRankPassBase<MCLowRankPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override;
  void runOnOperation() override;

private:
  /// Splits `layer` (an mc.linear or mc.conv2d) when the rules allow it.
  void visitLayer(Operation *layer, const llvm::StringSet<> &skipped);
};

/// `x` as the shortest decimal that reads back the same (`0.5`, `1.5`).
static std::string show(double x) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.17g", x);
  for (int digits = 1; digits < 17; ++digits) {
    std::string shorter;
    llvm::raw_string_ostream(shorter) << llvm::format("%.*g", digits, x);
    if (std::strtod(shorter.c_str(), nullptr) == x || std::isnan(x))
      return shorter;
  }
  return text;
}

LogicalResult MCLowRankPass::initialize(MLIRContext *ctx) {
  auto fail = [&]() {
    return emitError(UnknownLoc::get(ctx)) << "mc-lowrank: ";
  };
  auto inRange = [](double x) { return x > 0.0 && x <= 1.0; };
  bool ratioGiven = rankRatio != 0.0, energyGiven = energy != 0.0;
  if (ratioGiven && energyGiven)
    return fail() << "'rank-ratio' and 'energy' exclude each other; give one";
  if (!ratioGiven && !energyGiven) {
    // An explicit 0 (parsed from the pipeline text) is a request for rank 0.
    if (rankRatio.hasValue() && !energy.hasValue())
      return fail() << "'rank-ratio' must be in (0, 1], got 0 (rank 0 keeps "
                       "nothing)";
    if (energy.hasValue() && !rankRatio.hasValue())
      return fail() << "'energy' must be in (0, 1], got 0 (rank 0 keeps "
                       "nothing)";
    return fail() << "give the rank rule: 'rank-ratio' or 'energy', in (0, 1]";
  }
  if (ratioGiven && !inRange(rankRatio))
    return fail() << "'rank-ratio' must be in (0, 1], got " << show(rankRatio);
  if (energyGiven && !inRange(energy))
    return fail() << "'energy' must be in (0, 1], got " << show(energy);
  if (minParams < 0)
    return fail() << "'min-params' must not be negative, got "
                  << (int64_t)minParams;
  for (const std::string &name : skip)
    if (name.empty())
      return fail() << "'skip' holds an empty name";
  return success();
}

void MCLowRankPass::runOnOperation() {
  llvm::StringSet<> skipped;
  for (const std::string &name : skip)
    skipped.insert(name);
  SmallVector<Operation *> layers;
  getOperation().walk([&](Operation *op) {
    if (isa<LinearOp, Conv2DOp>(op))
      layers.push_back(op);
  });
  for (Operation *layer : layers)
    visitLayer(layer, skipped);
}

void MCLowRankPass::visitLayer(Operation *layer,
                               const llvm::StringSet<> &skipped) {
  auto leave = [&](llvm::Statistic &stat, const Twine &why) {
    ++stat;
    if (remarks)
      layer->emitRemark() << "mc-lowrank: left alone: " << why;
  };
  auto linear = dyn_cast<LinearOp>(layer);
  auto conv = dyn_cast<Conv2DOp>(layer);
  Value input = linear ? linear.getInput() : conv.getInput();
  Value weight = linear ? linear.getWeight() : conv.getWeight();
  Value bias = linear ? linear.getBias() : conv.getBias();

  StringRef name = layerName(layer);
  if (!name.empty() && skipped.contains(name))
    return leave(numSkippedByName, "named in 'skip'");
  if (layer->hasAttr(kLowRankAttr))
    return leave(numSkippedOther, "already a low-rank factor");
  if (layer->hasAttr(kSparsityAttr))
    return leave(numSkippedOther,
                 "pruned (mc.sparsity); dense factors would undo it");
  if (conv && conv.getGroups() != 1)
    return leave(numSkippedGrouped, "grouped convolution");
  auto weightType = cast<RankedTensorType>(weight.getType());
  auto resultType = cast<RankedTensorType>(layer->getResult(0).getType());
  auto inputType = cast<RankedTensorType>(input.getType());
  if (!weightType.getElementType().isF32() ||
      !resultType.getElementType().isF32() ||
      !inputType.getElementType().isF32() || !weightType.hasStaticShape())
    return leave(numSkippedOther, "not an f32 layer with a static weight");
  if (weightType.getNumElements() < minParams)
    return leave(numSkippedSmall, Twine(weightType.getNumElements()) +
                                      " weights, fewer than 'min-params'");
  ElementsAttr weightAttr;
  std::optional<SmallVector<float>> values;
  if (matchPattern(weight, m_Constant(&weightAttr)))
    values = getF32Values(weightAttr);
  if (!values)
    return leave(numSkippedOther, "the weight is not a readable constant");

  // The weight as a matrix: linear [out, in]; conv [F, C·KH·KW].
  int64_t rows = weightType.getDimSize(0);
  int64_t cols = weightType.getNumElements() / rows;
  std::optional<LowRankSVD> svd = LowRankSVD::compute(*values, rows, cols);
  if (!svd)
    return leave(numSkippedOther, "non-finite weights (no SVD)");
  int64_t rank = rankRatio != 0.0 ? rankForRatio(rankRatio, rows, cols)
                                  : svd->rankForEnergy(energy);
  int64_t before = rows * cols, after = rank * (rows + cols);
  if (!lowRankReducesCost(rows, cols, rank))
    return leave(numNotProfitable,
                 llvm::formatv("rank {0} would not lower parameters and MACs "
                               "({1} >= {2})",
                               rank, after, before));
  SmallVector<float> left, right;
  svd->factors(rank, left, right);

  MLIRContext *ctx = &getContext();
  OpBuilder b(layer);
  Location loc = layer->getLoc();
  Location firstLoc =
      name.empty() ? loc
                   : Location(NameLoc::get(
                         StringAttr::get(ctx, name + ".lowrank_in"), loc));
  std::string prefix = name.empty() ? std::string() : (name + ".").str();
  Type f32 = Float32Type::get(ctx);

  // First factor B = √Σ Vᵀ reads the input; second factor A = U √Σ writes
  // the result. For a convolution, B keeps the kernel window and A is 1×1.
  SmallVector<int64_t> firstShape = {rank, cols};
  SmallVector<int64_t> secondShape = {rows, rank};
  if (conv) {
    firstShape = {rank, weightType.getDimSize(1), weightType.getDimSize(2),
                  weightType.getDimSize(3)};
    secondShape = {rows, rank, 1, 1};
  }
  Value firstWeight = ConstantOp::create(
      b, loc,
      createWeightAttr(RankedTensorType::get(firstShape, f32),
                       prefix + "lowrank_in.weight", ArrayRef<float>(right)));
  Value secondWeight = ConstantOp::create(
      b, loc,
      createWeightAttr(RankedTensorType::get(secondShape, f32),
                       prefix + "lowrank_out.weight", ArrayRef<float>(left)));

  Operation *first, *second;
  if (linear) {
    first = LinearOp::create(b, firstLoc, input, firstWeight, Value());
    second = LinearOp::create(b, loc, first->getResult(0), secondWeight, bias);
  } else {
    first = Conv2DOp::create(b, firstLoc, input, firstWeight, Value(),
                             conv.getStrides(), conv.getPads(),
                             conv.getDilations(), /*groups=*/1);
    second = Conv2DOp::create(b, loc, first->getResult(0), secondWeight, bias);
  }

  // The second layer stands for the original one: it keeps its discardable
  // attributes, except the input-column norms, which belong to the first.
  for (NamedAttribute attr : layer->getDiscardableAttrs()) {
    Operation *target = attr.getName() == kColNormAttr ? first : second;
    target->setAttr(attr.getName(), attr.getValue());
  }
  double kept = svd->energyKept(rank);
  auto info = DictionaryAttr::get(
      ctx, {NamedAttribute(StringAttr::get(ctx, "rank"),
                           IntegerAttr::get(IntegerType::get(ctx, 64), rank)),
            NamedAttribute(StringAttr::get(ctx, "energy"),
                           FloatAttr::get(Float64Type::get(ctx), kept))});
  first->setAttr(kLowRankAttr, info);
  second->setAttr(kLowRankAttr, info);
  if (remarks)
    second->emitRemark() << "mc-lowrank: split at rank " << rank << " keeping "
                         << llvm::formatv("{0:F6}", kept).str()
                         << " of the energy: " << before << " -> " << after
                         << " weights";

  layer->getResult(0).replaceAllUsesWith(second->getResult(0));
  layer->erase();
  if (Operation *def = weight.getDefiningOp(); def && def->use_empty())
    def->erase();
  ++numFactored;
  numParamsRemoved += before - after;
}

} // namespace
