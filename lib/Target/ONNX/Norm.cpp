//===- Norm.cpp - ONNX normalization and softmax --------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// BatchNormalization (inference mode), LayerNormalization and Softmax
// (including the 2-D coercing semantics of opsets before 13).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

static LogicalResult importBatchNorm(NodeContext &ctx) {
  if (ctx.getInt("training_mode", 0) != 0)
    return ctx.unsupported("batch normalization in training mode");
  // Opsets 7-8: spatial = 0 means per-element statistics.
  if (ctx.getInt("spatial", 1) != 1)
    return ctx.unsupported("batch normalization with spatial = 0");
  if (failed(ctx.onlyFirstOutputsUsed(1)))
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
  ctx.setResult(0, BatchNormOp::create(
                       ctx.builder(), ctx.loc, operands[0].getType(),
                       operands[0], operands[1], operands[2], operands[3],
                       operands[4],
                       ctx.builder().getF32FloatAttr(ctx.getFloat("epsilon",
                                                                  1e-5f))));
  return success();
}

static LogicalResult importLayerNorm(NodeContext &ctx) {
  if (failed(ctx.onlyFirstOutputsUsed(1)))
    return failure();
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
  ctx.setResult(0, LayerNormOp::create(
                       b, ctx.loc, type, *input, *s, bias,
                       b.getI64IntegerAttr(*a),
                       b.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f))));
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
  registry.add("BatchNormalization", 7, importBatchNorm);
  registry.add("LayerNormalization", 17, importLayerNorm);
  registry.add("Softmax", 1, importSoftmax);
}
