//===- Elementwise.cpp - ONNX elementwise ops and activations -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Add, Sub, Mul, Div, Pow (NumPy broadcasting; integer shape math is folded),
// Sqrt, Exp, Erf, Relu, Sigmoid, Tanh, Neg, Reciprocal, Clip, and Dropout
// (inference: the identity).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

/// Before opset 7, B broadcast to A only with `broadcast = 1`, its dimensions
/// matched against A's from `axis` on (by default against A's trailing
/// ones, as in NumPy). Trailing unit dimensions on B turn the `axis` form
/// into NumPy broadcasting; without `broadcast` the shapes must be equal,
/// which NumPy broadcasting also accepts.
static FailureOr<Value> legacyBroadcastRhs(NodeContext &ctx, Value lhs,
                                           Value rhs) {
  int64_t lhsRank = cast<RankedTensorType>(lhs.getType()).getRank();
  int64_t rhsRank = cast<RankedTensorType>(rhs.getType()).getRank();
  int64_t axis = ctx.getInt("axis", lhsRank - rhsRank);
  if (axis < 0)
    axis += lhsRank;
  if (axis < 0 || axis + rhsRank > lhsRank)
    return ctx.emitError() << "broadcast axis " << ctx.getInt("axis", 0)
                           << " does not fit a rank-" << rhsRank
                           << " B into a rank-" << lhsRank << " A",
           failure();
  SmallVector<int64_t> trailing;
  for (int64_t i = rhsRank; i < lhsRank - axis; ++i)
    trailing.push_back(i);
  if (trailing.empty())
    return rhs;
  return buildInferred<UnsqueezeOp>(ctx, rhs, trailing);
}

template <typename OpTy>
static LogicalResult importBinary(NodeContext &ctx) {
  bool legacyAxis = ctx.opset < 7 && ctx.getInt("broadcast", 0) != 0 &&
                    ctx.hasAttr("axis");
  // Shape arithmetic on integers known at import folds away.
  if (!legacyAxis && succeeded(foldKnownBinary(ctx, ctx.node.op_type())))
    return success();
  FailureOr<Value> lhs = ctx.input(0);
  FailureOr<Value> rhs = ctx.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (legacyAxis) {
    rhs = legacyBroadcastRhs(ctx, *lhs, *rhs);
    if (failed(rhs))
      return failure();
  }
  // Pow lets the exponent have another numeric type; it is converted to the
  // base's type (the result has the base's type).
  Type baseType = cast<RankedTensorType>(lhs->getType()).getElementType();
  auto rhsType = cast<RankedTensorType>(rhs->getType());
  if (std::is_same_v<OpTy, PowOp> && rhsType.getElementType() != baseType)
    rhs = Value(CastOp::create(ctx.builder(), ctx.loc, rhsType.clone(baseType),
                               *rhs));
  FailureOr<Value> result = buildInferred<OpTy>(ctx, *lhs, *rhs);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

template <typename OpTy>
static LogicalResult importUnary(NodeContext &ctx) {
  // Negated shape math (-axis) folds like the binary ops.
  if constexpr (std::is_same_v<OpTy, NegOp>) {
    if (const KnownInts *known = ctx.knownInts(0)) {
      if (known->fullyKnown()) {
        KnownInts negated = *known;
        for (int64_t &v : negated.values)
          v = -v;
        FailureOr<RankedTensorType> type = ctx.inputType(0);
        if (failed(type))
          return failure();
        ctx.setKnownInts(0, negated, type->getElementType());
        return success();
      }
    }
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  if (!isa<FloatType>(elementType) &&
      !(std::is_same_v<OpTy, ReluOp> || std::is_same_v<OpTy, NegOp>))
    return ctx.unsupported("element type " + typeString(elementType));
  if (isa<quant::QuantizedType>(elementType) || elementType.isInteger(1) ||
      elementType.isUnsignedInteger())
    return ctx.unsupported("element type " + typeString(elementType));
  ctx.setResult(0, OpTy::create(ctx.builder(), ctx.loc, *input));
  return success();
}

/// Reciprocal: 1 / x.
static LogicalResult importReciprocal(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  if (!isa<FloatType>(elementType))
    return ctx.unsupported("element type " + typeString(elementType));
  FailureOr<Value> result = buildInferred<DivOp>(
      ctx, createScalar(ctx, elementType, 1.0), *input);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importClip(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  std::optional<double> bounds[2];
  if (ctx.opset < 11) {
    if (ctx.hasAttr("min"))
      bounds[0] = ctx.getFloat("min", 0);
    if (ctx.hasAttr("max"))
      bounds[1] = ctx.getFloat("max", 0);
  } else {
    for (int i = 0; i < 2; ++i) {
      if (!ctx.hasInput(i + 1))
        continue;
      FailureOr<SmallVector<double>> v =
          ctx.requireFloats(i + 1, i == 0 ? "min" : "max");
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return ctx.emitError() << (i == 0 ? "min" : "max")
                               << " must be a scalar";
      bounds[i] = v->front();
    }
  }
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  if (!isa<FloatType>(elementType) && !elementType.isSignlessInteger())
    return ctx.unsupported("element type " + typeString(elementType));
  auto toAttr = [&](std::optional<double> v) -> FloatAttr {
    return v ? ctx.builder().getF64FloatAttr(*v) : FloatAttr();
  };
  if (bounds[0] && bounds[1] && *bounds[0] > *bounds[1])
    return ctx.emitError() << "min " << *bounds[0] << " exceeds max "
                           << *bounds[1];
  ctx.setResult(0, ClipOp::create(ctx.builder(), ctx.loc, input->getType(),
                                  *input, toAttr(bounds[0]),
                                  toAttr(bounds[1])));
  return success();
}

static LogicalResult importDropout(NodeContext &ctx) {
  // Opset 12+: training_mode is an optional boolean input.
  if (ctx.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> training =
        ctx.requireInts(2, "training_mode");
    if (failed(training))
      return failure();
    if (!training->empty() && training->front() != 0)
      return ctx.unsupported("dropout in training mode");
  }
  if (failed(ctx.onlyFirstOutputsUsed(1)))
    return failure();
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  ctx.setResult(0, *input);
  return success();
}

void onnx_import::registerElementwiseHandlers(HandlerRegistry &registry) {
  // Opsets 1-6 (broadcast/axis attributes): see legacyBroadcastRhs.
  registry.add("Add", 1, importBinary<AddOp>);
  registry.add("Sub", 1, importBinary<SubOp>);
  registry.add("Mul", 1, importBinary<MulOp>);
  registry.add("Div", 1, importBinary<DivOp>);
  registry.add("Pow", 1, importBinary<PowOp>);
  registry.add("Sqrt", 6, importUnary<SqrtOp>);
  registry.add("Exp", 6, importUnary<ExpOp>);
  registry.add("Erf", 9, importUnary<ErfOp>);
  registry.add("Relu", 6, importUnary<ReluOp>);
  registry.add("Sigmoid", 6, importUnary<SigmoidOp>);
  registry.add("Tanh", 6, importUnary<TanhOp>);
  registry.add("Neg", 6, importUnary<NegOp>);
  registry.add("Reciprocal", 6, importReciprocal);
  registry.add("Clip", 6, importClip);
  registry.add("Dropout", 7, importDropout);
}
