//===- Norm.cpp - ONNX normalization and softmax --------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// BatchNormalization (inference mode, and training mode from opset 14 built
// from mc.reduce_mean), LayerNormalization (with its optional Mean and
// InvStdDev outputs), ReduceMean and Softmax (including the 2-D coercing
// semantics of opsets before 13).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

/// `OpTy(lhs, rhs)` with NumPy broadcasting.
template <typename OpTy>
static FailureOr<Value> binary(NodeContext &ctx, Value lhs, Value rhs) {
  return buildInferred<OpTy>(ctx, lhs, rhs);
}

/// The mean over `axes` of `x` and its biased variance (both with the reduced
/// dimensions kept as 1), in two passes like mc.layer_norm's lowering.
static FailureOr<std::pair<Value, Value>>
meanAndVariance(NodeContext &ctx, Value x, ArrayRef<int64_t> axes) {
  FailureOr<Value> mean = buildInferred<ReduceMeanOp>(ctx, x, axes, true);
  if (failed(mean))
    return failure();
  FailureOr<Value> d = binary<SubOp>(ctx, x, *mean);
  if (failed(d))
    return failure();
  FailureOr<Value> d2 = binary<MulOp>(ctx, *d, *d);
  if (failed(d2))
    return failure();
  FailureOr<Value> var = buildInferred<ReduceMeanOp>(ctx, *d2, axes, true);
  if (failed(var))
    return failure();
  return std::make_pair(*mean, *var);
}

/// Training-mode BatchNormalization (opset 14+): the output is normalized
/// with the statistics of the batch itself (mean and biased variance over
/// every axis but 1), and the optional outputs 1 and 2 are the updated
/// running statistics, `running * momentum + batch * (1 - momentum)`.
static LogicalResult importBatchNormTraining(NodeContext &ctx,
                                             ArrayRef<Value> operands) {
  // Inconsistent shapes (no channel axis, parameters that are not [C]) are
  // reported by the verifiers of the ops built here.
  Value x = operands[0];
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> axes = {0};
  for (int64_t i = 2; i < type.getRank(); ++i)
    axes.push_back(i);
  FailureOr<std::pair<Value, Value>> stats = meanAndVariance(ctx, x, axes);
  if (failed(stats))
    return failure();
  // The statistics as [C] vectors, the shape of mc.batch_norm's parameters.
  auto paramType = cast<RankedTensorType>(operands[3].getType());
  auto asParam = [&](Value v) -> Value {
    return ReshapeOp::create(ctx.builder(), ctx.loc, paramType, v);
  };
  Value mean = asParam(stats->first), var = asParam(stats->second);
  OpBuilder &b = ctx.builder();
  ctx.setResult(0, BatchNormOp::create(
                       b, ctx.loc, type, x, operands[1], operands[2], mean, var,
                       b.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f))));
  double momentum = ctx.getFloat("momentum", 0.9f);
  Type elementType = type.getElementType();
  for (size_t i = 1; i <= 2; ++i) {
    if (!ctx.outputUsed(i))
      continue;
    Value running = operands[i + 2], batch = i == 1 ? mean : var;
    FailureOr<Value> kept = binary<MulOp>(
        ctx, running, createScalar(ctx, elementType, momentum));
    FailureOr<Value> added = binary<MulOp>(
        ctx, batch, createScalar(ctx, elementType, 1.0 - momentum));
    if (failed(kept) || failed(added))
      return failure();
    FailureOr<Value> updated = binary<AddOp>(ctx, *kept, *added);
    if (failed(updated))
      return failure();
    ctx.setResult(i, *updated);
  }
  return success();
}

static LogicalResult importBatchNorm(NodeContext &ctx) {
  // Opset 6: is_test = 0 (the default) asks for training mode.
  if (ctx.opset < 7 && ctx.getInt("is_test", 0) == 0)
    return ctx.unsupported("batch normalization in training mode "
                           "(is_test = 0)");
  // Opsets 6-8: spatial = 0 means per-element statistics.
  if (ctx.getInt("spatial", 1) != 1)
    return ctx.unsupported("batch normalization with spatial = 0");
  bool training = ctx.opset >= 14 && ctx.getInt("training_mode", 0) != 0;
  if (failed(ctx.onlyFirstOutputsUsed(training ? 3 : 1)))
    return failure();
  SmallVector<Value> operands;
  for (size_t i = 0; i < 5; ++i) {
    FailureOr<Value> v = ctx.input(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  if (!isa<FloatType>(
          cast<RankedTensorType>(operands[0].getType()).getElementType()))
    return ctx.unsupported("non-float batch normalization");
  if (training)
    return importBatchNormTraining(ctx, operands);
  ctx.setResult(0, BatchNormOp::create(
                       ctx.builder(), ctx.loc, operands[0].getType(),
                       operands[0], operands[1], operands[2], operands[3],
                       operands[4],
                       ctx.builder().getF32FloatAttr(ctx.getFloat("epsilon",
                                                                  1e-5f))));
  return success();
}

static LogicalResult importLayerNorm(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  FailureOr<Value> scale = ctx.input(1);
  if (failed(input) || failed(scale))
    return failure();
  Value bias;
  if (ctx.hasInput(2)) {
    FailureOr<Value> b = ctx.input(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto type = cast<RankedTensorType>(input->getType());
  int64_t axis = ctx.getInt("axis", -1);
  FailureOr<int64_t> a = normalizeAxis(axis, type.getRank());
  if (failed(a))
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << type.getRank();
  // ONNX lets scale and bias broadcast to the normalized shape; mc wants the
  // exact shape, so bring lower-rank parameters up with a reshape when the
  // element counts agree.
  ArrayRef<int64_t> normShape = type.getShape().drop_front(*a);
  auto fit = [&](Value v) -> FailureOr<Value> {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getShape() == normShape)
      return v;
    auto want = RankedTensorType::get(normShape, t.getElementType());
    if (t.hasStaticShape() && want.hasStaticShape() &&
        t.getNumElements() == want.getNumElements())
      return Value(ReshapeOp::create(ctx.builder(), ctx.loc, want, v));
    return ctx.unsupported("layer norm parameters that broadcast"), failure();
  };
  FailureOr<Value> s = fit(*scale);
  if (failed(s))
    return failure();
  if (bias) {
    FailureOr<Value> b = fit(bias);
    if (failed(b))
      return failure();
    bias = *b;
  }
  OpBuilder &b = ctx.builder();
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  ctx.setResult(0, LayerNormOp::create(b, ctx.loc, type, *input, *s, bias,
                                       b.getI64IntegerAttr(*a),
                                       b.getF32FloatAttr(epsilon)));
  if (!ctx.outputUsed(1) && !ctx.outputUsed(2))
    return success();
  // The optional outputs Mean and InvStdDev = 1 / sqrt(variance + epsilon),
  // over the normalized dimensions kept as 1. ONNX computes them in
  // stash_type (default float); mc does so only where that is the input's
  // own type.
  if (ctx.getInt("stash_type", 1) != 1 || !type.getElementType().isF32())
    return ctx.unsupported("Mean/InvStdDev outputs of a " +
                           typeString(type.getElementType()) +
                           " input with stash_type " +
                           Twine(ctx.getInt("stash_type", 1)) +
                           " (mc computes them for f32 inputs only, in f32)");
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(*a, type.getRank()));
  FailureOr<std::pair<Value, Value>> stats =
      meanAndVariance(ctx, *input, axes);
  if (failed(stats))
    return failure();
  ctx.setResult(1, stats->first);
  if (!ctx.outputUsed(2))
    return success();
  Type elementType = type.getElementType();
  FailureOr<Value> shifted = binary<AddOp>(
      ctx, stats->second, createScalar(ctx, elementType, epsilon));
  if (failed(shifted))
    return failure();
  Value stddev = SqrtOp::create(b, ctx.loc, *shifted);
  FailureOr<Value> inv =
      binary<DivOp>(ctx, createScalar(ctx, elementType, 1.0), stddev);
  if (failed(inv))
    return failure();
  ctx.setResult(2, *inv);
  return success();
}

/// ReduceMean (opsets 1-17: axes attribute; none means every axis).
static LogicalResult importReduceMean(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!isa<FloatType>(type.getElementType()))
    return ctx.unsupported("element type " +
                           typeString(type.getElementType()));
  SmallVector<int64_t> axes = ctx.getInts("axes");
  if (axes.empty())
    axes = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  bool keepdims = ctx.getInt("keepdims", 1) != 0;
  if (axes.empty()) {
    // The mean of a scalar is the scalar.
    ctx.setResult(0, *input);
    return success();
  }
  FailureOr<Value> mean =
      buildInferred<ReduceMeanOp>(ctx, *input, axes, keepdims);
  if (failed(mean))
    return failure();
  ctx.setResult(0, *mean);
  return success();
}

static LogicalResult importSoftmax(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!isa<FloatType>(type.getElementType()))
    return ctx.unsupported("non-float softmax");
  int64_t rank = type.getRank();
  int64_t axis = ctx.getInt("axis", ctx.opset >= 13 ? -1 : 1);
  FailureOr<int64_t> a = normalizeAxis(axis, rank);
  if (failed(a))
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << rank;
  if (ctx.opset >= 13 || *a == rank - 1) {
    ctx.setResult(0, SoftmaxOp::create(ctx.builder(), ctx.loc, *input, *a));
    return success();
  }
  // Before opset 13: softmax over the flattened trailing dimensions.
  FailureOr<Value> flat = buildInferred<FlattenOp>(ctx, *input, *a);
  if (failed(flat))
    return failure();
  Value soft = SoftmaxOp::create(ctx.builder(), ctx.loc, *flat, 1);
  ctx.setResult(0, ReshapeOp::create(ctx.builder(), ctx.loc, type, soft));
  return success();
}

void onnx_import::registerNormHandlers(HandlerRegistry &registry) {
  registry.add("BatchNormalization", 6, importBatchNorm);
  registry.add("LayerNormalization", 17, importLayerNorm);
  registry.add("ReduceMean", 1, importReduceMean);
  registry.add("Softmax", 1, importSoftmax);
}
