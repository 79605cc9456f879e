//===- MCToLinalg.cpp - Lowering of mc ops to linalg ----------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Conversion patterns from the float and shape ops of the mc dialect to
// linalg (named ops where they exist, linalg.generic otherwise), tensor,
// arith and math, all on tensors. Dynamic dimensions (in practice the batch)
// are read with tensor.dim and passed to tensor.empty.
//
// Numeric rules that the patterns encode (and test/Integration/CPU checks):
// - max pooling pads with -inf, so padding never wins;
// - average pooling divides by the number of elements of the window inside
//   the input (count_include_pad = false) or inside the explicitly padded
//   input (count_include_pad = true); the extra rows/columns that ceil_mode
//   adds are never counted (PyTorch's rule);
// - softmax subtracts the maximum along the axis before exponentiating;
// - layer norm uses the biased variance, computed in two passes;
// - gather wraps negative indices once and clamps out-of-range ones.
//
//===----------------------------------------------------------------------===//

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mc/Dialect/MC/IR/MCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mc;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Integer element types arith can compute on (signless, wider than i1).
bool isArithInt(Type t) {
  return t.isSignlessInteger() && t.getIntOrFloatBitWidth() > 1;
}

bool isFloatOrArithInt(Type t) { return isa<FloatType>(t) || isArithInt(t); }

/// `axis` counted from the end when negative (I64Attr getters return it as
/// uint64_t). The result may still be out of [0, rank): callers check.
int64_t normalizeAxis(uint64_t axis, int64_t rank) {
  int64_t a = static_cast<int64_t>(axis);
  return a < 0 ? a + rank : a;
}

/// True when `op` touches a tensor of quantized values.
bool involvesQuantizedTensor(Operation *op) {
  auto isQuant = [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return shaped && isa<quant::QuantizedType>(shaped.getElementType());
  };
  return llvm::any_of(op->getOperandTypes(), isQuant) ||
         llvm::any_of(op->getResultTypes(), isQuant);
}

Value floatConst(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value negInfConst(OpBuilder &b, Location loc, Type type) {
  auto floatType = cast<FloatType>(type);
  return arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(type, APFloat::getInf(floatType.getFloatSemantics(),
                                           /*Negative=*/true)));
}

Value zeroConst(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
}

Value indexConst(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// An index value (or attribute) to a floating-point value of `type`.
Value indexToFloat(OpBuilder &b, Location loc, OpFoldResult size, Type type) {
  if (std::optional<int64_t> c = getConstantIntValue(size))
    return floatConst(b, loc, type, static_cast<double>(*c));
  Value i64 =
      arith::IndexCastOp::create(b, loc, b.getI64Type(), cast<Value>(size));
  return arith::UIToFPOp::create(b, loc, type, i64);
}

/// Product of sizes as an index value (or attribute when all are static).
OpFoldResult productOf(OpBuilder &b, Location loc,
                       ArrayRef<OpFoldResult> sizes) {
  int64_t staticProduct = 1;
  Value dynamicProduct;
  for (OpFoldResult size : sizes) {
    if (std::optional<int64_t> c = getConstantIntValue(size)) {
      staticProduct *= *c;
      continue;
    }
    Value v = cast<Value>(size);
    dynamicProduct =
        dynamicProduct ? arith::MulIOp::create(b, loc, dynamicProduct, v) : v;
  }
  if (!dynamicProduct)
    return b.getIndexAttr(staticProduct);
  if (staticProduct != 1)
    dynamicProduct = arith::MulIOp::create(b, loc, dynamicProduct,
                                           indexConst(b, loc, staticProduct));
  return dynamicProduct;
}

/// A tensor.empty of `type`; its dynamic dimensions take their sizes from
/// `sizes` (one entry per dimension, static entries are ignored).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamicSizes;
  for (auto [i, dim] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(dim))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[i]));
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 dynamicSizes);
}

/// A tensor of `type` filled with `scalar`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<OpFoldResult> sizes, Value scalar) {
  Value empty = createEmpty(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// Builds a linalg.generic with one output `init`. `body` receives the
/// block arguments (inputs, then the output) and returns the value to yield.
Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init,
                   AffineMap outputMap, ArrayRef<utils::IteratorType> iterators,
                   BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return generic.getResult(0);
}

/// The map from the loops of a `resultShape` iteration space to an operand
/// of `shape` that broadcasts against it with NumPy rules (aligned at the
/// trailing dimension; a stretched unit dimension always reads index 0).
AffineMap broadcastMap(ArrayRef<int64_t> shape, ArrayRef<int64_t> resultShape,
                       MLIRContext *ctx) {
  int64_t offset = resultShape.size() - shape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (dim == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

/// Checks that every dynamic dimension of `resultShape` can be read from one
/// of `operands`, NumPy-aligned on their first `ranks[k]` dimensions.
bool canInferBroadcastSizes(ArrayRef<int64_t> resultShape, ValueRange operands,
                            ArrayRef<int64_t> ranks) {
  int64_t resultRank = resultShape.size();
  for (int64_t i = 0; i < resultRank; ++i) {
    if (!ShapedType::isDynamic(resultShape[i]))
      continue;
    bool found = false;
    for (auto [v, rank] : llvm::zip(operands, ranks)) {
      int64_t j = i - (resultRank - rank);
      if (j >= 0 && tensorType(v).isDynamicDim(j))
        found = true;
    }
    if (!found)
      return false;
  }
  return true;
}

/// The sizes of a broadcast result: static dimensions as attributes, dynamic
/// ones read (tensor.dim) from the first operand whose aligned dimension is
/// dynamic. Call canInferBroadcastSizes first.
SmallVector<OpFoldResult> broadcastSizes(OpBuilder &b, Location loc,
                                         ArrayRef<int64_t> resultShape,
                                         ValueRange operands,
                                         ArrayRef<int64_t> ranks) {
  int64_t resultRank = resultShape.size();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < resultRank; ++i) {
    OpFoldResult size = b.getIndexAttr(resultShape[i]);
    if (ShapedType::isDynamic(resultShape[i])) {
      for (auto [v, rank] : llvm::zip(operands, ranks)) {
        int64_t j = i - (resultRank - rank);
        if (j >= 0 && tensorType(v).isDynamicDim(j)) {
          size = tensor::getMixedSize(b, loc, v, j);
          break;
        }
      }
    }
    sizes.push_back(size);
  }
  return sizes;
}

/// Elementwise `body` over `operands` broadcast (NumPy) to `resultType`, as
/// one linalg.generic. Fails when a dynamic result size has no source.
FailureOr<Value> buildElementwise(OpBuilder &b, Location loc,
                                  RankedTensorType resultType,
                                  ValueRange operands, BodyFn body) {
  ArrayRef<int64_t> resultShape = resultType.getShape();
  SmallVector<int64_t> ranks = llvm::map_to_vector(
      operands, [](Value v) { return tensorType(v).getRank(); });
  if (!canInferBroadcastSizes(resultShape, operands, ranks))
    return failure();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value v : operands)
    maps.push_back(broadcastMap(tensorType(v).getShape(), resultShape, ctx));
  Value init = createEmpty(
      b, loc, resultType, broadcastSizes(b, loc, resultShape, operands, ranks));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  return buildGeneric(
      b, loc, operands, maps, init,
      AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx), iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return body(nb, nl, args.drop_back());
      });
}

/// The reassociation that collapses a shape of `rank` dimensions by dropping
/// the dimensions marked in `drop` (all of static size 1): each dropped
/// dimension joins the group of the next kept one, trailing dropped ones the
/// last group. Dropping everything gives the empty reassociation (rank 0).
SmallVector<ReassociationIndices> dropUnitDims(int64_t rank,
                                               ArrayRef<bool> drop) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < rank; ++i) {
    pending.push_back(i);
    if (!drop[i]) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    llvm::append_range(groups.back(), pending);
  return groups;
}

/// Checks a collapse reassociation from `big` to `small`: every static
/// target dimension is the product of static source dimensions, every
/// dynamic one has a dynamic source.
bool isValidCollapse(ArrayRef<int64_t> big, ArrayRef<int64_t> small,
                     ArrayRef<ReassociationIndices> groups) {
  if (groups.size() != small.size())
    return false;
  for (auto [group, target] : llvm::zip(groups, small)) {
    bool dynamic = false;
    int64_t product = 1;
    for (int64_t i : group) {
      if (ShapedType::isDynamic(big[i]))
        dynamic = true;
      else
        product *= big[i];
    }
    if (ShapedType::isDynamic(target) != dynamic)
      return false;
    if (!dynamic && product != target)
      return false;
  }
  return true;
}

/// Collapses `v` to one dimension (expands a rank-0 tensor to [1]).
Value flattenTo1D(OpBuilder &b, Location loc, Value v) {
  auto type = tensorType(v);
  if (type.getRank() == 1)
    return v;
  if (type.getRank() == 0)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1}, type.getElementType()), v,
        ArrayRef<ReassociationIndices>{},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  return tensor::CollapseShapeOp::create(
      b, loc, v, SmallVector<ReassociationIndices>{all});
}

/// Pads dimensions 2 and 3 (H and W) of an NCHW tensor with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input, int64_t top,
                 int64_t left, int64_t bottom, int64_t right, Value value) {
  if (top == 0 && left == 0 && bottom == 0 && right == 0)
    return input;
  auto type = tensorType(input);
  SmallVector<int64_t> shape(type.getShape());
  if (!ShapedType::isDynamic(shape[2]))
    shape[2] += top + bottom;
  if (!ShapedType::isDynamic(shape[3]))
    shape[3] += left + right;
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(top), b.getIndexAttr(left)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

/// Broadcasts the batch dimensions of `v` (all but the last two) to
/// `batchShape`/`batchSizes` with linalg.broadcast: unit dimensions that
/// stretch are collapsed away first, missing leading ones are added.
Value broadcastBatch(OpBuilder &b, Location loc, Value v,
                     ArrayRef<int64_t> batchShape,
                     ArrayRef<OpFoldResult> batchSizes) {
  auto type = tensorType(v);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank();
  int64_t vBatch = rank - 2;
  int64_t outBatch = batchShape.size();
  if (vBatch == outBatch && shape.drop_back(2) == batchShape)
    return v;
  int64_t offset = outBatch - vBatch;
  SmallVector<bool> stretched(rank, false);
  SmallVector<int64_t> dimensions;
  for (int64_t i = 0; i < offset; ++i)
    dimensions.push_back(i);
  for (int64_t i = 0; i < vBatch; ++i) {
    if (shape[i] == 1 && batchShape[offset + i] != 1) {
      stretched[i] = true;
      dimensions.push_back(offset + i);
    }
  }
  Value source = v;
  if (llvm::is_contained(stretched, true))
    source = tensor::CollapseShapeOp::create(b, loc, v,
                                             dropUnitDims(rank, stretched));
  SmallVector<int64_t> outShape(batchShape);
  outShape.append({shape[rank - 2], shape[rank - 1]});
  SmallVector<OpFoldResult> outSizes(batchSizes);
  outSizes.push_back(tensor::getMixedSize(b, loc, v, rank - 2));
  outSizes.push_back(tensor::getMixedSize(b, loc, v, rank - 1));
  Value init = createEmpty(
      b, loc, RankedTensorType::get(outShape, type.getElementType()), outSizes);
  return linalg::BroadcastOp::create(b, loc, source, init, dimensions)
      .getResult()[0];
}

//===----------------------------------------------------------------------===//
// Pattern base
//===----------------------------------------------------------------------===//

/// OpConversionPattern with a helper for the converted result type.
template <typename OpTy>
struct MCConversionPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

protected:
  RankedTensorType getResultType(OpTy op) const {
    return dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
  }
};

//===----------------------------------------------------------------------===//
// mc.constant
//===----------------------------------------------------------------------===//

struct ConstantOpLowering : MCConversionPattern<ConstantOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType || resultType != op.getType())
      return rewriter.notifyMatchFailure(op, "result type changes");
    Type elementType = resultType.getElementType();
    if (!isa<FloatType>(elementType) && !elementType.isSignlessInteger())
      return rewriter.notifyMatchFailure(
          op, "only float and signless integer constants map to arith");
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    // The attribute is reused as is: a dense_resource blob stays a resource.
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

// Scalar bodies of the elementwise ops. `supports` says which element types
// the body handles; `build` receives one scalar per operand.

/// A binary body that picks the float or the integer arith op by type.
/// Integer division truncates toward zero (mc.div, ONNX Div).
template <typename FloatOp, typename IntOp>
struct ArithBinaryFn {
  static bool supports(Type t) { return isFloatOrArithInt(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    if (isa<FloatType>(a[0].getType()))
      return FloatOp::create(b, loc, a[0], a[1]);
    return IntOp::create(b, loc, a[0], a[1]);
  }
};
using AddFn = ArithBinaryFn<arith::AddFOp, arith::AddIOp>;
using SubFn = ArithBinaryFn<arith::SubFOp, arith::SubIOp>;
using MulFn = ArithBinaryFn<arith::MulFOp, arith::MulIOp>;
using DivFn = ArithBinaryFn<arith::DivFOp, arith::DivSIOp>;

/// x^y on signless integers (ONNX Pow with an integer base), without a
/// loop so that the body stays one block: square-and-multiply over every
/// exponent bit below the sign bit, wrapping on overflow as C and NumPy do.
/// A negative exponent gives 1 / x^-y truncated toward zero: 1 for x = 1,
/// +-1 for x = -1 (by the exponent's parity), 0 otherwise.
Value buildIntegerPow(OpBuilder &b, Location loc, Value x, Value y) {
  Type t = x.getType();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, v));
  };
  Value zero = constant(0), one = constant(1), minusOne = constant(-1);
  Value result = one, base = x;
  unsigned width = t.getIntOrFloatBitWidth();
  for (unsigned bit = 0; bit + 1 < width; ++bit) {
    Value shifted = arith::ShRUIOp::create(b, loc, y, constant(bit));
    Value low = arith::AndIOp::create(b, loc, shifted, one);
    Value isSet = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, low,
                                        zero);
    Value product = arith::MulIOp::create(b, loc, result, base);
    result = arith::SelectOp::create(b, loc, isSet, product, result);
    if (bit + 2 < width)
      base = arith::MulIOp::create(b, loc, base, base);
  }
  Value odd = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, y, one), zero);
  Value ofMinusOne = arith::SelectOp::create(b, loc, odd, minusOne, one);
  Value xIsOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, one);
  Value xIsMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, minusOne);
  Value negative = arith::SelectOp::create(
      b, loc, xIsOne, one,
      arith::SelectOp::create(b, loc, xIsMinusOne, ofMinusOne, zero));
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  return arith::SelectOp::create(b, loc, isNegative, negative, result);
}

struct PowFn {
  static bool supports(Type t) { return isFloatOrArithInt(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    if (isa<FloatType>(a[0].getType()))
      return math::PowFOp::create(b, loc, a[0], a[1]);
    return buildIntegerPow(b, loc, a[0], a[1]);
  }
};

/// A float-only elementwise function that is one math dialect op.
template <typename MathOp> struct FloatMathFn {
  static bool supports(Type t) { return isa<FloatType>(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    return MathOp::create(b, loc, a[0]);
  }
};
using SqrtFn = FloatMathFn<math::SqrtOp>;

using ExpFn = FloatMathFn<math::ExpOp>;

using ErfFn = FloatMathFn<math::ErfOp>;

using TanhFn = FloatMathFn<math::TanhOp>;

struct SigmoidFn {
  static bool supports(Type t) { return isa<FloatType>(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    // 1 / (1 + exp(-x)): exp overflows to +inf for very negative x and the
    // quotient is then exactly 0, so no special case is needed.
    Type t = a[0].getType();
    Value neg = arith::NegFOp::create(b, loc, a[0]);
    Value exp = math::ExpOp::create(b, loc, neg);
    Value one = floatConst(b, loc, t, 1.0);
    Value den = arith::AddFOp::create(b, loc, one, exp);
    return arith::DivFOp::create(b, loc, one, den);
  }
};

struct ReluFn {
  static bool supports(Type t) { return isFloatOrArithInt(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    Type t = a[0].getType();
    Value zero = zeroConst(b, loc, t);
    if (isa<FloatType>(t))
      return arith::MaximumFOp::create(b, loc, a[0], zero);
    return arith::MaxSIOp::create(b, loc, a[0], zero);
  }
};

struct NegFn {
  static bool supports(Type t) { return isFloatOrArithInt(t); }
  static Value build(OpBuilder &b, Location loc, ValueRange a) {
    Type t = a[0].getType();
    if (isa<FloatType>(t))
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, zeroConst(b, loc, t), a[0]);
  }
};

/// Any elementwise op (unary or broadcasting binary) whose scalar body is
/// `Fn`.
template <typename OpTy, typename Fn>
struct ElementwiseOpLowering : MCConversionPattern<OpTy> {
  using MCConversionPattern<OpTy>::MCConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = this->getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    if (!Fn::supports(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    FailureOr<Value> result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [](OpBuilder &b, Location loc, ValueRange args) {
          return Fn::build(b, loc, args);
        });
    if (failed(result))
      return rewriter.notifyMatchFailure(
          op, "a dynamic result dimension has no dynamic operand dimension");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct GeluOpLowering : MCConversionPattern<GeluOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float tensor");
    bool tanhForm = op.getApproximate() == "tanh";
    if (!tanhForm && op.getApproximate() != "none")
      return rewriter.notifyMatchFailure(op, "unknown approximation");
    FailureOr<Value> result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          Type t = x.getType();
          Value half = floatConst(b, loc, t, 0.5);
          Value one = floatConst(b, loc, t, 1.0);
          Value inner;
          if (tanhForm) {
            // tanh(sqrt(2 / pi) * (x + 0.044715 x^3))
            Value x3 = arith::MulFOp::create(
                b, loc, arith::MulFOp::create(b, loc, x, x), x);
            Value cubic = arith::MulFOp::create(
                b, loc, floatConst(b, loc, t, 0.044715), x3);
            Value sum = arith::AddFOp::create(b, loc, x, cubic);
            Value scaled = arith::MulFOp::create(
                b, loc, floatConst(b, loc, t, std::sqrt(2.0 / M_PI)), sum);
            inner = math::TanhOp::create(b, loc, scaled);
          } else {
            // erf(x / sqrt(2))
            Value scaled = arith::MulFOp::create(
                b, loc, x, floatConst(b, loc, t, M_SQRT1_2));
            inner = math::ErfOp::create(b, loc, scaled);
          }
          Value onePlus = arith::AddFOp::create(b, loc, one, inner);
          Value halfX = arith::MulFOp::create(b, loc, half, x);
          return arith::MulFOp::create(b, loc, halfX, onePlus);
        });
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct ClipOpLowering : MCConversionPattern<ClipOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isFloatOrArithInt(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Type elementType = resultType.getElementType();
    std::optional<double> lo, hi;
    if (std::optional<APFloat> min = op.getMin())
      lo = min->convertToDouble();
    if (std::optional<APFloat> max = op.getMax())
      hi = max->convertToDouble();
    if (!lo && !hi) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    // Bounds in the element type. Integer bounds round inward (a minimum of
    // -1.5 admits -1) and saturate to the type's range.
    auto boundAttr = [&](double v, bool isMin) -> TypedAttr {
      if (isa<FloatType>(elementType))
        return rewriter.getFloatAttr(elementType, v);
      unsigned width = elementType.getIntOrFloatBitWidth();
      double rounded = isMin ? std::ceil(v) : std::floor(v);
      double minV = APInt::getSignedMinValue(width).getSExtValue();
      double maxV = APInt::getSignedMaxValue(width).getSExtValue();
      rounded = std::min(std::max(rounded, minV), maxV);
      return rewriter.getIntegerAttr(elementType,
                                     static_cast<int64_t>(rounded));
    };
    FailureOr<Value> result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          bool isFloat = isa<FloatType>(elementType);
          if (lo) {
            Value bound =
                arith::ConstantOp::create(b, loc, boundAttr(*lo, true));
            x = isFloat ? (Value)arith::MaximumFOp::create(b, loc, x, bound)
                        : (Value)arith::MaxSIOp::create(b, loc, x, bound);
          }
          if (hi) {
            Value bound =
                arith::ConstantOp::create(b, loc, boundAttr(*hi, false));
            x = isFloat ? (Value)arith::MinimumFOp::create(b, loc, x, bound)
                        : (Value)arith::MinSIOp::create(b, loc, x, bound);
          }
          return x;
        });
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// Converts one scalar between float and signless integer types with ONNX
/// Cast semantics.
Value castScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (isa<FloatType>(from) && isa<FloatType>(to)) {
    if (fromWidth < toWidth)
      return arith::ExtFOp::create(b, loc, to, v);
    if (fromWidth > toWidth)
      return arith::TruncFOp::create(b, loc, to, v);
    // f16 <-> bf16: through f32, which holds both exactly.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (isa<FloatType>(from)) {
    if (toWidth == 1)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   zeroConst(b, loc, from));
    return arith::FPToSIOp::create(b, loc, to, v);
  }
  if (isa<FloatType>(to)) {
    if (fromWidth == 1)
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::SIToFPOp::create(b, loc, to, v);
  }
  if (toWidth == 1)
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 zeroConst(b, loc, from));
  if (fromWidth == 1)
    return arith::ExtUIOp::create(b, loc, to, v);
  if (fromWidth < toWidth)
    return arith::ExtSIOp::create(b, loc, to, v);
  return arith::TruncIOp::create(b, loc, to, v);
}

struct CastOpLowering : MCConversionPattern<CastOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Type from = tensorType(adaptor.getInput()).getElementType();
    Type to = resultType.getElementType();
    auto supported = [](Type t) {
      return isa<FloatType>(t) || t.isSignlessInteger();
    };
    if (!supported(from) || !supported(to))
      return rewriter.notifyMatchFailure(
          op, "only float and signless integer element types");
    FailureOr<Value> result =
        buildElementwise(rewriter, op.getLoc(), resultType, adaptor.getInput(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return castScalar(b, loc, args[0], to);
                         });
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.linear
//===----------------------------------------------------------------------===//

struct LinearOpLowering : MCConversionPattern<LinearOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inType = tensorType(input);
    auto weightType = tensorType(weight);
    if (!weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "weight must have a static shape");
    if (inType.isDynamicDim(inType.getRank() - 1))
      return rewriter.notifyMatchFailure(op, "dynamic feature dimension");
    Type elementType = resultType.getElementType();
    int64_t rank = inType.getRank();
    int64_t inFeatures = weightType.getDimSize(1);
    int64_t outFeatures = weightType.getDimSize(0);

    // View the input as [M, in_features].
    Value x = input;
    if (rank == 1) {
      x = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, inFeatures}, elementType),
          input, SmallVector<ReassociationIndices>{{0, 1}},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 rewriter.getIndexAttr(inFeatures)});
    } else if (rank > 2) {
      ReassociationIndices lead =
          llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
      x = tensor::CollapseShapeOp::create(
          rewriter, loc, input,
          ArrayRef<ReassociationIndices>{lead, {rank - 1}});
    }
    auto xType = tensorType(x);
    auto accType =
        RankedTensorType::get({xType.getDimSize(0), outFeatures}, elementType);
    SmallVector<OpFoldResult> accSizes = {
        tensor::getMixedSize(rewriter, loc, x, 0),
        rewriter.getIndexAttr(outFeatures)};

    // The accumulator starts at the bias (broadcast over rows) or zero.
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, accType, accSizes);
      init = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                         ArrayRef<int64_t>{0})
                 .getResult()[0];
    } else {
      init = createFilled(rewriter, loc, accType, accSizes,
                          zeroConst(rewriter, loc, elementType));
    }

    // x · Wᵀ: linalg.matmul reading W transposed through its indexing map,
    // so that no transposed copy of the weight is materialized.
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto matmul =
        linalg::MatmulOp::create(rewriter, loc, TypeRange{accType},
                                 ValueRange{x, weight}, ValueRange{init});
    matmul.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(
        {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {n, k}, ctx),
         AffineMap::get(3, 0, {m, n}, ctx)}));
    Value result = matmul.getResult(0);

    // Back to the input's leading dimensions.
    if (rank == 1) {
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, result,
          SmallVector<ReassociationIndices>{{0, 1}});
    } else if (rank > 2) {
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, input);
      sizes.back() = rewriter.getIndexAttr(outFeatures);
      ReassociationIndices lead =
          llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, result,
          ArrayRef<ReassociationIndices>{lead, {rank - 1}}, sizes);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.matmul
//===----------------------------------------------------------------------===//

struct MatMulOpLowering : MCConversionPattern<MatMulOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Type elementType = resultType.getElementType();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsIn = tensorType(lhs), rhsIn = tensorType(rhs);
    bool lhsVector = lhsIn.getRank() == 1;
    bool rhsVector = rhsIn.getRank() == 1;

    // Batch dimensions (all but the last two; none for a 1-D operand) and
    // their broadcast, checked before any IR is created.
    int64_t lhsBatch = std::max<int64_t>(0, lhsIn.getRank() - 2);
    int64_t rhsBatch = std::max<int64_t>(0, rhsIn.getRank() - 2);
    SmallVector<int64_t> batchShape;
    if (failed(broadcastShapes(lhsIn.getShape().take_front(lhsBatch),
                               rhsIn.getShape().take_front(rhsBatch),
                               batchShape)))
      return rewriter.notifyMatchFailure(op,
                                         "batch dimensions do not broadcast");
    SmallVector<int64_t> ranks = {lhsBatch, rhsBatch};
    if (!canInferBroadcastSizes(batchShape, ValueRange{lhs, rhs}, ranks))
      return rewriter.notifyMatchFailure(op,
                                         "cannot size the batch dimensions");
    int64_t numBatch = batchShape.size();
    SmallVector<OpFoldResult> batchSizes =
        broadcastSizes(rewriter, loc, batchShape, ValueRange{lhs, rhs}, ranks);

    // NumPy promotes a 1-D lhs to a row and a 1-D rhs to a column.
    if (lhsVector) {
      int64_t k = lhsIn.getDimSize(0);
      lhs = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, k}, elementType), lhs,
          SmallVector<ReassociationIndices>{{0, 1}},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 tensor::getMixedSize(rewriter, loc, lhs, 0)});
    }
    if (rhsVector) {
      int64_t k = rhsIn.getDimSize(0);
      rhs = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({k, 1}, elementType), rhs,
          SmallVector<ReassociationIndices>{{0, 1}},
          ArrayRef<OpFoldResult>{tensor::getMixedSize(rewriter, loc, rhs, 0),
                                 rewriter.getIndexAttr(1)});
    }
    auto lhsType = tensorType(lhs), rhsType = tensorType(rhs);
    int64_t m = lhsType.getDimSize(lhsBatch),
            n = rhsType.getDimSize(rhsBatch + 1);
    OpFoldResult mSize = tensor::getMixedSize(rewriter, loc, lhs, lhsBatch);
    OpFoldResult nSize = tensor::getMixedSize(rewriter, loc, rhs, rhsBatch + 1);
    Value zero = zeroConst(rewriter, loc, elementType);

    // Full (promoted) result shape [batch..., M, N].
    SmallVector<int64_t> fullShape(batchShape);
    fullShape.append({m, n});
    SmallVector<OpFoldResult> fullSizes(batchSizes);
    fullSizes.append({mSize, nSize});
    auto fullType = RankedTensorType::get(fullShape, elementType);

    Value result;
    if (numBatch == 0) {
      Value init = createFilled(rewriter, loc, fullType, fullSizes, zero);
      result = linalg::MatmulOp::create(rewriter, loc, TypeRange{fullType},
                                        ValueRange{lhs, rhs}, ValueRange{init})
                   .getResult(0);
    } else if (rhsBatch == 0) {
      // A batched lhs times one matrix: fold the batch into the rows.
      ReassociationIndices rows =
          llvm::to_vector(llvm::seq<int64_t>(0, lhsBatch + 1));
      Value lhs2d = tensor::CollapseShapeOp::create(
          rewriter, loc, lhs,
          ArrayRef<ReassociationIndices>{rows, {lhsBatch + 1}});
      auto accType = RankedTensorType::get({tensorType(lhs2d).getDimSize(0), n},
                                           elementType);
      Value init = createFilled(
          rewriter, loc, accType,
          {tensor::getMixedSize(rewriter, loc, lhs2d, 0), nSize}, zero);
      Value acc =
          linalg::MatmulOp::create(rewriter, loc, TypeRange{accType},
                                   ValueRange{lhs2d, rhs}, ValueRange{init})
              .getResult(0);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, fullType, acc,
          ArrayRef<ReassociationIndices>{rows, {numBatch + 1}}, fullSizes);
    } else {
      // Broadcast both operands to the common batch shape, collapse it into
      // one dimension and use linalg.batch_matmul.
      Value l = broadcastBatch(rewriter, loc, lhs, batchShape, batchSizes);
      Value r = broadcastBatch(rewriter, loc, rhs, batchShape, batchSizes);
      SmallVector<ReassociationIndices> groups = {
          llvm::to_vector(llvm::seq<int64_t>(0, numBatch)),
          {numBatch},
          {numBatch + 1}};
      if (numBatch > 1) {
        l = tensor::CollapseShapeOp::create(rewriter, loc, l, groups);
        r = tensor::CollapseShapeOp::create(rewriter, loc, r, groups);
      }
      int64_t b = tensorType(l).getDimSize(0);
      auto accType = RankedTensorType::get({b, m, n}, elementType);
      Value init = createFilled(
          rewriter, loc, accType,
          {tensor::getMixedSize(rewriter, loc, l, 0), mSize, nSize}, zero);
      result = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{accType},
                                             ValueRange{l, r}, ValueRange{init})
                   .getResult(0);
      if (numBatch > 1)
        result = tensor::ExpandShapeOp::create(rewriter, loc, fullType, result,
                                               groups, fullSizes);
    }

    // Drop the dimensions that the 1-D promotion added.
    if (lhsVector || rhsVector) {
      SmallVector<bool> drop(fullShape.size(), false);
      if (lhsVector)
        drop[numBatch] = true;
      if (rhsVector)
        drop[numBatch + 1] = true;
      result =
          tensor::CollapseShapeOp::create(rewriter, loc, resultType, result,
                                          dropUnitDims(fullShape.size(), drop));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.conv2d
//===----------------------------------------------------------------------===//

struct Conv2DOpLowering : MCConversionPattern<Conv2DOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inType = tensorType(input);
    auto weightType = tensorType(weight);
    if (!weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "weight must have a static shape");
    if (inType.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "dynamic channel dimension");
    if (resultType.isDynamicDim(2) || resultType.isDynamicDim(3))
      return rewriter.notifyMatchFailure(op, "dynamic spatial output size");
    ArrayRef<int64_t> pads = op.getPads();
    int64_t groups = op.getGroups();
    int64_t channels = inType.getDimSize(1);
    int64_t filters = weightType.getDimSize(0);
    if (groups <= 0 || channels % groups != 0 || filters % groups != 0)
      return rewriter.notifyMatchFailure(op, "invalid groups");

    Value padded = padSpatial(rewriter, loc, input, pads[0], pads[1], pads[2],
                              pads[3], zeroConst(rewriter, loc, elementType));
    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr(op.getDilations());

    // The accumulator starts at the bias (one value per output channel) or 0.
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    outSizes[1] = rewriter.getIndexAttr(filters);
    outSizes[2] = rewriter.getIndexAttr(resultType.getDimSize(2));
    outSizes[3] = rewriter.getIndexAttr(resultType.getDimSize(3));
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, resultType, outSizes);
      init = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                         ArrayRef<int64_t>{0, 2, 3})
                 .getResult()[0];
    } else {
      init = createFilled(rewriter, loc, resultType, outSizes,
                          zeroConst(rewriter, loc, elementType));
    }

    Value result;
    if (groups == 1) {
      result =
          linalg::Conv2DNchwFchwOp::create(rewriter, loc, TypeRange{resultType},
                                           ValueRange{padded, weight},
                                           ValueRange{init}, strides, dilations)
              .getResult(0);
    } else if (groups == channels && filters == channels) {
      // Depthwise: weight [C, 1, KH, KW] -> [C, KH, KW].
      Value filter = tensor::CollapseShapeOp::create(
          rewriter, loc, weight,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      result =
          linalg::DepthwiseConv2DNchwChwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{padded, filter},
              ValueRange{init}, strides, dilations)
              .getResult(0);
    } else {
      // Grouped: split the channel dimensions into [groups, per-group].
      int64_t cg = channels / groups, fg = filters / groups;
      auto paddedType = tensorType(padded);
      SmallVector<ReassociationIndices> splitDim1 = {{0}, {1, 2}, {3}, {4}};
      SmallVector<OpFoldResult> inSizes =
          tensor::getMixedSizes(rewriter, loc, padded);
      Value in5 = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({paddedType.getDimSize(0), groups, cg,
                                 paddedType.getDimSize(2),
                                 paddedType.getDimSize(3)},
                                elementType),
          padded, splitDim1,
          {inSizes[0], rewriter.getIndexAttr(groups), rewriter.getIndexAttr(cg),
           inSizes[2], inSizes[3]});
      int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
      Value w5 = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({groups, fg, cg, kh, kw}, elementType), weight,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}},
          ArrayRef<OpFoldResult>{
              rewriter.getIndexAttr(groups), rewriter.getIndexAttr(fg),
              rewriter.getIndexAttr(cg), rewriter.getIndexAttr(kh),
              rewriter.getIndexAttr(kw)});
      auto out5Type = RankedTensorType::get({resultType.getDimSize(0), groups,
                                             fg, resultType.getDimSize(2),
                                             resultType.getDimSize(3)},
                                            elementType);
      Value init5 = tensor::ExpandShapeOp::create(
          rewriter, loc, out5Type, init, splitDim1,
          {outSizes[0], rewriter.getIndexAttr(groups),
           rewriter.getIndexAttr(fg), outSizes[2], outSizes[3]});
      Value conv = linalg::Conv2DNgchwGfchwOp::create(
                       rewriter, loc, TypeRange{out5Type}, ValueRange{in5, w5},
                       ValueRange{init5}, strides, dilations)
                       .getResult(0);
      result = tensor::CollapseShapeOp::create(rewriter, loc, resultType, conv,
                                               splitDim1);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Extra padding after the explicit one so that `out` windows fit along one
/// spatial axis (only ceil_mode needs it).
int64_t ceilModeExtraPad(int64_t in, int64_t out, int64_t kernel,
                         int64_t stride, int64_t dilation, int64_t padBegin,
                         int64_t padEnd) {
  int64_t needed = (out - 1) * stride + dilation * (kernel - 1) + 1;
  return std::max<int64_t>(0, needed - (in + padBegin + padEnd));
}

/// Checks the input and result of a pool: NCHW, static spatial sizes.
LogicalResult checkPoolTypes(Operation *op, RankedTensorType inType,
                             RankedTensorType resultType,
                             ConversionPatternRewriter &rewriter) {
  if (!resultType || !isa<FloatType>(resultType.getElementType()))
    return rewriter.notifyMatchFailure(op, "expected a float result");
  if (inType.getRank() != 4 || inType.isDynamicDim(2) ||
      inType.isDynamicDim(3) || resultType.isDynamicDim(2) ||
      resultType.isDynamicDim(3))
    return rewriter.notifyMatchFailure(op, "spatial sizes must be static");
  return success();
}

struct MaxPool2DOpLowering : MCConversionPattern<MaxPool2DOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    if (failed(checkPoolTypes(op, inType, resultType, rewriter)))
      return failure();
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    int64_t extraH =
        ceilModeExtraPad(inType.getDimSize(2), resultType.getDimSize(2),
                         kernel[0], strides[0], dilations[0], pads[0], pads[2]);
    int64_t extraW =
        ceilModeExtraPad(inType.getDimSize(3), resultType.getDimSize(3),
                         kernel[1], strides[1], dilations[1], pads[1], pads[3]);
    // -inf padding never wins the maximum; ceil_mode windows are clipped the
    // same way.
    Value negInf = negInfConst(rewriter, loc, elementType);
    Value padded = padSpatial(rewriter, loc, input, pads[0], pads[1],
                              pads[2] + extraH, pads[3] + extraW, negInf);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, elementType);
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value init = createFilled(rewriter, loc, resultType, outSizes, negInf);
    Value result =
        linalg::PoolingNchwMaxOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{padded, window},
            ValueRange{init}, rewriter.getI64TensorAttr(strides),
            rewriter.getI64TensorAttr(dilations))
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Number of positions of a window starting at `start` (size `kernel`)
/// inside [lo, hi).
int64_t windowCount(int64_t start, int64_t kernel, int64_t lo, int64_t hi) {
  return std::max<int64_t>(0,
                           std::min(start + kernel, hi) - std::max(start, lo));
}

struct AvgPool2DOpLowering : MCConversionPattern<AvgPool2DOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    if (failed(checkPoolTypes(op, inType, resultType, rewriter)))
      return failure();
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      pads = op.getPads();
    int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
    int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
    int64_t extraH =
        ceilModeExtraPad(h, oh, kernel[0], strides[0], 1, pads[0], pads[2]);
    int64_t extraW =
        ceilModeExtraPad(w, ow, kernel[1], strides[1], 1, pads[1], pads[3]);

    // Window sums over the zero-padded input.
    Value zero = zeroConst(rewriter, loc, elementType);
    Value padded = padSpatial(rewriter, loc, input, pads[0], pads[1],
                              pads[2] + extraH, pads[3] + extraW, zero);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, elementType);
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value init = createFilled(rewriter, loc, resultType, outSizes, zero);
    Value sums =
        linalg::PoolingNchwSumOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{padded, window},
            ValueRange{init}, rewriter.getI64TensorAttr(strides),
            rewriter.getI64TensorAttr({1, 1}))
            .getResult(0);

    // Divisors per output position (spatial sizes are static, so they are
    // compile-time constants): the window clipped to the input, or to the
    // explicitly padded input with count_include_pad; the ceil_mode
    // overhang never counts.
    bool includePad = op.getCountIncludePad();
    auto counts = [&](int64_t out, int64_t in, int64_t k, int64_t s,
                      int64_t padBegin, int64_t padEnd) {
      SmallVector<int64_t> c;
      for (int64_t o = 0; o < out; ++o) {
        int64_t start = o * s - padBegin;
        c.push_back(includePad ? windowCount(start, k, -padBegin, in + padEnd)
                               : windowCount(start, k, 0, in));
      }
      return c;
    };
    SmallVector<int64_t> countH =
        counts(oh, h, kernel[0], strides[0], pads[0], pads[2]);
    SmallVector<int64_t> countW =
        counts(ow, w, kernel[1], strides[1], pads[1], pads[3]);
    SmallVector<Attribute> divisors;
    for (int64_t ch : countH)
      for (int64_t cw : countW)
        divisors.push_back(rewriter.getFloatAttr(
            elementType, static_cast<double>(std::max<int64_t>(1, ch * cw))));
    bool uniform = llvm::all_equal(divisors);

    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    Value empty = createEmpty(rewriter, loc, resultType, outSizes);
    Value result;
    if (uniform) {
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(divisors.front()));
      result = buildGeneric(
          rewriter, loc, sums, identity, empty, identity, iterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return arith::DivFOp::create(b, l, args[0], divisor);
          });
    } else {
      auto divisorType = RankedTensorType::get({oh, ow}, elementType);
      Value divisorTensor = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
      AffineMap spatial = AffineMap::get(
          4, 0, {getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx);
      result =
          buildGeneric(rewriter, loc, ValueRange{sums, divisorTensor},
                       {identity, spatial}, empty, identity, iterators,
                       [&](OpBuilder &b, Location l, ValueRange args) {
                         return arith::DivFOp::create(b, l, args[0], args[1]);
                       });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GlobalAvgPool2DOpLowering : MCConversionPattern<GlobalAvgPool2DOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    if (failed(checkPoolTypes(op, inType, resultType, rewriter)))
      return failure();
    Type elementType = resultType.getElementType();
    int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
    Value zero = zeroConst(rewriter, loc, elementType);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{h, w}, elementType);
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value init = createFilled(rewriter, loc, resultType, outSizes, zero);
    Value sums =
        linalg::PoolingNchwSumOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{input, window},
            ValueRange{init}, rewriter.getI64TensorAttr({1, 1}),
            rewriter.getI64TensorAttr({1, 1}))
            .getResult(0);
    Value count = floatConst(rewriter, loc, elementType, double(h * w));
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(4, rewriter.getContext());
    Value empty = createEmpty(rewriter, loc, resultType, outSizes);
    Value result = buildGeneric(
        rewriter, loc, sums, identity, empty, identity,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          return arith::DivFOp::create(b, l, args[0], count);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

struct BatchNormOpLowering : MCConversionPattern<BatchNormOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    if (resultType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs a channel dimension");
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    Value input = adaptor.getInput();
    Value empty = createEmpty(rewriter, loc, resultType,
                              tensor::getMixedSizes(rewriter, loc, input));
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildGeneric(
        rewriter, loc,
        ValueRange{input, adaptor.getScale(), adaptor.getBias(),
                   adaptor.getMean(), adaptor.getVar()},
        {identity, channel, channel, channel, channel}, empty, identity,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          // (x - mean) / sqrt(var + epsilon) * scale + bias
          Value eps = floatConst(b, l, elementType, epsilon);
          Value centered = arith::SubFOp::create(b, l, args[0], args[3]);
          Value stddev = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[4], eps));
          Value normalized = arith::DivFOp::create(b, l, centered, stddev);
          Value scaled = arith::MulFOp::create(b, l, normalized, args[1]);
          return arith::AddFOp::create(b, l, scaled, args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The map from `rank` loops to the dimensions before `axis`.
AffineMap leadingMap(int64_t rank, int64_t axis, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < axis; ++i)
    exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The map from `rank` loops to every dimension but `axis`.
AffineMap dropDimMap(int64_t rank, int64_t axis, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A linalg.reduce of `input` over `dims` into a fresh tensor filled with
/// `initValue`, combining with `combine(element, accumulator)`.
Value buildReduce(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
    Value initValue,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto inType = tensorType(input);
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < inType.getRank(); ++i) {
    if (llvm::is_contained(dims, i))
      continue;
    shape.push_back(inType.getDimSize(i));
    sizes.push_back(tensor::getMixedSize(b, loc, input, i));
  }
  auto type = RankedTensorType::get(shape, inType.getElementType());
  Value init = createFilled(b, loc, type, sizes, initValue);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{init}, dims,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, combine(nb, nl, args[0], args[1]));
      });
  return reduce.getResult(0);
}

struct LayerNormOpLowering : MCConversionPattern<LayerNormOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<int64_t> normDims =
        llvm::to_vector(llvm::seq<int64_t>(axis, rank));
    Value count =
        indexToFloat(rewriter, loc,
                     productOf(rewriter, loc, ArrayRef(sizes).drop_front(axis)),
                     elementType);
    Value zero = zeroConst(rewriter, loc, elementType);

    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap lead = leadingMap(rank, axis, ctx);
    SmallVector<AffineExpr> trailingExprs;
    for (int64_t i = axis; i < rank; ++i)
      trailingExprs.push_back(getAffineDimExpr(i, ctx));
    AffineMap trailing = AffineMap::get(rank, 0, trailingExprs, ctx);

    // Pass 1: sum over the normalized dimensions.
    Value sum = buildReduce(rewriter, loc, input, normDims, zero,
                            [](OpBuilder &b, Location l, Value x, Value acc) {
                              return arith::AddFOp::create(b, l, x, acc);
                            });

    // Pass 2: sum of squared deviations from the mean (two-pass variance,
    // stable where E[x^2] - E[x]^2 cancels).
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    for (int64_t i = axis; i < rank; ++i)
      iterators[i] = utils::IteratorType::reduction;
    Value sqInit = createFilled(rewriter, loc, tensorType(sum),
                                ArrayRef(sizes).take_front(axis), zero);
    Value sqSum = buildGeneric(
        rewriter, loc, ValueRange{input, sum}, {identity, lead}, sqInit, lead,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::DivFOp::create(b, l, args[1], count);
          Value d = arith::SubFOp::create(b, l, args[0], mean);
          Value d2 = arith::MulFOp::create(b, l, d, d);
          return arith::AddFOp::create(b, l, args[2], d2);
        });

    // Pass 3: normalize, scale and shift.
    SmallVector<Value> inputs = {input, sum, sqSum, adaptor.getScale()};
    SmallVector<AffineMap> maps = {identity, lead, lead, trailing};
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(trailing);
    }
    double epsilon = op.getEpsilon().convertToDouble();
    Value empty = createEmpty(rewriter, loc, resultType, sizes);
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, empty, identity,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::DivFOp::create(b, l, args[1], count);
          Value var = arith::DivFOp::create(b, l, args[2], count);
          Value eps = floatConst(b, l, elementType, epsilon);
          Value stddev =
              math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, eps));
          Value centered = arith::SubFOp::create(b, l, args[0], mean);
          Value normalized = arith::DivFOp::create(b, l, centered, stddev);
          Value scaled = arith::MulFOp::create(b, l, normalized, args[3]);
          if (bias)
            return arith::AddFOp::create(b, l, scaled, args[4]);
          return scaled;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SoftmaxOpLowering : MCConversionPattern<SoftmaxOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap reduced = dropDimMap(rank, axis, ctx);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);

    // max along the axis, subtracted before exp so that exp never overflows.
    Value max = buildReduce(rewriter, loc, input, {axis},
                            negInfConst(rewriter, loc, elementType),
                            [](OpBuilder &b, Location l, Value x, Value acc) {
                              return arith::MaximumFOp::create(b, l, x, acc);
                            });
    Value expEmpty = createEmpty(rewriter, loc, resultType, sizes);
    Value exps =
        buildGeneric(rewriter, loc, ValueRange{input, max}, {identity, reduced},
                     expEmpty, identity, parallel,
                     [](OpBuilder &b, Location l, ValueRange args) -> Value {
                       Value shifted =
                           arith::SubFOp::create(b, l, args[0], args[1]);
                       return math::ExpOp::create(b, l, shifted);
                     });
    Value sum = buildReduce(rewriter, loc, exps, {axis},
                            zeroConst(rewriter, loc, elementType),
                            [](OpBuilder &b, Location l, Value x, Value acc) {
                              return arith::AddFOp::create(b, l, x, acc);
                            });
    Value empty = createEmpty(rewriter, loc, resultType, sizes);
    Value result =
        buildGeneric(rewriter, loc, ValueRange{exps, sum}, {identity, reduced},
                     empty, identity, parallel,
                     [](OpBuilder &b, Location l, ValueRange args) -> Value {
                       return arith::DivFOp::create(b, l, args[0], args[1]);
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// mc.reduce_mean: a linalg.reduce sum over the axes, then one
/// linalg.generic that divides by the number of reduced elements and writes
/// the result shape (with keepdims, the sum's indexing map skips the unit
/// dimensions that stand for the reduced ones).
struct ReduceMeanOpLowering : MCConversionPattern<ReduceMeanOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceMeanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float result");
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput();
    int64_t rank = tensorType(input).getRank();
    SmallVector<int64_t> dims;
    for (int64_t a : op.getAxes()) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank || llvm::is_contained(dims, axis))
        return rewriter.notifyMatchFailure(op, "bad axes");
      dims.push_back(axis);
    }
    llvm::sort(dims);
    bool keepdims = op.getKeepdims();
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> reducedSizes, outSizes;
    for (int64_t i = 0; i < rank; ++i) {
      if (llvm::is_contained(dims, i)) {
        reducedSizes.push_back(inSizes[i]);
        if (keepdims)
          outSizes.push_back(rewriter.getIndexAttr(1));
      } else {
        outSizes.push_back(inSizes[i]);
      }
    }
    Value zero = zeroConst(rewriter, loc, elementType);
    Value sum = buildReduce(rewriter, loc, input, dims, zero,
                            [](OpBuilder &b, Location l, Value x, Value acc) {
                              return arith::AddFOp::create(b, l, x, acc);
                            });
    Value count = indexToFloat(
        rewriter, loc, productOf(rewriter, loc, reducedSizes), elementType);

    MLIRContext *ctx = rewriter.getContext();
    int64_t outRank = resultType.getRank();
    SmallVector<AffineExpr> sumExprs;
    for (int64_t i = 0, o = 0; i < rank; ++i) {
      bool reduced = llvm::is_contained(dims, i);
      if (!reduced)
        sumExprs.push_back(getAffineDimExpr(o, ctx));
      if (!reduced || keepdims)
        ++o;
    }
    AffineMap sumMap = AffineMap::get(outRank, 0, sumExprs, ctx);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(outRank, ctx);
    Value empty = createEmpty(rewriter, loc, resultType, outSizes);
    Value result = buildGeneric(
        rewriter, loc, sum, sumMap, empty, identity,
        SmallVector<utils::IteratorType>(outRank,
                                         utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(b, l, args[0], count);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

struct ReshapeOpLowering : MCConversionPattern<ReshapeOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    if (resultType.getNumDynamicDims() > 1)
      return rewriter.notifyMatchFailure(op, "more than one dynamic dimension");
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    if (inType == resultType) {
      rewriter.replaceOp(op, input);
      return success();
    }
    ArrayRef<int64_t> src = inType.getShape(), dst = resultType.getShape();

    // Result sizes: the one dynamic dimension keeps the element count.
    auto resultSizes = [&]() {
      SmallVector<OpFoldResult> sizes;
      int64_t staticProduct = 1;
      for (int64_t d : dst)
        if (!ShapedType::isDynamic(d))
          staticProduct *= d;
      for (int64_t d : dst) {
        if (!ShapedType::isDynamic(d)) {
          sizes.push_back(rewriter.getIndexAttr(d));
          continue;
        }
        OpFoldResult numel = productOf(
            rewriter, loc, tensor::getMixedSizes(rewriter, loc, input));
        Value total = getValueOrCreateConstantIndexOp(rewriter, loc, numel);
        sizes.push_back(
            arith::DivUIOp::create(rewriter, loc, total,
                                   indexConst(rewriter, loc, staticProduct))
                .getResult());
      }
      return sizes;
    };

    Value result;
    if (inType.getRank() == 0) {
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, input,
                                             ArrayRef<ReassociationIndices>{},
                                             resultSizes());
    } else if (resultType.getRank() == 0) {
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, input, ArrayRef<ReassociationIndices>{});
    } else if (auto groups = getReassociationIndicesForCollapse(src, dst);
               groups && isValidCollapse(src, dst, *groups)) {
      result = tensor::CollapseShapeOp::create(rewriter, loc, resultType, input,
                                               *groups);
    } else if (auto groups = getReassociationIndicesForCollapse(dst, src);
               groups && isValidCollapse(dst, src, *groups)) {
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, input,
                                             *groups, resultSizes());
    } else {
      // No grouping of dimensions relates the shapes: go through 1-D.
      Value flat = flattenTo1D(rewriter, loc, input);
      if (resultType.getRank() == 1) {
        result = flat.getType() == resultType
                     ? flat
                     : tensor::CastOp::create(rewriter, loc, resultType, flat)
                           .getResult();
      } else {
        ReassociationIndices all =
            llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank()));
        result = tensor::ExpandShapeOp::create(
            rewriter, loc, resultType, flat,
            ArrayRef<ReassociationIndices>{all}, resultSizes());
      }
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct FlattenOpLowering : MCConversionPattern<FlattenOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType || resultType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected a 2-D result");
    Value input = adaptor.getInput();
    int64_t rank = tensorType(input).getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    if (axis < 0 || axis > rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Value result;
    if (rank == 0) {
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, input, ArrayRef<ReassociationIndices>{},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 rewriter.getIndexAttr(1)});
    } else if (axis > 0 && axis < rank) {
      ReassociationIndices outer = llvm::to_vector(llvm::seq<int64_t>(0, axis));
      ReassociationIndices inner =
          llvm::to_vector(llvm::seq<int64_t>(axis, rank));
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, input,
          ArrayRef<ReassociationIndices>{outer, inner});
    } else {
      // axis 0 gives [1, numel], axis rank gives [numel, 1].
      Value flat = flattenTo1D(rewriter, loc, input);
      OpFoldResult numel = tensor::getMixedSize(rewriter, loc, flat, 0);
      OpFoldResult one = rewriter.getIndexAttr(1);
      SmallVector<OpFoldResult> sizes =
          axis == 0 ? SmallVector<OpFoldResult>{one, numel}
                    : SmallVector<OpFoldResult>{numel, one};
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, flat,
          SmallVector<ReassociationIndices>{{0, 1}}, sizes);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TransposeOpLowering : MCConversionPattern<TransposeOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Value input = adaptor.getInput();
    ArrayRef<int64_t> perm = op.getPerm();
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes =
        llvm::map_to_vector(perm, [&](int64_t p) { return inSizes[p]; });
    Value init = createEmpty(rewriter, loc, resultType, sizes);
    Value result = linalg::TransposeOp::create(rewriter, loc, input, init, perm)
                       .getResult()[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConcatOpLowering : MCConversionPattern<ConcatOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    int64_t rank = resultType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    ValueRange inputs = adaptor.getInputs();
    if (inputs.size() == 1 && inputs.front().getType() == resultType) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, resultType, axis, inputs);
    return success();
  }
};

struct SliceOpLowering : MCConversionPattern<SliceOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Value input = adaptor.getInput();
    int64_t rank = tensorType(input).getRank();
    for (auto [a, step] : llvm::zip(op.getAxes(), op.getSteps()))
      if (a < -rank || a >= rank || step == 0)
        return rewriter.notifyMatchFailure(op, "invalid axis or step");
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<int64_t> reversed;
    for (auto [a, start, size, step] : llvm::zip(
             op.getAxes(), op.getStarts(), op.getSizes(), op.getSteps())) {
      int64_t axis = a < 0 ? a + rank : a;
      // A negative step takes the same elements with the positive step from
      // the lowest one, then reverses that axis.
      int64_t lowest =
          step > 0 || size == 0 ? start : start + (size - 1) * step;
      offsets[axis] = rewriter.getIndexAttr(size == 0 ? 0 : lowest);
      sizes[axis] = rewriter.getIndexAttr(size);
      strides[axis] = rewriter.getIndexAttr(std::abs(step));
      if (step < 0 && size > 1)
        reversed.push_back(axis);
    }
    Value result = tensor::ExtractSliceOp::create(
        rewriter, loc, resultType, input, offsets, sizes, strides);
    if (!reversed.empty()) {
      MLIRContext *ctx = rewriter.getContext();
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < rank; ++i) {
        AffineExpr d = getAffineDimExpr(i, ctx);
        exprs.push_back(llvm::is_contained(reversed, i)
                            ? resultType.getDimSize(i) - 1 - d
                            : d);
      }
      Value empty = createEmpty(rewriter, loc, resultType, sizes);
      result = buildGeneric(
          rewriter, loc, result, AffineMap::get(rank, 0, exprs, ctx), empty,
          AffineMap::getMultiDimIdentityMap(rank, ctx),
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherOpLowering : MCConversionPattern<GatherOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = tensorType(data);
    auto indicesType = tensorType(indices);
    if (!indicesType.getElementType().isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "indices must be signless");
    int64_t dataRank = dataType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), dataRank);
    if (axis < 0 || axis >= dataRank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    int64_t indicesRank = indicesType.getRank();
    int64_t resultRank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();

    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sizes =
        llvm::to_vector(ArrayRef<OpFoldResult>(dataSizes).take_front(axis));
    llvm::append_range(sizes, tensor::getMixedSizes(rewriter, loc, indices));
    llvm::append_range(sizes,
                       ArrayRef<OpFoldResult>(dataSizes).drop_front(axis + 1));
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[axis]);

    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indicesRank; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
    Value empty = createEmpty(rewriter, loc, resultType, sizes);
    Value result = buildGeneric(
        rewriter, loc, indices, AffineMap::get(resultRank, 0, indexExprs, ctx),
        empty, AffineMap::getMultiDimIdentityMap(resultRank, ctx),
        SmallVector<utils::IteratorType>(resultRank,
                                         utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          // Negative indices count from the end; out-of-range ones (undefined
          // in the model) are clamped so that the load stays in bounds.
          Value idx =
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value zero = indexConst(b, l, 0);
          Value isNeg =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
          Value wrapped = arith::AddIOp::create(b, l, idx, axisSize);
          idx = arith::SelectOp::create(b, l, isNeg, wrapped, idx);
          Value last =
              arith::SubIOp::create(b, l, axisSize, indexConst(b, l, 1));
          idx = arith::MaxSIOp::create(b, l, idx, zero);
          idx = arith::MinSIOp::create(b, l, idx, last);
          SmallVector<Value> coords;
          for (int64_t i = 0; i < axis; ++i)
            coords.push_back(linalg::IndexOp::create(b, l, i));
          coords.push_back(idx);
          for (int64_t i = axis + 1; i < dataRank; ++i)
            coords.push_back(
                linalg::IndexOp::create(b, l, i - 1 + indicesRank));
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SqueezeOpLowering : MCConversionPattern<SqueezeOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    int64_t rank = inType.getRank();
    SmallVector<bool> drop(rank, false);
    for (int64_t a : op.getAxes()) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank || inType.getDimSize(axis) != 1)
        return rewriter.notifyMatchFailure(op, "axis is not a unit dimension");
      drop[axis] = true;
    }
    if (!llvm::is_contained(drop, true)) {
      rewriter.replaceOp(op, input);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, resultType, input, dropUnitDims(rank, drop));
    return success();
  }
};

struct UnsqueezeOpLowering : MCConversionPattern<UnsqueezeOp> {
  using MCConversionPattern::MCConversionPattern;

  LogicalResult
  matchAndRewrite(UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not a ranked tensor");
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    SmallVector<bool> inserted(rank, false);
    for (int64_t a : op.getAxes()) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      inserted[axis] = true;
    }
    if (!llvm::is_contained(inserted, true)) {
      rewriter.replaceOp(op, input);
      return success();
    }
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    auto it = inSizes.begin();
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(inserted[i] ? rewriter.getIndexAttr(1) : *it++);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, input, dropUnitDims(rank, inserted), sizes);
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void mlir::mc::populateMCToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      // clang-format off
      ConstantOpLowering,
      LinearOpLowering, MatMulOpLowering, Conv2DOpLowering,
      MaxPool2DOpLowering, AvgPool2DOpLowering, GlobalAvgPool2DOpLowering,
      BatchNormOpLowering, LayerNormOpLowering, SoftmaxOpLowering,
      ReduceMeanOpLowering,
      ElementwiseOpLowering<AddOp, AddFn>,
      ElementwiseOpLowering<SubOp, SubFn>,
      ElementwiseOpLowering<MulOp, MulFn>,
      ElementwiseOpLowering<DivOp, DivFn>,
      ElementwiseOpLowering<PowOp, PowFn>,
      ElementwiseOpLowering<SqrtOp, SqrtFn>,
      ElementwiseOpLowering<ExpOp, ExpFn>,
      ElementwiseOpLowering<ErfOp, ErfFn>,
      ElementwiseOpLowering<SigmoidOp, SigmoidFn>,
      ElementwiseOpLowering<TanhOp, TanhFn>,
      ElementwiseOpLowering<ReluOp, ReluFn>,
      ElementwiseOpLowering<NegOp, NegFn>,
      GeluOpLowering, ClipOpLowering, CastOpLowering,
      ReshapeOpLowering, FlattenOpLowering, TransposeOpLowering,
      ConcatOpLowering, SliceOpLowering, GatherOpLowering,
      SqueezeOpLowering, UnsqueezeOpLowering
      // clang-format on
      >(typeConverter, ctx);
}

void mlir::mc::configureMCToLinalgConversionTarget(ConversionTarget &target) {
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, tensor::TensorDialect>();
  // Quantized values belong to the fixed-point lowering: the quantization
  // ops, and any other mc op (shape ops, constants) on quantized tensors,
  // stay. Every other mc op must be lowered.
  target.addLegalOp<QuantizeOp, DequantizeOp, StorageCastOp, QConv2DOp,
                    QMatMulOp, RequantizeOp>();
  target.addDynamicallyLegalDialect<MCDialect>(
      [](Operation *op) { return involvesQuantizedTensor(op); });
}
