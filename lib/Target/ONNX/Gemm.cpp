//===- Gemm.cpp - ONNX Gemm and MatMul ------------------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Gemm becomes mc.linear (weight stored [out, in]; a constant B without
// transB is transposed at import so compression passes see the usual layout),
// with alpha/beta/C handled by a bias or explicit mul/add. MatMul with a
// constant 2-D right operand also becomes mc.linear; other MatMuls become
// mc.matmul.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

/// The transpose of a constant 2-D f32 matrix as a new weight constant, or
/// null when `attr` is not readable f32 data.
static Value transposedWeight(NodeContext &ctx, ElementsAttr attr,
                              StringRef name) {
  auto type = cast<RankedTensorType>(attr.getType());
  std::optional<SmallVector<float>> values = getF32Values(attr);
  if (!values || type.getRank() != 2)
    return nullptr;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<float> transposed(values->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      transposed[c * rows + r] = (*values)[r * cols + c];
  auto newType = RankedTensorType::get({cols, rows}, type.getElementType());
  return ConstantOp::create(
      ctx.builder(), ctx.loc,
      createWeightAttr(newType, name, ArrayRef<float>(transposed)));
}

/// The weight of a linear layer ([out, in]) from a [in, out] right operand.
static FailureOr<Value> weightFromRhs(NodeContext &ctx, size_t index,
                                      bool rhsIsOutByIn) {
  if (rhsIsOutByIn)
    return ctx.input(index);
  if (ElementsAttr c = ctx.constantInput(index))
    if (Value w = transposedWeight(ctx, c, ctx.node.input(index)))
      return w;
  FailureOr<Value> rhs = ctx.input(index);
  if (failed(rhs))
    return failure();
  return buildInferred<TransposeOp>(ctx, *rhs, ArrayRef<int64_t>{1, 0});
}

static LogicalResult importGemm(NodeContext &ctx) {
  FailureOr<RankedTensorType> aType = ctx.inputType(0);
  FailureOr<RankedTensorType> bType = ctx.inputType(1);
  if (failed(aType) || failed(bType))
    return failure();
  if (aType->getRank() != 2 || bType->getRank() != 2)
    return ctx.emitError() << "A and B must be 2-D";
  if (!isa<FloatType>(aType->getElementType()))
    return ctx.unsupported("element type " +
                           typeString(aType->getElementType()));
  float alpha = ctx.getFloat("alpha", 1.0f), beta = ctx.getFloat("beta", 1.0f);
  FailureOr<Value> a = ctx.input(0);
  if (failed(a))
    return failure();
  if (ctx.getInt("transA", 0)) {
    a = buildInferred<TransposeOp>(ctx, *a, ArrayRef<int64_t>{1, 0});
    if (failed(a))
      return failure();
  }
  FailureOr<Value> weight = weightFromRhs(ctx, 1, ctx.getInt("transB", 0) != 0);
  if (failed(weight))
    return failure();
  int64_t n = cast<RankedTensorType>(weight->getType()).getDimSize(0);

  // C becomes the bias when it is a vector of N and no scaling is involved.
  Value bias, addend;
  if (ctx.hasInput(2) && beta != 0.0f) {
    FailureOr<Value> c = ctx.input(2);
    if (failed(c))
      return failure();
    auto cType = cast<RankedTensorType>(c->getType());
    if (beta != 1.0f) {
      FailureOr<Value> scaled = buildInferred<MulOp>(
          ctx, *c, createScalar(ctx, cType.getElementType(), beta));
      if (failed(scaled))
        return failure();
      c = scaled;
    }
    if (alpha == 1.0f && cType.getRank() == 1 && cType.getDimSize(0) == n)
      bias = *c;
    else
      addend = *c;
  }
  FailureOr<Value> result = buildInferred<LinearOp>(ctx, *a, *weight, bias);
  if (failed(result))
    return failure();
  Type elementType = aType->getElementType();
  if (alpha != 1.0f) {
    result = buildInferred<MulOp>(ctx, *result,
                                  createScalar(ctx, elementType, alpha));
    if (failed(result))
      return failure();
  }
  if (addend) {
    result = buildInferred<AddOp>(ctx, *result, addend);
    if (failed(result))
      return failure();
  }
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importMatMul(NodeContext &ctx) {
  FailureOr<RankedTensorType> aType = ctx.inputType(0);
  FailureOr<RankedTensorType> bType = ctx.inputType(1);
  if (failed(aType) || failed(bType))
    return failure();
  if (!isa<FloatType>(aType->getElementType()))
    return ctx.unsupported("element type " +
                           typeString(aType->getElementType()) +
                           " (integer matmul is MatMulInteger)");
  FailureOr<Value> a = ctx.input(0);
  if (failed(a))
    return failure();
  // x · W with a constant [in, out] W is a linear layer (PyTorch exports
  // nn.Linear on 3-D inputs this way).
  ElementsAttr c = ctx.constantInput(1);
  if (c && bType->getRank() == 2 && aType->getRank() >= 2 &&
      bType->getElementType().isF32()) {
    if (Value w = transposedWeight(ctx, c, ctx.node.input(1))) {
      FailureOr<Value> result = buildInferred<LinearOp>(ctx, *a, w, Value());
      if (failed(result))
        return failure();
      ctx.setResult(0, *result);
      return success();
    }
  }
  FailureOr<Value> b = ctx.input(1);
  if (failed(b))
    return failure();
  FailureOr<Value> result = buildInferred<MatMulOp>(ctx, *a, *b);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

void onnx_import::registerGemmHandlers(HandlerRegistry &registry) {
  // Opsets 1-10 required C; its unidirectional broadcast (from opset 7;
  // before, with broadcast = 1, the same rule) is what importGemm does for
  // any C.
  registry.add("Gemm", 1, importGemm);
  registry.add("MatMul", 1, importMatMul);
}
