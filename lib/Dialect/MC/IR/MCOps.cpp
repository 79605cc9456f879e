//===- MCOps.cpp - Operations of the mc dialect ---------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Result type inference and verifiers of the mc ops. Folders and
// canonicalization patterns live in MCOpFolders.cpp.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::mc;

static constexpr int64_t kDyn = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// Shared shape helpers
//===----------------------------------------------------------------------===//

LogicalResult mlir::mc::broadcastShapes(ArrayRef<int64_t> lhs,
                                        ArrayRef<int64_t> rhs,
                                        SmallVectorImpl<int64_t> &result) {
  size_t rank = std::max(lhs.size(), rhs.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == r)
      result[i] = l;
    else if (l == 1)
      result[i] = r;
    else if (r == 1)
      result[i] = l;
    else
      return failure();
  }
  return success();
}

int64_t mlir::mc::windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                   int64_t padBegin, int64_t padEnd,
                                   int64_t dilation, bool ceilMode) {
  if (ShapedType::isDynamic(in))
    return kDyn;
  int64_t span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // With ceil_mode the last window must start inside the input or its leading
  // padding (ONNX and PyTorch agree on this rule).
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

/// Normalizes `axis` against `rank`; failure when out of range. I64Attr
/// getters return uint64_t: callers convert to int64_t before printing an
/// axis in a diagnostic, or -1 prints as 18446744073709551615.
static FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return failure();
  return axis < 0 ? axis + rank : axis;
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

static Type storageOrSelf(Type t) {
  if (auto q = dyn_cast<quant::QuantizedType>(t))
    return q.getStorageType();
  return t;
}

/// Checks, during type inference, that a per-axis quantized operand has one
/// scale per entry of its quantized dimension (the verifiers of
/// quantize/dequantize/storage_cast do the same with verifyQuantizedTensor).
/// The caller has checked that the quantized dimension is in range.
static LogicalResult checkPerAxisScales(std::optional<Location> loc,
                                        RankedTensorType t, StringRef what) {
  auto perAxis =
      dyn_cast<quant::UniformQuantizedPerAxisType>(t.getElementType());
  if (!perAxis)
    return success();
  int64_t axis = perAxis.getQuantizedDimension();
  int64_t dim = t.getDimSize(axis);
  if (!ShapedType::isDynamic(dim) && (int64_t)perAxis.getScales().size() != dim)
    return emitOptionalError(loc, what, " has ", perAxis.getScales().size(),
                             " scales for dimension ", axis, " of size ", dim);
  return success();
}

/// The quantization rules of a layer's operands (mc.qlinear, mc.qconv2d):
/// one zero point for the input, and a weight quantized per tensor or per
/// output channel (dimension 0).
static LogicalResult checkQuantizedLayerTypes(std::optional<Location> loc,
                                              RankedTensorType input,
                                              RankedTensorType weight) {
  if (isa<quant::UniformQuantizedPerAxisType>(input.getElementType()))
    return emitOptionalError(loc, "input must be quantized per tensor");
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(weight.getElementType()))
    if (perAxis.getQuantizedDimension() != 0)
      return emitOptionalError(
          loc, "per-axis weight must be quantized along dimension 0");
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp / QLinearOp
//===----------------------------------------------------------------------===//

/// Shape rules shared by mc.linear and mc.qlinear: a 2-D [out, in] weight,
/// an input whose last dimension is `in`, an optional 1-D bias of `out`
/// elements. Element types are checked by each op.
static LogicalResult inferLinearShape(std::optional<Location> loc,
                                      RankedTensorType input,
                                      RankedTensorType weight, Value bias,
                                      SmallVectorImpl<int64_t> &shape) {
  if (weight.getRank() != 2)
    return emitOptionalError(loc, "weight must be 2-D [out, in], got rank ",
                             weight.getRank());
  if (input.getRank() < 1)
    return emitOptionalError(loc, "input must have at least one dimension");
  // A dynamic size on either side is unknown here, not a mismatch.
  auto differ = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  int64_t in = input.getShape().back();
  if (differ(in, weight.getDimSize(1)))
    return emitOptionalError(loc, "input feature size ", in,
                             " does not match weight in_features ",
                             weight.getDimSize(1));
  if (bias) {
    auto biasType = rankedType(bias);
    if (biasType.getRank() != 1 ||
        differ(biasType.getDimSize(0), weight.getDimSize(0)))
      return emitOptionalError(loc, "bias must be 1-D of out_features (",
                               weight.getDimSize(0), ") elements");
  }
  shape.assign(input.getShape().begin(), input.getShape().end());
  shape.back() = weight.getDimSize(0);
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto weight = rankedType(adaptor.getWeight());
  if (input.getElementType() != weight.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  if (Value bias = adaptor.getBias())
    if (rankedType(bias).getElementType() != weight.getElementType())
      return emitOptionalError(loc, "bias element type ",
                               rankedType(bias).getElementType(),
                               " differs from weight element type ",
                               weight.getElementType());
  SmallVector<int64_t> shape;
  if (failed(inferLinearShape(loc, input, weight, adaptor.getBias(), shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult QLinearOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto weight = rankedType(adaptor.getWeight());
  if (failed(checkQuantizedLayerTypes(loc, input, weight)))
    return failure();
  SmallVector<int64_t> shape;
  if (failed(inferLinearShape(loc, input, weight, adaptor.getBias(), shape)) ||
      failed(checkPerAxisScales(loc, weight, "weight")))
    return failure();
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp / QMatMulOp
//===----------------------------------------------------------------------===//

/// NumPy matmul shape rule shared by mc.matmul and mc.qmatmul.
static LogicalResult inferMatMulShape(std::optional<Location> loc,
                                      ArrayRef<int64_t> lhs,
                                      ArrayRef<int64_t> rhs,
                                      SmallVectorImpl<int64_t> &result) {
  if (lhs.empty() || rhs.empty())
    return emitOptionalError(loc, "matmul operands must have rank >= 1");
  SmallVector<int64_t> l(lhs), r(rhs);
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t k1 = l.back(), k2 = r[r.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOptionalError(loc, "contracting dimensions differ: ", k1,
                             " vs ", k2);
  SmallVector<int64_t> batch;
  if (failed(broadcastShapes(ArrayRef(l).drop_back(2), ArrayRef(r).drop_back(2),
                             batch)))
    return emitOptionalError(loc, "batch dimensions do not broadcast");
  result = batch;
  if (!lhsVector)
    result.push_back(l[l.size() - 2]);
  if (!rhsVector)
    result.push_back(r.back());
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  SmallVector<int64_t> shape;
  if (failed(inferMatMulShape(loc, lhs.getShape(), rhs.getShape(), shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult QMatMulOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  if (isa<quant::UniformQuantizedPerAxisType>(lhs.getElementType()))
    return emitOptionalError(loc, "lhs must be quantized per tensor");
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(rhs.getElementType()))
    if (perAxis.getQuantizedDimension() != rhs.getRank() - 1)
      return emitOptionalError(
          loc, "per-axis rhs must be quantized along its last dimension");
  if (failed(checkPerAxisScales(loc, rhs, "rhs")))
    return failure();
  SmallVector<int64_t> shape;
  if (failed(inferMatMulShape(loc, lhs.getShape(), rhs.getShape(), shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp / QConv2DOp
//===----------------------------------------------------------------------===//

/// Checks the window attributes of a 2-D conv or pool and computes the output
/// spatial sizes.
static LogicalResult
inferWindow(std::optional<Location> loc, ArrayRef<int64_t> inShape,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations, bool ceilMode,
            SmallVectorImpl<int64_t> &spatial) {
  if (inShape.size() != 4)
    return emitOptionalError(loc, "input must be 4-D [N, C, H, W], got rank ",
                             inShape.size());
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 ||
      pads.size() != 4)
    return emitOptionalError(loc, "expected 2 kernel sizes, 2 strides, 2 "
                                  "dilations and 4 pads");
  for (int i = 0; i < 2; ++i)
    if (kernel[i] <= 0 || strides[i] <= 0 || dilations[i] <= 0)
      return emitOptionalError(
          loc, "kernel sizes, strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "pads must be non-negative");
  for (int i = 0; i < 2; ++i) {
    int64_t out = windowOutputSize(inShape[2 + i], kernel[i], strides[i],
                                   pads[i], pads[i + 2], dilations[i], ceilMode);
    if (out == 0)
      return emitOptionalError(loc, "window larger than the padded input");
    spatial.push_back(out);
  }
  return success();
}

template <typename AdaptorT>
static LogicalResult inferConvShape(std::optional<Location> loc,
                                    AdaptorT adaptor,
                                    SmallVectorImpl<int64_t> &shape) {
  auto input = rankedType(adaptor.getInput());
  auto weight = rankedType(adaptor.getWeight());
  if (weight.getRank() != 4)
    return emitOptionalError(loc, "weight must be 4-D [F, C/groups, KH, KW]");
  // Filter count, channels per group and kernel size all enter the checks
  // and the output shape below.
  if (!weight.hasStaticShape())
    return emitOptionalError(loc, "weight must have a static shape, got ",
                             weight);
  int64_t groups = adaptor.getGroups();
  if (groups <= 0)
    return emitOptionalError(loc, "groups must be positive");
  int64_t channels = input.getRank() == 4 ? input.getDimSize(1) : kDyn;
  int64_t filters = weight.getDimSize(0);
  if (!ShapedType::isDynamic(channels) &&
      (channels % groups != 0 || channels / groups != weight.getDimSize(1)))
    return emitOptionalError(loc, "input channels (", channels,
                             ") / groups (", groups,
                             ") must equal weight dimension 1 (",
                             weight.getDimSize(1), ")");
  if (filters % groups != 0)
    return emitOptionalError(loc, "filters (", filters,
                             ") must be divisible by groups (", groups, ")");
  if (adaptor.getBias()) {
    auto bias = rankedType(adaptor.getBias());
    if (bias.getRank() != 1 || bias.getDimSize(0) != filters)
      return emitOptionalError(loc, "bias must be 1-D of ", filters,
                               " elements");
  }
  SmallVector<int64_t> spatial;
  if (failed(inferWindow(loc, input.getShape(), weight.getShape().drop_front(2),
                         adaptor.getStrides(), adaptor.getPads(),
                         adaptor.getDilations(), false, spatial)))
    return failure();
  shape.assign({input.getDimSize(0), filters, spatial[0], spatial[1]});
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (input.getElementType() != rankedType(adaptor.getWeight()).getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  if (adaptor.getBias() && rankedType(adaptor.getBias()).getElementType() !=
                               input.getElementType())
    return emitOptionalError(loc, "bias element type differs from input");
  SmallVector<int64_t> shape;
  if (failed(inferConvShape(loc, adaptor, shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult QConv2DOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto weight = rankedType(adaptor.getWeight());
  if (failed(checkQuantizedLayerTypes(loc, input, weight)))
    return failure();
  SmallVector<int64_t> shape;
  if (failed(inferConvShape(loc, adaptor, shape)) ||
      failed(checkPerAxisScales(loc, weight, "weight")))
    return failure();
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  SmallVector<int64_t> spatial;
  if (failed(inferWindow(loc, input.getShape(), adaptor.getKernel(),
                         adaptor.getStrides(), adaptor.getPads(),
                         adaptor.getDilations(), adaptor.getCeilMode(),
                         spatial)))
    return failure();
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), spatial[0], spatial[1]},
      input.getElementType()));
  return success();
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  SmallVector<int64_t> spatial;
  SmallVector<int64_t> ones = {1, 1};
  if (failed(inferWindow(loc, input.getShape(), adaptor.getKernel(),
                         adaptor.getStrides(), adaptor.getPads(), ones,
                         adaptor.getCeilMode(), spatial)))
    return failure();
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), spatial[0], spatial[1]},
      input.getElementType()));
  return success();
}

LogicalResult GlobalAvgPool2DOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (input.getRank() != 4)
    return emitOptionalError(loc, "input must be 4-D [N, C, H, W], got rank ",
                             input.getRank());
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), 1, 1}, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must have a channel dimension (rank >= 2)");
  int64_t channels = input.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVar()}) {
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getRank() != 1 || type.getElementType() != input.getElementType() ||
        (!ShapedType::isDynamic(channels) && type.getDimSize(0) != channels))
      return emitOpError("scale, bias, mean and var must be 1-D tensors of ")
             << channels << " " << input.getElementType() << " elements";
  }
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto input = getInput().getType();
  int64_t rawAxis = getAxis();
  FailureOr<int64_t> axis = normalizeAxis(rawAxis, input.getRank());
  if (failed(axis))
    return emitOpError("axis ")
           << rawAxis << " out of range for rank " << input.getRank();
  ArrayRef<int64_t> normShape = input.getShape().drop_front(*axis);
  for (Value param : {getScale(), getBias()}) {
    if (!param)
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getShape() != normShape ||
        type.getElementType() != input.getElementType())
      return emitOpError("scale and bias must have the normalized shape of "
                         "the input (dimensions from axis on)");
  }
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult SoftmaxOp::verify() {
  int64_t axis = getAxis();
  if (failed(normalizeAxis(axis, getInput().getType().getRank())))
    return emitOpError("axis ") << axis << " out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (adaptor.getAxes().empty())
    return emitOptionalError(loc, "axes must name at least one dimension");
  SmallVector<bool> reduced(input.getRank(), false);
  for (int64_t a : adaptor.getAxes()) {
    FailureOr<int64_t> axis = normalizeAxis(a, input.getRank());
    if (failed(axis) || reduced[*axis])
      return emitOptionalError(loc, "axis ", a, " out of range or repeated");
    reduced[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < input.getRank(); ++i) {
    if (!reduced[i])
      shape.push_back(input.getDimSize(i));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcast(std::optional<Location> loc, Value lhs,
                                    Value rhs, SmallVectorImpl<Type> &types) {
  auto l = rankedType(lhs), r = rankedType(rhs);
  if (l.getElementType() != r.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             l.getElementType(), " vs ", r.getElementType());
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(l.getShape(), r.getShape(), shape)))
    return emitOptionalError(loc, "shapes do not broadcast");
  types.push_back(RankedTensorType::get(shape, l.getElementType()));
  return success();
}

#define MC_BINARY_INFER(OP)                                                    \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferBroadcast(loc, adaptor.getLhs(), adaptor.getRhs(), types);     \
  }
MC_BINARY_INFER(AddOp)
MC_BINARY_INFER(SubOp)
MC_BINARY_INFER(MulOp)
MC_BINARY_INFER(DivOp)
MC_BINARY_INFER(PowOp)
#undef MC_BINARY_INFER

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << getApproximate() << "\"";
  return success();
}

LogicalResult ClipOp::verify() {
  std::optional<APFloat> lo = getMin(), hi = getMax();
  if (lo && hi && lo->convertToDouble() > hi->convertToDouble())
    return emitOpError("min (") << lo->convertToDouble()
                                << ") is greater than max ("
                                << hi->convertToDouble() << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto input = getInput().getType();
  auto result = getResult().getType();
  if (storageOrSelf(input.getElementType()) !=
          storageOrSelf(result.getElementType()) ||
      input.getElementType() != result.getElementType())
    return emitOpError("element type changes from ")
           << input.getElementType() << " to " << result.getElementType();
  if (result.getNumDynamicDims() > 1)
    return emitOpError("result may have at most one dynamic dimension");
  if (input.hasStaticShape() && result.hasStaticShape() &&
      input.getNumElements() != result.getNumElements())
    return emitOpError("element count changes from ")
           << input.getNumElements() << " to " << result.getNumElements();
  if (input.hasStaticShape() && !result.hasStaticShape()) {
    int64_t known = 1;
    for (int64_t d : result.getShape())
      if (!ShapedType::isDynamic(d))
        known *= d;
    if (known == 0 || input.getNumElements() % known != 0)
      return emitOpError("static result dimensions do not divide the input's ")
             << input.getNumElements() << " elements";
  }
  if (!input.hasStaticShape() && result.hasStaticShape())
    return emitOpError("a dynamic input needs a dynamic result dimension");
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  int64_t rank = input.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < -rank || axis > rank)
    return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                             rank);
  if (axis < 0)
    axis += rank;
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return kDyn;
      p *= d;
    }
    return p;
  };
  ArrayRef<int64_t> shape = input.getShape();
  types.push_back(RankedTensorType::get(
      {product(shape.take_front(axis)), product(shape.drop_front(axis))},
      input.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if ((int64_t)perm.size() != input.getRank())
    return emitOptionalError(loc, "perm has ", perm.size(),
                             " entries for an input of rank ", input.getRank());
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "perm is not a permutation of [0, ",
                               input.getRank(), ")");
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "needs at least one input");
  auto first = rankedType(adaptor.getInputs().front());
  int64_t rawAxis = adaptor.getAxis();
  FailureOr<int64_t> axis = normalizeAxis(rawAxis, first.getRank());
  if (failed(axis))
    return emitOptionalError(loc, "axis ", rawAxis, " out of range for rank ",
                             first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  shape[*axis] = 0;
  for (Value v : adaptor.getInputs()) {
    auto t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc,
                               "inputs must have the same rank and element type");
    for (int64_t i = 0; i < t.getRank(); ++i) {
      if (i == *axis)
        continue;
      if (t.getDimSize(i) != first.getDimSize(i))
        return emitOptionalError(loc, "inputs differ in dimension ", i,
                                 " (not the concatenation axis)");
    }
    int64_t d = t.getDimSize(*axis);
    shape[*axis] = ShapedType::isDynamic(d) || ShapedType::isDynamic(shape[*axis])
                       ? kDyn
                       : shape[*axis] + d;
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  ArrayRef<int64_t> axes = adaptor.getAxes(), starts = adaptor.getStarts(),
                    sizes = adaptor.getSizes(), steps = adaptor.getSteps();
  if (starts.size() != axes.size() || sizes.size() != axes.size() ||
      steps.size() != axes.size())
    return emitOptionalError(loc,
                             "axes, starts, sizes and steps must have equal length");
  SmallVector<int64_t> shape(input.getShape());
  llvm::SmallSet<int64_t, 4> seen;
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxis(axes[i], input.getRank());
    if (failed(axis) || !seen.insert(*axis).second)
      return emitOptionalError(loc, "axis ", axes[i],
                               " out of range or repeated");
    int64_t dim = input.getDimSize(*axis);
    if (steps[i] == 0)
      return emitOptionalError(loc, "steps must be non-zero");
    if (sizes[i] < 0)
      return emitOptionalError(loc, "sizes must be non-negative");
    if (ShapedType::isDynamic(dim))
      return emitOptionalError(loc, "cannot slice dynamic dimension ", *axis);
    if (sizes[i] > 0) {
      int64_t last = starts[i] + (sizes[i] - 1) * steps[i];
      if (starts[i] < 0 || starts[i] >= dim || last < 0 || last >= dim)
        return emitOptionalError(loc, "slice along axis ", *axis,
                                 " leaves the dimension of size ", dim);
    }
    shape[*axis] = sizes[i];
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  int64_t rawAxis = adaptor.getAxis();
  FailureOr<int64_t> axis = normalizeAxis(rawAxis, data.getRank());
  if (failed(axis))
    return emitOptionalError(loc, "axis ", rawAxis, " out of range for rank ",
                             data.getRank());
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  SmallVector<bool> drop(input.getRank(), false);
  for (int64_t a : adaptor.getAxes()) {
    FailureOr<int64_t> axis = normalizeAxis(a, input.getRank());
    if (failed(axis) || drop[*axis])
      return emitOptionalError(loc, "axis ", a, " out of range or repeated");
    if (input.getDimSize(*axis) != 1)
      return emitOptionalError(loc, "cannot squeeze dimension ", *axis,
                               " which is not of static size 1");
    drop[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < input.getRank(); ++i)
    if (!drop[i])
      shape.push_back(input.getDimSize(i));
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  int64_t rank = input.getRank() + adaptor.getAxes().size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : adaptor.getAxes()) {
    FailureOr<int64_t> axis = normalizeAxis(a, rank);
    if (failed(axis) || inserted[*axis])
      return emitOptionalError(loc, "axis ", a, " out of range or repeated");
    inserted[*axis] = true;
  }
  SmallVector<int64_t> shape;
  auto it = input.getShape().begin();
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : *it++);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// Checks that a per-axis quantized type fits the tensor it annotates.
static LogicalResult verifyQuantizedTensor(Operation *op, RankedTensorType t,
                                           StringRef what) {
  auto perAxis =
      dyn_cast<quant::UniformQuantizedPerAxisType>(t.getElementType());
  if (!perAxis)
    return success();
  int64_t axis = perAxis.getQuantizedDimension();
  if (axis >= t.getRank())
    return op->emitOpError() << what << " quantized along axis " << axis
                             << " but has rank " << t.getRank();
  int64_t dim = t.getDimSize(axis);
  if (!ShapedType::isDynamic(dim) &&
      (int64_t)perAxis.getScales().size() != dim)
    return op->emitOpError()
           << what << " has " << perAxis.getScales().size()
           << " scales for dimension " << axis << " of size " << dim;
  return success();
}

LogicalResult QuantizeOp::verify() {
  auto quantType =
      cast<quant::QuantizedType>(getResult().getType().getElementType());
  if (quantType.getExpressedType() != getInput().getType().getElementType())
    return emitOpError("result expresses ")
           << quantType.getExpressedType() << " but the input holds "
           << getInput().getType().getElementType();
  return verifyQuantizedTensor(*this, getResult().getType(), "result");
}

LogicalResult DequantizeOp::verify() {
  auto quantType =
      cast<quant::QuantizedType>(getInput().getType().getElementType());
  if (quantType.getExpressedType() != getResult().getType().getElementType())
    return emitOpError("input expresses ")
           << quantType.getExpressedType() << " but the result holds "
           << getResult().getType().getElementType();
  return verifyQuantizedTensor(*this, getInput().getType(), "input");
}

LogicalResult StorageCastOp::verify() {
  Type in = getInput().getType().getElementType();
  Type out = getResult().getType().getElementType();
  auto qIn = dyn_cast<quant::QuantizedType>(in);
  auto qOut = dyn_cast<quant::QuantizedType>(out);
  if ((qIn != nullptr) == (qOut != nullptr))
    return emitOpError("exactly one of input and result must be quantized");
  auto quantType = qIn ? qIn : qOut;
  auto intType = dyn_cast<IntegerType>(qIn ? out : in);
  if (!intType)
    return emitOpError("the other side must be an integer type");
  bool wantUnsigned = !quantType.isSigned();
  if (intType.getWidth() != quantType.getStorageTypeIntegralWidth() ||
      (wantUnsigned && !intType.isUnsigned()) ||
      (!wantUnsigned && intType.isUnsigned()))
    return emitOpError("integer type ")
           << intType << " does not match the storage type of " << quantType;
  return verifyQuantizedTensor(*this,
                               qIn ? getInput().getType() : getResult().getType(),
                               qIn ? "input" : "result");
}

LogicalResult RequantizeOp::verify() {
  bool hasScale = getScale().has_value();
  bool hasFixed = getMultiplier().has_value() || getShift().has_value();
  if (hasScale == hasFixed)
    return emitOpError("needs either `scale` or both `multiplier` and `shift`");
  if (hasFixed && (!getMultiplier() || !getShift()))
    return emitOpError("`multiplier` and `shift` go together");
  size_t count = hasScale ? getScale()->size() : getMultiplier()->size();
  if (hasFixed && getShift()->size() != count)
    return emitOpError("has ") << getMultiplier()->size() << " multipliers but "
                               << getShift()->size() << " shifts";
  auto input = getInput().getType();
  if (std::optional<int64_t> axis = getAxis()) {
    if (*axis < 0 || *axis >= input.getRank())
      return emitOpError("axis ") << *axis << " out of range for rank "
                                  << input.getRank();
    int64_t dim = input.getDimSize(*axis);
    if (!ShapedType::isDynamic(dim) && (int64_t)count != dim)
      return emitOpError("has ") << count << " scales for dimension " << *axis
                                 << " of size " << dim;
  } else if (count != 1) {
    return emitOpError("per-tensor requantization needs exactly one scale, got ")
           << count;
  }
  if (hasScale && llvm::any_of(*getScale(), [](double s) { return !(s > 0); }))
    return emitOpError("scales must be positive");
  if (hasFixed) {
    // Bind the arrays first: a range-for over `*getMultiplier()` would
    // iterate a reference into the destroyed std::optional temporary.
    ArrayRef<int32_t> multipliers = *getMultiplier();
    ArrayRef<int8_t> shifts = *getShift();
    for (int32_t m : multipliers)
      if (m < (1 << 30))
        return emitOpError("multiplier ")
               << m << " is not normalized to [2^30, 2^31)";
    for (int8_t s : shifts)
      if (s < -31 || s > 63)
        return emitOpError("shift ") << (int)s << " out of range [-31, 63]";
  }
  if (isa<quant::UniformQuantizedPerAxisType>(
          getResult().getType().getElementType()))
    return emitOpError("result must be quantized per tensor");
  return success();
}

//===----------------------------------------------------------------------===//
// TableGen'd op definitions
//===----------------------------------------------------------------------===//

#define GET_OP_CLASSES
#include "mc/Dialect/MC/IR/MCOps.cpp.inc"
