//===- ONNXImporter.cpp - ONNX models to the mc dialect -------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Reads the ModelProto, checks the opset, turns graph inputs into function
// arguments and initializers into (lazily materialized) constants, then calls
// the registered handler of every node in order. Also holds the NodeContext
// accessors and the tensor conversion helpers the handlers share.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

//===----------------------------------------------------------------------===//
// Element types and tensors
//===----------------------------------------------------------------------===//

Type onnx_import::convertElementType(int32_t t, MLIRContext *ctx) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(ctx);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(ctx);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(ctx);
  case onnx::TensorProto::INT8:
    return IntegerType::get(ctx, 8);
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case onnx::TensorProto::INT32:
    return IntegerType::get(ctx, 32);
  case onnx::TensorProto::INT64:
    return IntegerType::get(ctx, 64);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(ctx, 1);
  default:
    return nullptr;
  }
}

std::string onnx_import::onnxTypeName(int32_t t) {
  if (onnx::TensorProto_DataType_IsValid(t))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(t));
  return "type #" + std::to_string(t);
}

/// Bytes per element in ONNX raw_data for the types mc takes.
static int64_t rawElementSize(int32_t t) {
  switch (t) {
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
    return 8;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
    return 4;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    return 2;
  default:
    return 1;
  }
}

FailureOr<ElementsAttr> onnx_import::convertTensor(const onnx::TensorProto &t,
                                                   StringRef name,
                                                   Location loc) {
  MLIRContext *ctx = loc.getContext();
  Type elementType = convertElementType(t.data_type(), ctx);
  if (!elementType)
    return emitError(loc) << "tensor '" << name
                          << "' has unsupported element type "
                          << onnxTypeName(t.data_type()),
           failure();
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return emitError(loc) << "tensor '" << name
                          << "' uses external data, which is unsupported",
           failure();
  if (t.has_segment())
    return emitError(loc) << "tensor '" << name
                          << "' is segmented, which is unsupported",
           failure();
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0)
      return emitError(loc) << "tensor '" << name
                            << "' has a negative dimension " << d,
             failure();
    shape.push_back(d);
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elementType);
  int64_t elementSize = rawElementSize(t.data_type());
  std::vector<char> bytes;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if ((int64_t)raw.size() != count * elementSize)
      return emitError(loc) << "tensor '" << name << "' holds " << raw.size()
                            << " bytes of raw data, expected "
                            << count * elementSize,
             failure();
    bytes.assign(raw.begin(), raw.end());
  } else {
    bytes.resize(count * elementSize);
    auto check = [&](int64_t have) -> LogicalResult {
      if (have == count)
        return success();
      return emitError(loc) << "tensor '" << name << "' holds " << have
                            << " values, expected " << count;
    };
    char *out = bytes.data();
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (failed(check(t.float_data_size())))
        return failure();
      std::memcpy(out, t.float_data().data(), count * 4);
      break;
    case onnx::TensorProto::DOUBLE:
      if (failed(check(t.double_data_size())))
        return failure();
      std::memcpy(out, t.double_data().data(), count * 8);
      break;
    case onnx::TensorProto::INT64:
      if (failed(check(t.int64_data_size())))
        return failure();
      std::memcpy(out, t.int64_data().data(), count * 8);
      break;
    default: {
      // INT32, INT8, UINT8, BOOL, FLOAT16, BFLOAT16 live in int32_data.
      if (failed(check(t.int32_data_size())))
        return failure();
      for (int64_t i = 0; i < count; ++i) {
        int32_t v = t.int32_data(i);
        std::memcpy(out + i * elementSize, &v, elementSize);
      }
      break;
    }
    }
  }
  return createWeightAttr(type, name, ArrayRef<char>(bytes));
}

std::optional<KnownInts> onnx_import::knownIntsOf(ElementsAttr constant) {
  auto type = cast<ShapedType>(constant.getType());
  if (!isa<IntegerType>(type.getElementType()) || type.getNumElements() > 4096)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> values = getIntValues(constant);
  if (!values)
    return std::nullopt;
  return KnownInts{SmallVector<int64_t>(type.getShape()), std::move(*values)};
}

DenseElementsAttr onnx_import::intsToAttr(const KnownInts &ints,
                                          Type elementType) {
  auto type = RankedTensorType::get(ints.shape, elementType);
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (int64_t v : ints.values)
    values.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

FailureOr<int64_t> onnx_import::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return failure();
  return axis < 0 ? axis + rank : axis;
}

Value onnx_import::createScalar(NodeContext &ctx, Type elementType,
                                double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute attr;
  if (isa<FloatType>(elementType))
    attr = DenseElementsAttr::get(type, FloatAttr::get(elementType, value));
  else
    attr = DenseElementsAttr::get(type, IntegerAttr::get(elementType, (int64_t)value));
  return ConstantOp::create(ctx.builder(), ctx.loc, cast<ElementsAttr>(attr));
}

LogicalResult onnx_import::inferResultTypeOrErase(NodeContext &ctx,
                                                 Operation *op) {
  auto infer = cast<InferTypeOpInterface>(op);
  SmallVector<Type> types;
  std::string message;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler capture(ctx.context(), [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    result = infer.inferReturnTypes(
        ctx.context(), op->getLoc(), op->getOperands(),
        op->getAttrDictionary(), op->getPropertiesStorage(), op->getRegions(),
        types);
  }
  if (failed(result)) {
    std::string name = op->getName().getStringRef().str();
    op->erase();
    return ctx.emitError() << "cannot build '" << name << "': " << message;
  }
  for (auto [r, t] : llvm::zip(op->getResults(), types))
    r.setType(t);
  return success();
}

//===----------------------------------------------------------------------===//
// HandlerRegistry
//===----------------------------------------------------------------------===//

void HandlerRegistry::add(StringRef opType, int64_t sinceVersion, Handler fn) {
  auto &list = handlers[opType];
  list.push_back({sinceVersion, std::move(fn)});
  llvm::sort(list, [](auto &a, auto &b) { return a.first > b.first; });
}

const Handler *HandlerRegistry::lookup(StringRef opType, int64_t opset) const {
  auto it = handlers.find(opType);
  if (it == handlers.end())
    return nullptr;
  for (auto &[since, fn] : it->second)
    if (since <= opset)
      return &fn;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

NodeContext::NodeContext(Importer &importer, const onnx::NodeProto &node,
                         int64_t index, int64_t opset)
    : node(node), opset(opset),
      loc(NameLoc::get(
          StringAttr::get(importer.context,
                          node.name().empty() ? node.op_type() + "#" +
                                                    std::to_string(index)
                                              : node.name()),
          importer.fileLoc())),
      importer(importer), index(index) {}

OpBuilder &NodeContext::builder() { return importer.builder; }
MLIRContext *NodeContext::context() { return importer.context; }

std::string NodeContext::displayName() const {
  if (!node.name().empty())
    return node.name();
  return "#" + std::to_string(index);
}

bool NodeContext::hasInput(size_t i) const {
  return (int)i < node.input_size() && !node.input(i).empty();
}

FailureOr<Value> NodeContext::input(size_t i) {
  if (!hasInput(i))
    return emitError() << "missing required input #" << i, failure();
  if (!importer.lookup(node.input(i)))
    return emitError() << "input '" << node.input(i)
                       << "' is not produced by any node, initializer or "
                          "graph input",
           failure();
  return importer.materialize(node.input(i), loc);
}

FailureOr<RankedTensorType> NodeContext::inputType(size_t i) {
  if (!hasInput(i))
    return emitError() << "missing required input #" << i, failure();
  Entry *e = importer.lookup(node.input(i));
  if (!e)
    return emitError() << "input '" << node.input(i)
                       << "' is not produced by any node, initializer or "
                          "graph input",
           failure();
  if (e->value)
    return cast<RankedTensorType>(e->value.getType());
  if (e->constant)
    return cast<RankedTensorType>(e->constant.getType());
  if (e->ints)
    return RankedTensorType::get(e->ints->shape, e->intsElementType);
  return emitError() << "input '" << node.input(i) << "' has no value",
         failure();
}

ElementsAttr NodeContext::constantInput(size_t i) {
  if (!hasInput(i))
    return nullptr;
  Entry *e = importer.lookup(node.input(i));
  if (!e)
    return nullptr;
  if (!e->constant && e->ints && e->ints->fullyKnown())
    e->constant = cast<ElementsAttr>(intsToAttr(*e->ints, e->intsElementType));
  return e->constant;
}

const KnownInts *NodeContext::knownInts(size_t i) {
  if (!hasInput(i))
    return nullptr;
  Entry *e = importer.lookup(node.input(i));
  if (!e)
    return nullptr;
  if (!e->ints && e->constant)
    if (std::optional<KnownInts> ints = knownIntsOf(e->constant)) {
      e->ints = std::move(ints);
      e->intsElementType =
          cast<ShapedType>(e->constant.getType()).getElementType();
    }
  return e->ints ? &*e->ints : nullptr;
}

FailureOr<SmallVector<int64_t>> NodeContext::requireInts(size_t i,
                                                         StringRef what) {
  const KnownInts *ints = knownInts(i);
  if (!ints) {
    if (!hasInput(i))
      return emitError() << "missing " << what, failure();
    return unsupported(Twine("non-constant ") + what + " (input '" +
                       node.input(i) + "')"),
           failure();
  }
  if (!ints->fullyKnown())
    return unsupported(Twine(what) +
                       " that depends on the dynamic batch size"),
           failure();
  return ints->values;
}

FailureOr<SmallVector<double>> NodeContext::requireFloats(size_t i,
                                                          StringRef what) {
  ElementsAttr c = constantInput(i);
  if (!c) {
    if (!hasInput(i))
      return emitError() << "missing " << what, failure();
    return unsupported(Twine("non-constant ") + what + " (input '" +
                       node.input(i) + "')"),
           failure();
  }
  Type elementType = cast<ShapedType>(c.getType()).getElementType();
  SmallVector<double> result;
  if (isa<FloatType>(elementType)) {
    if (auto dense = dyn_cast<DenseElementsAttr>(c)) {
      for (APFloat v : dense.getValues<APFloat>())
        result.push_back(v.convertToDouble());
      return result;
    }
    if (std::optional<SmallVector<float>> f = getF32Values(c)) {
      result.assign(f->begin(), f->end());
      return result;
    }
  } else if (std::optional<SmallVector<int64_t>> ints = getIntValues(c)) {
    result.assign(ints->begin(), ints->end());
    return result;
  }
  return unsupported(Twine("element type ") +
                     typeString(elementType) + " for " + what),
         failure();
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : defaultValue;
}

float NodeContext::getFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : defaultValue;
}

std::string NodeContext::getString(StringRef name,
                                   StringRef defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> NodeContext::getInts(StringRef name,
                                          ArrayRef<int64_t> defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return SmallVector<int64_t>(defaultValue);
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

bool NodeContext::outputUsed(size_t i) const {
  if ((int)i >= node.output_size() || node.output(i).empty())
    return false;
  auto it = importer.uses.find(node.output(i));
  return it != importer.uses.end() && it->second > 0;
}

void NodeContext::setResult(size_t i, Value value) {
  if ((int)i >= node.output_size() || node.output(i).empty())
    return;
  Entry &e = importer.values[node.output(i)];
  e = Entry();
  e.value = value;
  // Constant results keep their data visible to later shape folding.
  if (auto c = value.getDefiningOp<ConstantOp>())
    e.constant = c.getValue();
}

void NodeContext::setKnownInts(size_t i, KnownInts ints, Type elementType) {
  if ((int)i >= node.output_size() || node.output(i).empty())
    return;
  Entry &e = importer.values[node.output(i)];
  e = Entry();
  e.ints = std::move(ints);
  e.intsElementType = elementType;
}

void NodeContext::setConstant(size_t i, ElementsAttr constant) {
  if ((int)i >= node.output_size() || node.output(i).empty())
    return;
  Entry &e = importer.values[node.output(i)];
  e = Entry();
  e.constant = constant;
}

InFlightDiagnostic NodeContext::emitError() {
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << "node '" << displayName() << "' (" << node.op_type() << "): ";
  return diag;
}

LogicalResult NodeContext::unsupported(const Twine &what) {
  return emitError() << "unsupported " << what;
}

LogicalResult NodeContext::onlyFirstOutputsUsed(size_t count) {
  for (size_t i = count; i < numOutputs(); ++i)
    if (outputUsed(i))
      return unsupported("use of output #" + Twine(i) + " ('" +
                         node.output(i) + "')");
  return success();
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Importer::Importer(MLIRContext *context, StringRef fileName,
                   const ONNXImportOptions &options)
    : context(context), builder(context), fileName(fileName.str()),
      options(options) {
  registerConvHandlers(registry);
  registerElementwiseHandlers(registry);
  registerGemmHandlers(registry);
  registerNormHandlers(registry);
  registerQuantizeHandlers(registry);
  registerShapeHandlers(registry);
}

Location Importer::fileLoc() {
  return FileLineColLoc::get(context, fileName, 0, 0);
}

InFlightDiagnostic Importer::emitFileError() { return emitError(fileLoc()); }

Entry *Importer::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

FailureOr<Value> Importer::materialize(StringRef name, Location loc) {
  Entry *e = lookup(name);
  if (!e)
    return emitError(loc) << "value '" << name
                          << "' is not produced by any node, initializer or "
                             "graph input",
           failure();
  if (e->value)
    return e->value;
  if (!e->constant && e->ints) {
    if (!e->ints->fullyKnown())
      return emitError(loc)
                 << "unsupported use of '" << name
                 << "' as a tensor: its value depends on the dynamic batch "
                    "size",
             failure();
    e->constant = cast<ElementsAttr>(intsToAttr(*e->ints, e->intsElementType));
  }
  if (!e->constant)
    return emitError(loc) << "value '" << name << "' has no definition",
           failure();
  e->value = ConstantOp::create(builder, loc, e->constant);
  return e->value;
}

/// The mc type of a graph input or output declared in the model.
static FailureOr<RankedTensorType>
convertValueInfo(const onnx::ValueInfoProto &info, Location loc,
                 StringRef kind) {
  MLIRContext *ctx = loc.getContext();
  if (!info.type().has_tensor_type())
    return emitError(loc) << kind << " '" << info.name()
                          << "' is not a tensor, which is unsupported",
           failure();
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  Type elementType = convertElementType(tensor.elem_type(), ctx);
  if (!elementType)
    return emitError(loc) << kind << " '" << info.name()
                          << "' has unsupported element type "
                          << onnxTypeName(tensor.elem_type()),
           failure();
  if (!tensor.has_shape())
    return emitError(loc) << kind << " '" << info.name()
                          << "' has unknown rank, which is unsupported",
           failure();
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(tensor.shape().dim())) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    if (i != 0)
      return emitError(loc)
                 << kind << " '" << info.name() << "' has a symbolic dimension "
                 << i
                 << (dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : "")
                 << "; only the leading (batch) dimension may be dynamic, "
                    "other symbolic dimensions are unsupported",
             failure();
    shape.push_back(ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, elementType);
}

/// Converts a value to the storage form a function result can hold: quantized
/// tensors become their integer storage.
static Value toBoundaryValue(OpBuilder &builder, Location loc, Value v,
                             RankedTensorType declared) {
  auto type = cast<RankedTensorType>(v.getType());
  if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType())) {
    Type storage = IntegerType::get(
        builder.getContext(), q.getStorageTypeIntegralWidth(),
        q.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
    return StorageCastOp::create(builder, loc, type.clone(storage), v);
  }
  return v;
}

OwningOpRef<ModuleOp> Importer::run(onnx::ModelProto &model) {
  // Opset of the default domain.
  int64_t opset = -1;
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (opset < 0)
    return emitFileError() << "unsupported model: it imports no opset of the "
                              "default ONNX domain",
           nullptr;
  if (opset < kMinOpset || opset > kMaxOpset)
    return emitFileError() << "unsupported opset " << opset
                           << " of the default domain; mc imports opsets "
                           << kMinOpset << " to " << kMaxOpset,
           nullptr;
  const onnx::GraphProto &graph = model.graph();

  // Bind chosen graph inputs to constants (they become initializers).
  for (const auto &bound : options.boundInputs) {
    auto buffer = llvm::MemoryBuffer::getFile(bound.second);
    if (!buffer)
      return emitFileError() << "cannot read tensor file '" << bound.second
                             << "' bound to input '" << bound.first()
                             << "': " << buffer.getError().message(),
             nullptr;
    onnx::TensorProto tensor;
    if (!tensor.ParseFromArray((*buffer)->getBufferStart(),
                               (int)(*buffer)->getBufferSize()))
      return emitFileError() << "'" << bound.second
                             << "' is not a serialized onnx.TensorProto",
             nullptr;
    bool found = llvm::any_of(graph.input(), [&](auto &in) {
      return in.name() == bound.first();
    });
    if (!found)
      return emitFileError() << "cannot bind '" << bound.first()
                             << "': the graph has no such input",
             nullptr;
    FailureOr<ElementsAttr> attr = convertTensor(tensor, bound.first(), fileLoc());
    if (failed(attr))
      return nullptr;
    values[bound.first()].constant = *attr;
  }

  // Initializers (possibly also listed as graph inputs in old models).
  for (const onnx::TensorProto &init : graph.initializer()) {
    FailureOr<ElementsAttr> attr =
        convertTensor(init, init.name(), NameLoc::get(StringAttr::get(
                                             context, init.name()),
                                                      fileLoc()));
    if (failed(attr))
      return nullptr;
    values[init.name()].constant = *attr;
  }
  if (graph.sparse_initializer_size() > 0)
    return emitFileError() << "unsupported sparse initializers", nullptr;

  // Function signature: graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (values.count(in.name()))
      continue;
    FailureOr<RankedTensorType> type = convertValueInfo(
        in, NameLoc::get(StringAttr::get(context, in.name()), fileLoc()),
        "graph input");
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    argNames.push_back(in.name());
  }
  SmallVector<RankedTensorType> declaredResults;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    FailureOr<RankedTensorType> type = convertValueInfo(
        out, NameLoc::get(StringAttr::get(context, out.name()), fileLoc()),
        "graph output");
    // Output shapes may be missing or symbolic: only the element type matters.
    if (failed(type) && out.type().has_tensor_type() &&
        convertElementType(out.type().tensor_type().elem_type(), context)) {
      declaredResults.push_back(nullptr);
      continue;
    }
    if (failed(type))
      return nullptr;
    declaredResults.push_back(*type);
  }

  // Use counts decide which secondary outputs must be supported.
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &in : node.input())
      if (!in.empty())
        ++uses[in];
  for (const onnx::ValueInfoProto &out : graph.output())
    ++uses[out.name()];

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc(), options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "mc.name", builder.getStringAttr(name));
    values[name] = Entry();
    values[name].value = entry->getArgument(i);
  }
  builder.setInsertionPointToEnd(entry);

  // Nodes, in the (topological) order ONNX requires.
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    NodeContext ctx(*this, node, index, opset);
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return ctx.emitError() << "unsupported op domain '" << node.domain()
                             << "'",
             nullptr;
    const Handler *handler = registry.lookup(node.op_type(), opset);
    if (!handler)
      return ctx.emitError() << "unsupported ONNX op '" << node.op_type()
                             << "' (opset " << opset << ")",
             nullptr;
    Operation *lastBefore = entry->empty() ? nullptr : &entry->back();
    if (failed((*handler)(ctx)))
      return nullptr;
    // Every op a handler built must verify; report violations as errors of
    // this node rather than as an internal failure at the end.
    for (Operation *op = lastBefore ? lastBefore->getNextNode()
                                    : (entry->empty() ? nullptr : &entry->front());
         op; op = op->getNextNode()) {
      std::string message;
      LogicalResult verified = success();
      {
        ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
          if (message.empty())
            message = diag.str();
          return success();
        });
        verified = verify(op);
      }
      if (failed(verified))
        return ctx.emitError() << "invalid '" << op->getName()
                               << "': " << message,
               nullptr;
    }
    for (const std::string &out : node.output())
      if (!out.empty() && !values.count(out) && uses.lookup(out) > 0)
        return ctx.emitError() << "produced no value for output '" << out
                               << "'",
               nullptr;
  }

  // Results.
  SmallVector<Value> results;
  for (auto [i, out] : llvm::enumerate(graph.output())) {
    FailureOr<Value> v = materialize(
        out.name(), NameLoc::get(StringAttr::get(context, out.name()),
                                 fileLoc()));
    if (failed(v))
      return nullptr;
    results.push_back(
        toBoundaryValue(builder, fileLoc(), *v, declaredResults[i]));
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "mc.name", builder.getStringAttr(out.name()));

  if (failed(verify(*module)))
    return emitFileError() << "internal error: the imported module does not "
                              "verify",
           nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void mlir::mc::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<MCDialect, func::FuncDialect, quant::QuantDialect>();
}

OwningOpRef<ModuleOp> mlir::mc::importONNXBuffer(StringRef bytes,
                                                 StringRef fileName,
                                                 MLIRContext *context,
                                                 const ONNXImportOptions &options) {
  context->loadDialect<MCDialect, func::FuncDialect, quant::QuantDialect>();
  Location loc = FileLineColLoc::get(context, fileName, 0, 0);
  onnx::ModelProto model;
  if (bytes.size() > (size_t)std::numeric_limits<int>::max() ||
      !model.ParseFromArray(bytes.data(), (int)bytes.size()))
    return emitError(loc) << "not a valid ONNX model: the protobuf does not "
                             "parse (truncated or not an ONNX file)",
           nullptr;
  if (!model.has_graph() || model.ir_version() <= 0)
    return emitError(loc) << "not a valid ONNX model: no graph or no IR "
                             "version",
           nullptr;
  Importer importer(context, fileName, options);
  return importer.run(model);
}

OwningOpRef<ModuleOp> mlir::mc::importONNXFile(StringRef path,
                                               MLIRContext *context,
                                               const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot open file: " << buffer.getError().message();
    return nullptr;
  }
  return importONNXBuffer((*buffer)->getBuffer(), path, context, options);
}
