//===- MCOpFolders.cpp - Folders and canonicalizations of mc ops ----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Folders remove identities (x + 0, x * 1, identity transposes and slices,
// reshapes to the same type) and fold small constant math (shape arithmetic
// left over from import). Canonicalization patterns turn flatten, squeeze and
// unsqueeze into mc.reshape and collapse chains of reshapes and transposes.
// Weights held in dense_resource blobs are never folded here: that would copy
// megabytes for no gain.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mc;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// True when `attr` is a splat constant equal to `value` (integer or float).
static bool isSplatOf(Attribute attr, double value) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType))
    return splat.getSplatValue<APFloat>().convertToDouble() == value;
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().getSExtValue() == (int64_t)value;
  return false;
}

/// Folds `op(lhs, rhs)` on two constants of the result's type with the given
/// integer and float element functions.
template <typename IntFn, typename FloatFn>
static OpFoldResult foldBinaryConstants(Operation *op,
                                        ArrayRef<Attribute> operands,
                                        IntFn intFn, FloatFn floatFn) {
  Type resultType = op->getResult(0).getType();
  if (op->getOperand(0).getType() != resultType ||
      op->getOperand(1).getType() != resultType)
    return {};
  if (!llvm::all_of(operands, [](Attribute a) {
        return isa_and_present<DenseElementsAttr>(a);
      }))
    return {};
  Type elementType = cast<ShapedType>(resultType).getElementType();
  if (isa<IntegerType>(elementType))
    return constFoldBinaryOpConditional<IntegerAttr, IntegerAttr::ValueType, void>(
        operands, [&](const APInt &a, const APInt &b) { return intFn(a, b); });
  if (isa<FloatType>(elementType))
    return constFoldBinaryOpConditional<FloatAttr, FloatAttr::ValueType, void>(
        operands,
        [&](const APFloat &a, const APFloat &b) { return floatFn(a, b); });
  return {};
}

/// Returns `value` when the op's result has the same type as it.
static OpFoldResult identityIfSameType(Operation *op, Value value) {
  if (value.getType() == op->getResult(0).getType())
    return value;
  return {};
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

using OptAPInt = std::optional<APInt>;
using OptAPFloat = std::optional<APFloat>;

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = identityIfSameType(*this, getLhs()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 0))
    if (OpFoldResult r = identityIfSameType(*this, getRhs()))
      return r;
  return foldBinaryConstants(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) -> OptAPInt { return a + b; },
      [](const APFloat &a, const APFloat &b) -> OptAPFloat { return a + b; });
}

namespace {
/// add(linear(x, W), b) -> linear(x, W, b) when the linear has no bias and no
/// other user and b is a constant vector of out_features (possibly with
/// leading unit dimensions). PyTorch exports nn.Linear on 3-D inputs as
/// MatMul + Add; this gives passes the whole layer again.
struct FuseLinearBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [layerValue, biasValue] :
         {std::pair(op.getLhs(), op.getRhs()), std::pair(op.getRhs(), op.getLhs())}) {
      auto linear = layerValue.getDefiningOp<LinearOp>();
      if (!linear || linear.getBias() || !linear->hasOneUse())
        continue;
      if (linear.getType() != op.getType())
        continue;
      auto biasType = cast<RankedTensorType>(biasValue.getType());
      int64_t n = linear.getWeight().getType().getDimSize(0);
      if (!biasType.hasStaticShape() || biasType.getNumElements() != n ||
          biasType.getRank() == 0 || biasType.getShape().back() != n)
        continue;
      if (!matchPattern(biasValue, m_Constant()))
        continue;
      Value bias = biasValue;
      if (biasType.getRank() != 1)
        bias = ReshapeOp::create(rewriter, op.getLoc(),
                                 RankedTensorType::get({n}, biasType.getElementType()),
                                 biasValue);
      rewriter.replaceOpWithNewOp<LinearOp>(op, op.getType(), linear.getInput(),
                                            linear.getWeight(), bias);
      rewriter.eraseOp(linear);
      return success();
    }
    return rewriter.notifyMatchFailure(op, "not a bias-free linear plus a "
                                           "constant vector");
  }
};
} // namespace

void AddOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<FuseLinearBias>(context);
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = identityIfSameType(*this, getLhs()))
      return r;
  return foldBinaryConstants(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) -> OptAPInt { return a - b; },
      [](const APFloat &a, const APFloat &b) -> OptAPFloat { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = identityIfSameType(*this, getLhs()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 1))
    if (OpFoldResult r = identityIfSameType(*this, getRhs()))
      return r;
  return foldBinaryConstants(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) -> OptAPInt { return a * b; },
      [](const APFloat &a, const APFloat &b) -> OptAPFloat { return a * b; });
}

namespace {
/// The value of a float splat constant, if `v` is one.
static std::optional<double> splatValue(Value v) {
  SplatElementsAttr splat;
  if (!matchPattern(v, m_Constant(&splat)) ||
      !isa<FloatType>(splat.getElementType()))
    return std::nullopt;
  return splat.getSplatValue<APFloat>().convertToDouble();
}

static bool near(std::optional<double> v, double want) {
  return v && std::abs(*v - want) <= 1e-6 * std::abs(want);
}

/// If `v` is `op(x, c)` or `op(c, x)` (commutative ops only for the second)
/// with a splat constant c, returns x and c.
template <typename OpTy>
static std::optional<std::pair<Value, double>> withConstant(Value v) {
  auto op = v.getDefiningOp<OpTy>();
  if (!op)
    return std::nullopt;
  if (std::optional<double> c = splatValue(op.getRhs()))
    return std::make_pair(op.getLhs(), *c);
  if (OpTy::template hasTrait<OpTrait::IsCommutative>())
    if (std::optional<double> c = splatValue(op.getLhs()))
      return std::make_pair(op.getRhs(), *c);
  return std::nullopt;
}

/// x * 0.5 * (1 + erf(x / sqrt(2))) in any association -> mc.gelu(x), the
/// form PyTorch exports nn.GELU in (ONNX has no Gelu before opset 20).
struct FuseErfGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Matches 1 + erf(x / sqrt 2) (or erf(x * 1/sqrt 2)) and returns x.
  static Value matchErfTerm(Value v) {
    auto plusOne = withConstant<AddOp>(v);
    if (!plusOne || !near(plusOne->second, 1.0))
      return nullptr;
    auto erf = plusOne->first.getDefiningOp<ErfOp>();
    if (!erf)
      return nullptr;
    if (auto d = withConstant<DivOp>(erf.getInput()); d && near(d->second, M_SQRT2))
      return d->first;
    if (auto m = withConstant<MulOp>(erf.getInput()); m && near(m->second, M_SQRT1_2))
      return m->first;
    return nullptr;
  }

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    // Shapes: (x * half) * term, (x * term) * half, x * (term * half), ...
    Value x;
    auto tryForm = [&](Value a, Value b) {
      // a = x * 0.5 (or x * term), b = term (or 0.5)
      if (auto half = withConstant<MulOp>(a); half && near(half->second, 0.5))
        if (Value t = matchErfTerm(b); t && t == half->first)
          return t;
      if (auto outer = splatValue(b); near(outer, 0.5))
        if (auto inner = a.getDefiningOp<MulOp>()) {
          for (auto [p, q] : {std::pair(inner.getLhs(), inner.getRhs()),
                              std::pair(inner.getRhs(), inner.getLhs())})
            if (Value t = matchErfTerm(q); t && t == p)
              return t;
        }
      return Value();
    };
    for (auto [a, b] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())})
      if ((x = tryForm(a, b)))
        break;
    if (!x || x.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not the erf form of GELU");
    rewriter.replaceOpWithNewOp<GeluOp>(op, x);
    return success();
  }
};
} // namespace

void MulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<FuseErfGelu>(context);
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = identityIfSameType(*this, getLhs()))
      return r;
  // ui8 operands divide unsigned; every other integer type is signed.
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinaryConstants(
      *this, adaptor.getOperands(),
      [isUnsigned](const APInt &a, const APInt &b) -> OptAPInt {
        // Division by zero (and INT_MIN / -1) is left to run time.
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.udiv(b);
        if (a.isMinSignedValue() && b.isAllOnes())
          return std::nullopt;
        return a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) -> OptAPFloat { return a / b; });
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  if (!getMin() && !getMax())
    return getInput();
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  return identityIfSameType(*this, getInput());
}

//===----------------------------------------------------------------------===//
// ReshapeOp and the ops that canonicalize into it
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = identityIfSameType(*this, getInput()))
    return r;
  // Reshaping a literal constant is a new literal of the result's shape.
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the last shape matters.
struct CollapseReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), producer.getInput());
    return success();
  }
};

/// flatten / squeeze / unsqueeze are reshapes; rewriting them as mc.reshape
/// lets one pattern collapse every chain of shape-only ops.
template <typename OpTy>
struct ShapeOpToReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getNumDynamicDims() > 1)
      return rewriter.notifyMatchFailure(op, "more than one dynamic dimension");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, resultType, op.getInput());
    return success();
  }
};

/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(producer.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, producer.getInput(), perm);
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<CollapseReshapeChain>(context);
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ShapeOpToReshape<FlattenOp>>(context);
}

void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ShapeOpToReshape<SqueezeOp>>(context);
}

void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ShapeOpToReshape<UnsqueezeOp>>(context);
}

//===----------------------------------------------------------------------===//
// TransposeOp, ConcatOp, SliceOp, StorageCastOp
//===----------------------------------------------------------------------===//

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if ((int64_t)i != p)
      return {};
  return getInput();
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return identityIfSameType(*this, getInputs().front());
  // Concatenation of small literal integer vectors (shape math).
  auto type = getType();
  if (type.getRank() != 1 || !type.hasStaticShape() ||
      !isa<IntegerType>(type.getElementType()))
    return {};
  SmallVector<APInt> values;
  for (Attribute a : adaptor.getInputs()) {
    auto dense = dyn_cast_if_present<DenseIntElementsAttr>(a);
    if (!dense)
      return {};
    llvm::append_range(values, dense.getValues<APInt>());
  }
  return DenseIntElementsAttr::get(type, values);
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  auto input = getInput().getType();
  for (auto [i, axis] : llvm::enumerate(getAxes())) {
    int64_t a = axis < 0 ? axis + input.getRank() : axis;
    if (getStarts()[i] != 0 || getSteps()[i] != 1 ||
        getSizes()[i] != input.getDimSize(a))
      return {};
  }
  return identityIfSameType(*this, getInput());
}

OpFoldResult StorageCastOp::fold(FoldAdaptor) {
  if (auto producer = getInput().getDefiningOp<StorageCastOp>())
    return identityIfSameType(*this, producer.getInput());
  return {};
}
