//===- Shape.cpp - ONNX shape and data-movement ops -----------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Constant, ConstantOfShape, Shape, Size, Identity, Cast, Reshape, Flatten,
// Transpose, Concat, Slice, Split, Gather, Squeeze, Unsqueeze. Whenever the
// inputs are integers known at import (shape subgraphs), the result is
// computed here on KnownInts instead of emitting ops, so the graph keeps
// static shapes.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

//===----------------------------------------------------------------------===//
// KnownInts arithmetic
//===----------------------------------------------------------------------===//

static int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Gathers along `axis` (indices already normalized to be non-negative).
static KnownInts gatherInts(const KnownInts &data, const KnownInts &indices,
                            int64_t axis) {
  ArrayRef<int64_t> shape = data.shape;
  int64_t outer = product(shape.take_front(axis));
  int64_t dim = shape[axis];
  int64_t inner = product(shape.drop_front(axis + 1));
  KnownInts result;
  llvm::append_range(result.shape, shape.take_front(axis));
  llvm::append_range(result.shape, indices.shape);
  llvm::append_range(result.shape, shape.drop_front(axis + 1));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t idx : indices.values)
      for (int64_t i = 0; i < inner; ++i)
        result.values.push_back(data.values[(o * dim + idx) * inner + i]);
  return result;
}

static KnownInts concatInts(ArrayRef<const KnownInts *> inputs, int64_t axis) {
  KnownInts result;
  result.shape = inputs.front()->shape;
  result.shape[axis] = 0;
  for (const KnownInts *in : inputs)
    result.shape[axis] += in->shape[axis];
  int64_t outer = product(ArrayRef(result.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const KnownInts *in : inputs) {
      int64_t chunk = product(ArrayRef(in->shape).drop_front(axis));
      for (int64_t i = 0; i < chunk; ++i)
        result.values.push_back(in->values[o * chunk + i]);
    }
  return result;
}

/// Applies `fn` elementwise with NumPy broadcasting; unknown in, unknown out.
static std::optional<KnownInts>
broadcastInts(const KnownInts &a, const KnownInts &b,
              function_ref<std::optional<int64_t>(int64_t, int64_t)> fn) {
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(a.shape, b.shape, shape)))
    return std::nullopt;
  KnownInts result{shape, {}};
  auto outStrides = stridesOf(shape);
  auto index = [&](const KnownInts &t, int64_t flat) {
    int64_t offset = 0, rankDiff = shape.size() - t.shape.size();
    auto strides = stridesOf(t.shape);
    for (size_t d = 0; d < shape.size(); ++d) {
      int64_t coord = (flat / outStrides[d]) % shape[d];
      if ((int64_t)d >= rankDiff && t.shape[d - rankDiff] != 1)
        offset += coord * strides[d - rankDiff];
    }
    return t.values[offset];
  };
  for (int64_t i = 0, e = product(shape); i < e; ++i) {
    int64_t x = index(a, i), y = index(b, i);
    if (x == kUnknown || y == kUnknown) {
      result.values.push_back(kUnknown);
      continue;
    }
    std::optional<int64_t> v = fn(x, y);
    if (!v)
      return std::nullopt;
    result.values.push_back(*v);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Handlers
//===----------------------------------------------------------------------===//

static LogicalResult importConstant(NodeContext &ctx) {
  MLIRContext *mctx = ctx.context();
  auto f32 = Float32Type::get(mctx);
  auto i64 = IntegerType::get(mctx, 64);
  if (const onnx::AttributeProto *a = ctx.attr("value")) {
    FailureOr<ElementsAttr> attr = convertTensor(
        a->t(), ctx.node.output(0), ctx.loc);
    if (failed(attr))
      return failure();
    ctx.setConstant(0, *attr);
    return success();
  }
  if (const onnx::AttributeProto *a = ctx.attr("value_float")) {
    ctx.setConstant(0, DenseElementsAttr::get(RankedTensorType::get({}, f32),
                                              a->f()));
    return success();
  }
  if (const onnx::AttributeProto *a = ctx.attr("value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    ctx.setConstant(0, DenseElementsAttr::get(
                           RankedTensorType::get({(int64_t)v.size()}, f32),
                           ArrayRef<float>(v)));
    return success();
  }
  if (const onnx::AttributeProto *a = ctx.attr("value_int")) {
    ctx.setKnownInts(0, KnownInts::scalar(a->i()), i64);
    return success();
  }
  if (const onnx::AttributeProto *a = ctx.attr("value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    ctx.setKnownInts(0, KnownInts::vector(v), i64);
    return success();
  }
  if (ctx.hasAttr("sparse_value"))
    return ctx.unsupported("sparse constant");
  return ctx.unsupported("constant without a numeric value attribute");
}

static LogicalResult importConstantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = ctx.requireInts(0, "shape");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return ctx.emitError() << "negative dimension in shape";
  Attribute value = FloatAttr::get(Float32Type::get(ctx.context()), 0.0);
  if (const onnx::AttributeProto *a = ctx.attr("value")) {
    FailureOr<ElementsAttr> attr = convertTensor(a->t(), "value", ctx.loc);
    if (failed(attr))
      return failure();
    if (cast<ShapedType>(attr->getType()).getNumElements() != 1)
      return ctx.emitError() << "value must hold exactly one element";
    value = *attr->getValues<Attribute>().begin();
  }
  Type elementType = cast<TypedAttr>(value).getType();
  auto type = RankedTensorType::get(*shape, elementType);
  if (isa<IntegerType>(elementType) && product(*shape) <= 4096) {
    int64_t v = cast<IntegerAttr>(value).getValue().getSExtValue();
    ctx.setKnownInts(0, KnownInts{*shape, SmallVector<int64_t>(product(*shape), v)},
                     elementType);
    return success();
  }
  ctx.setConstant(0, DenseElementsAttr::get(type, value));
  return success();
}

static LogicalResult importShape(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  int64_t start = ctx.getInt("start", 0), end = ctx.getInt("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i)
    dims.push_back(type->isDynamicDim(i) ? kUnknown : type->getDimSize(i));
  ctx.setKnownInts(0, KnownInts::vector(dims), IntegerType::get(ctx.context(), 64));
  return success();
}

/// Size: the element count, known at import when the shape is static.
static LogicalResult importSize(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.unsupported("Size of a tensor with a dynamic dimension");
  ctx.setKnownInts(0, KnownInts::scalar(type->getNumElements()),
                   IntegerType::get(ctx.context(), 64));
  return success();
}

/// Identity and friends: the output is the input, with everything known
/// about it.
static LogicalResult importIdentity(NodeContext &ctx) {
  if (!ctx.hasInput(0))
    return ctx.emitError() << "missing input";
  Entry *e = ctx.importer.lookup(ctx.node.input(0));
  if (!e) {
    (void)ctx.input(0); // diagnoses the unknown name
    return failure();
  }
  Entry copy = *e;
  ctx.importer.values[ctx.node.output(0)] = copy;
  return success();
}

static LogicalResult importCast(NodeContext &ctx) {
  int64_t to = ctx.getInt("to", 0);
  Type target = convertElementType(to, ctx.context());
  if (!target)
    return ctx.unsupported("cast target type " + onnxTypeName(to));
  if (const KnownInts *ints = ctx.knownInts(0)) {
    if (auto intType = dyn_cast<IntegerType>(target)) {
      KnownInts converted = *ints;
      if (intType.getWidth() == 1)
        for (int64_t &v : converted.values)
          v = v == kUnknown ? kUnknown : (v != 0);
      ctx.setKnownInts(0, converted, target);
      return success();
    }
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getElementType() == target) {
    ctx.setResult(0, *input);
    return success();
  }
  ctx.setResult(0, CastOp::create(ctx.builder(), ctx.loc, type.clone(target),
                                  *input));
  return success();
}

/// Resolves an ONNX Reshape target against the input shape. Unknown entries
/// (the batch size) and -1 become one dynamic or computed dimension.
static FailureOr<SmallVector<int64_t>>
resolveReshape(NodeContext &ctx, RankedTensorType input,
               ArrayRef<int64_t> target, bool allowZero) {
  SmallVector<int64_t> shape;
  int64_t inferIndex = -1, unknownIndex = -1;
  for (auto [i, entry] : llvm::enumerate(target)) {
    int64_t d = entry;
    if (d == 0 && !allowZero) {
      if ((int64_t)i >= input.getRank())
        return ctx.emitError() << "shape entry " << i
                               << " copies a dimension the input lacks",
               failure();
      d = input.isDynamicDim(i) ? kUnknown : input.getDimSize(i);
    }
    if (d == -1) {
      if (inferIndex >= 0)
        return ctx.emitError() << "shape has more than one -1", failure();
      inferIndex = i;
    } else if (d == kUnknown) {
      if (unknownIndex >= 0)
        return ctx.unsupported("reshape with two dimensions that depend on "
                               "the dynamic batch size"),
               failure();
      unknownIndex = i;
    } else if (d < 0) {
      return ctx.emitError() << "invalid shape entry " << d, failure();
    }
    shape.push_back(d);
  }
  int64_t known = 1;
  for (int64_t d : shape)
    if (d >= 0)
      known *= d;
  if (input.hasStaticShape()) {
    int64_t numel = input.getNumElements();
    if (unknownIndex >= 0)
      return ctx.emitError() << "internal: unknown dimension for a static input",
             failure();
    if (inferIndex >= 0) {
      if (known == 0 || numel % known != 0)
        return ctx.emitError() << "cannot reshape " << numel
                               << " elements to the requested shape",
               failure();
      shape[inferIndex] = numel / known;
    } else if (known != numel) {
      return ctx.emitError() << "cannot reshape " << numel << " elements to "
                             << known,
             failure();
    }
    return shape;
  }
  // Dynamic batch: the input has `batch * staticRest` elements.
  int64_t staticRest = 1;
  for (int64_t d : input.getShape())
    if (!ShapedType::isDynamic(d))
      staticRest *= d;
  if (unknownIndex >= 0 && inferIndex >= 0) {
    // batch * X = batch * staticRest  =>  X = staticRest / known
    if (known == 0 || staticRest % known != 0)
      return ctx.emitError() << "cannot infer the -1 dimension of the reshape",
             failure();
    shape[inferIndex] = staticRest / known;
    shape[unknownIndex] = ShapedType::kDynamic;
  } else if (unknownIndex >= 0) {
    shape[unknownIndex] = ShapedType::kDynamic;
  } else if (inferIndex >= 0) {
    shape[inferIndex] = ShapedType::kDynamic;
  } else {
    return ctx.unsupported("reshape of a dynamic-batch tensor to a fully "
                           "static shape"),
           failure();
  }
  return shape;
}

static LogicalResult importReshape(NodeContext &ctx) {
  const KnownInts *target = ctx.knownInts(1);
  if (!target) {
    (void)ctx.requireInts(1, "shape"); // diagnoses the missing constant
    return failure();
  }
  bool allowZero = ctx.getInt("allowzero", 0) != 0;
  if (const KnownInts *data = ctx.knownInts(0)) {
    if (data->fullyKnown() && target->fullyKnown()) {
      FailureOr<RankedTensorType> type = ctx.inputType(0);
      FailureOr<SmallVector<int64_t>> shape =
          resolveReshape(ctx, *type, target->values, allowZero);
      if (failed(shape))
        return failure();
      KnownInts reshaped{*shape, data->values};
      ctx.setKnownInts(0, reshaped, type->getElementType());
      return success();
    }
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<SmallVector<int64_t>> shape =
      resolveReshape(ctx, type, target->values, allowZero);
  if (failed(shape))
    return failure();
  auto resultType = RankedTensorType::get(*shape, type.getElementType());
  if (resultType == type) {
    ctx.setResult(0, *input);
    return success();
  }
  ctx.setResult(0, ReshapeOp::create(ctx.builder(), ctx.loc, resultType, *input));
  return success();
}

static LogicalResult importFlatten(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << rank;
  FailureOr<Value> result =
      buildInferred<FlattenOp>(ctx, *input, axis < 0 ? axis + rank : axis);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importTranspose(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.inputType(0);
  if (failed(inputType))
    return failure();
  int64_t rank = inputType->getRank();
  SmallVector<int64_t> perm = ctx.getInts("perm");
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  // A transposed constant (PyTorch exports nn.Linear weights this way when
  // constant folding is off) stays a constant, so passes see the weight.
  if (ElementsAttr c = ctx.constantInput(0)) {
    auto type = cast<RankedTensorType>(c.getType());
    std::optional<SmallVector<float>> values = getF32Values(c);
    if (values && (int64_t)perm.size() == rank &&
        llvm::all_of(perm, [&](int64_t p) { return p >= 0 && p < rank; })) {
      SmallVector<int64_t> shape;
      for (int64_t p : perm)
        shape.push_back(type.getDimSize(p));
      auto inStrides = stridesOf(type.getShape());
      auto outStrides = stridesOf(shape);
      SmallVector<float> out(values->size());
      for (int64_t flat = 0, e = values->size(); flat < e; ++flat) {
        int64_t offset = 0;
        for (int64_t d = 0; d < rank; ++d)
          offset += ((flat / outStrides[d]) % shape[d]) * inStrides[perm[d]];
        out[flat] = (*values)[offset];
      }
      auto outType = RankedTensorType::get(shape, type.getElementType());
      ctx.setConstant(0, createWeightAttr(outType, ctx.node.output(0),
                                          ArrayRef<float>(out)));
      return success();
    }
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = buildInferred<TransposeOp>(ctx, *input, perm);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importConcat(NodeContext &ctx) {
  int64_t axis = ctx.getInt("axis", 0);
  // All inputs known: fold.
  SmallVector<const KnownInts *> known;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (const KnownInts *k = ctx.hasInput(i) ? ctx.knownInts(i) : nullptr)
      known.push_back(k);
  if (!known.empty() && known.size() == ctx.numInputs()) {
    int64_t rank = known.front()->shape.size();
    FailureOr<int64_t> a = normalizeAxis(axis, rank);
    if (failed(a))
      return ctx.emitError() << "axis " << axis << " out of range";
    for (const KnownInts *k : known)
      if ((int64_t)k->shape.size() != rank)
        return ctx.emitError() << "inputs differ in rank";
    FailureOr<RankedTensorType> type = ctx.inputType(0);
    ctx.setKnownInts(0, concatInts(known, *a), type->getElementType());
    return success();
  }
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    FailureOr<Value> v = ctx.input(i);
    if (failed(v))
      return failure();
    // Zero-sized inputs contribute nothing (ONNX allows them).
    auto t = cast<RankedTensorType>(v->getType());
    if (t.hasStaticShape() && t.getNumElements() == 0 && ctx.numInputs() > 1)
      continue;
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return ctx.unsupported("concatenation of empty tensors only");
  int64_t rank = cast<RankedTensorType>(inputs.front().getType()).getRank();
  FailureOr<int64_t> a = normalizeAxis(axis, rank);
  if (failed(a))
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << rank;
  if (inputs.size() == 1) {
    ctx.setResult(0, inputs.front());
    return success();
  }
  FailureOr<Value> result = buildInferred<ConcatOp>(ctx, inputs, *a);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// Normalized slice parameters of one axis.
struct AxisSlice {
  int64_t axis, start, size, step;
};

static FailureOr<SmallVector<AxisSlice>>
normalizeSlice(NodeContext &ctx, RankedTensorType type,
               ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
               ArrayRef<int64_t> axes, ArrayRef<int64_t> steps) {
  int64_t rank = type.getRank();
  SmallVector<AxisSlice> result;
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return ctx.emitError() << "starts, ends, axes and steps differ in length",
           failure();
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxis(axes[i], rank);
    if (failed(axis))
      return ctx.emitError() << "axis " << axes[i] << " out of range",
             failure();
    int64_t dim = type.getDimSize(*axis);
    int64_t step = steps[i];
    if (step == 0)
      return ctx.emitError() << "step must be non-zero", failure();
    if (ShapedType::isDynamic(dim)) {
      // Only the full range of the batch dimension can be kept.
      if (starts[i] == 0 && step == 1 && ends[i] >= (int64_t)INT32_MAX)
        continue;
      return ctx.unsupported("slicing the dynamic batch dimension"), failure();
    }
    int64_t start = starts[i], end = ends[i];
    if (start < 0)
      start += dim;
    if (end < 0 && end > std::numeric_limits<int64_t>::min() / 2)
      end += dim;
    int64_t size;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      size = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      size = start > end ? (start - end - step - 1) / (-step) : 0;
    }
    if (size == 0)
      start = 0;
    result.push_back({*axis, start, size, step});
  }
  return result;
}

/// Slice of input 0 by `starts`, `ends`, `axes` (empty: 0, 1, ...) and
/// `steps` (empty: all 1), whichever way the opset passes them.
static LogicalResult emitSlice(NodeContext &ctx, ArrayRef<int64_t> starts,
                               ArrayRef<int64_t> ends,
                               SmallVector<int64_t> axes,
                               SmallVector<int64_t> steps) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  if (failed(type))
    return failure();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  FailureOr<SmallVector<AxisSlice>> slices =
      normalizeSlice(ctx, *type, starts, ends, axes, steps);
  if (failed(slices))
    return failure();

  if (const KnownInts *data = ctx.knownInts(0)) {
    // Fold: walk every result coordinate.
    KnownInts result{data->shape, {}};
    for (const AxisSlice &s : *slices)
      result.shape[s.axis] = s.size;
    auto inStrides = stridesOf(data->shape);
    auto outStrides = stridesOf(result.shape);
    for (int64_t flat = 0, e = product(result.shape); flat < e; ++flat) {
      int64_t offset = 0;
      for (size_t d = 0; d < result.shape.size(); ++d) {
        int64_t coord = (flat / outStrides[d]) % result.shape[d];
        for (const AxisSlice &s : *slices)
          if (s.axis == (int64_t)d)
            coord = s.start + coord * s.step;
        offset += coord * inStrides[d];
      }
      result.values.push_back(data->values[offset]);
    }
    ctx.setKnownInts(0, result, type->getElementType());
    return success();
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> a, st, sz, sp;
  for (const AxisSlice &s : *slices) {
    a.push_back(s.axis);
    st.push_back(s.start);
    sz.push_back(s.size);
    sp.push_back(s.step);
  }
  FailureOr<Value> result = buildInferred<SliceOp>(ctx, *input, a, st, sz, sp);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// Split: one mc.slice per output along `axis`. The sizes come from the
/// `split` attribute (opsets 2-12) or input (13+), or are equal parts.
static LogicalResult importSplit(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  if (failed(type))
    return failure();
  int64_t axis = ctx.getInt("axis", 0);
  FailureOr<int64_t> a = normalizeAxis(axis, type->getRank());
  if (failed(a))
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << type->getRank();
  int64_t dim = type->getDimSize(*a);
  if (ShapedType::isDynamic(dim))
    return ctx.unsupported("split along a dynamic dimension");
  int64_t parts = ctx.numOutputs();
  SmallVector<int64_t> sizes;
  if (ctx.opset < 13 && ctx.hasAttr("split")) {
    sizes = ctx.getInts("split");
  } else if (ctx.opset >= 13 && ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> s = ctx.requireInts(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  } else {
    if (parts == 0 || dim % parts != 0)
      return ctx.emitError() << "dimension " << *a << " of size " << dim
                             << " does not split into " << parts
                             << " equal parts";
    sizes.assign(parts, dim / parts);
  }
  if ((int64_t)sizes.size() != parts)
    return ctx.emitError() << "split has " << sizes.size() << " sizes for "
                           << parts << " outputs";
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return ctx.emitError() << "negative split size " << size;
    total += size;
  }
  if (total != dim)
    return ctx.emitError() << "split sizes add up to " << total
                           << ", not to the size " << dim << " of dimension "
                           << *a;
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (ctx.outputUsed(i)) {
      FailureOr<Value> part = buildInferred<SliceOp>(
          ctx, *input, ArrayRef<int64_t>{*a}, ArrayRef<int64_t>{offset},
          ArrayRef<int64_t>{size}, ArrayRef<int64_t>{1});
      if (failed(part))
        return failure();
      ctx.setResult(i, *part);
    }
    offset += size;
  }
  return success();
}

/// Slice from opset 10: bounds, axes and steps are inputs.
static LogicalResult importSlice(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> starts = ctx.requireInts(1, "starts");
  FailureOr<SmallVector<int64_t>> ends = ctx.requireInts(2, "ends");
  if (failed(starts) || failed(ends))
    return failure();
  SmallVector<int64_t> axes, steps;
  if (ctx.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = ctx.requireInts(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  if (ctx.hasInput(4)) {
    FailureOr<SmallVector<int64_t>> s = ctx.requireInts(4, "steps");
    if (failed(s))
      return failure();
    steps = *s;
  }
  return emitSlice(ctx, *starts, *ends, axes, steps);
}

/// Slice before opset 10: starts, ends and axes are attributes, no steps.
static LogicalResult importSliceAttributes(NodeContext &ctx) {
  if (!ctx.hasAttr("starts") || !ctx.hasAttr("ends"))
    return ctx.emitError() << "missing attribute 'starts' or 'ends'";
  return emitSlice(ctx, ctx.getInts("starts"), ctx.getInts("ends"),
                   ctx.getInts("axes"), {});
}


static LogicalResult importGather(NodeContext &ctx) {
  FailureOr<RankedTensorType> dataType = ctx.inputType(0);
  if (failed(dataType))
    return failure();
  int64_t axis = ctx.getInt("axis", 0);
  FailureOr<int64_t> a = normalizeAxis(axis, dataType->getRank());
  if (failed(a))
    return ctx.emitError() << "axis " << axis << " out of range for rank "
                           << dataType->getRank();
  const KnownInts *data = ctx.knownInts(0);
  const KnownInts *indices = ctx.knownInts(1);
  if (data && indices && indices->fullyKnown()) {
    int64_t dim = data->shape[*a];
    KnownInts normalized = *indices;
    for (int64_t &i : normalized.values) {
      if (i < -dim || i >= dim)
        return ctx.emitError() << "index " << i << " out of range [" << -dim
                               << ", " << dim << ")";
      if (i < 0)
        i += dim;
    }
    ctx.setKnownInts(0, gatherInts(*data, normalized, *a),
                     dataType->getElementType());
    return success();
  }
  FailureOr<Value> input = ctx.input(0);
  FailureOr<Value> idx = ctx.input(1);
  if (failed(input) || failed(idx))
    return failure();
  FailureOr<Value> result = buildInferred<GatherOp>(ctx, *input, *idx, *a);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input after.
static FailureOr<SmallVector<int64_t>> squeezeAxes(NodeContext &ctx,
                                                   bool required) {
  if (ctx.opset < 13) {
    if (!ctx.hasAttr("axes") && required)
      return ctx.emitError() << "missing attribute 'axes'", failure();
    return ctx.getInts("axes");
  }
  if (!ctx.hasInput(1)) {
    if (required)
      return ctx.emitError() << "missing input 'axes'", failure();
    return SmallVector<int64_t>();
  }
  return ctx.requireInts(1, "axes");
}

static LogicalResult importSqueeze(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  FailureOr<SmallVector<int64_t>> axes = squeezeAxes(ctx, false);
  if (failed(type) || failed(axes))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> normalized;
  if (axes->empty()) {
    for (int64_t i = 0; i < rank; ++i)
      if (type->getDimSize(i) == 1)
        normalized.push_back(i);
  } else {
    for (int64_t axis : *axes) {
      FailureOr<int64_t> a = normalizeAxis(axis, rank);
      if (failed(a))
        return ctx.emitError() << "axis " << axis << " out of range";
      if (type->getDimSize(*a) != 1)
        return ctx.emitError() << "cannot squeeze dimension " << *a
                               << " of size other than 1";
      normalized.push_back(*a);
    }
  }
  if (const KnownInts *data = ctx.knownInts(0)) {
    KnownInts result{{}, data->values};
    for (int64_t i = 0; i < rank; ++i)
      if (!llvm::is_contained(normalized, i))
        result.shape.push_back(data->shape[i]);
    ctx.setKnownInts(0, result, type->getElementType());
    return success();
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  if (normalized.empty()) {
    ctx.setResult(0, *input);
    return success();
  }
  FailureOr<Value> result = buildInferred<SqueezeOp>(ctx, *input, normalized);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importUnsqueeze(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  FailureOr<SmallVector<int64_t>> axes = squeezeAxes(ctx, true);
  if (failed(type) || failed(axes))
    return failure();
  int64_t rank = type->getRank() + axes->size();
  SmallVector<int64_t> normalized;
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(axis, rank);
    if (failed(a) || llvm::is_contained(normalized, *a))
      return ctx.emitError() << "axis " << axis
                             << " out of range or repeated";
    normalized.push_back(*a);
  }
  llvm::sort(normalized);
  if (const KnownInts *data = ctx.knownInts(0)) {
    KnownInts result{{}, data->values};
    auto it = data->shape.begin();
    for (int64_t i = 0; i < rank; ++i)
      result.shape.push_back(llvm::is_contained(normalized, i) ? 1 : *it++);
    ctx.setKnownInts(0, result, type->getElementType());
    return success();
  }
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = buildInferred<UnsqueezeOp>(ctx, *input, normalized);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult onnx_import::foldKnownBinary(NodeContext &ctx, StringRef op) {
  const KnownInts *a = ctx.knownInts(0);
  const KnownInts *b = ctx.knownInts(1);
  if (!a || !b)
    return failure();
  std::optional<KnownInts> result =
      broadcastInts(*a, *b, [&](int64_t x, int64_t y) -> std::optional<int64_t> {
        if (op == "Add")
          return x + y;
        if (op == "Sub")
          return x - y;
        if (op == "Mul")
          return x * y;
        if (y == 0)
          return std::nullopt;
        // ONNX integer Div truncates toward zero, like C++.
        return x / y;
      });
  if (!result)
    return failure();
  FailureOr<RankedTensorType> type = ctx.inputType(0);
  ctx.setKnownInts(0, *result, type->getElementType());
  return success();
}

void onnx_import::registerShapeHandlers(HandlerRegistry &registry) {
  registry.add("Constant", 1, importConstant);
  registry.add("ConstantOfShape", 9, importConstantOfShape);
  registry.add("Shape", 1, importShape);
  registry.add("Size", 1, importSize);
  registry.add("Identity", 1, importIdentity);
  registry.add("Cast", 6, importCast);
  registry.add("Reshape", 5, importReshape);
  registry.add("Flatten", 1, importFlatten);
  registry.add("Transpose", 1, importTranspose);
  registry.add("Concat", 4, importConcat);
  registry.add("Slice", 1, importSliceAttributes);
  registry.add("Slice", 10, importSlice);
  registry.add("Split", 2, importSplit);
  registry.add("Gather", 1, importGather);
  registry.add("Squeeze", 1, importSqueeze);
  registry.add("Unsqueeze", 1, importUnsqueeze);
}
