//===- Report.cpp - What compression did to each layer --------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Compression/Report.h"

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::mc;

/// The first name in `loc` (the importer names every op after its ONNX
/// node), or an empty string.
static std::string locationName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = locationName(inner); !name.empty())
        return name;
  return "";
}

/// The constant behind `value`, looking through storage casts (quantized
/// weights are integer constants reinterpreted as `!quant.uniform`).
static ElementsAttr constantValue(Value value) {
  while (auto cast = value.getDefiningOp<StorageCastOp>())
    value = cast.getInput();
  if (auto constant = value.getDefiningOp<ConstantOp>())
    return constant.getValue();
  return {};
}

static unsigned storageBits(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    return quantized.getStorageTypeIntegralWidth();
  return element.getIntOrFloatBitWidth();
}

static int64_t storageBytes(ShapedType type) {
  return type.getNumElements() * ((storageBits(type) + 7) / 8);
}

static int64_t countNonzero(ElementsAttr values) {
  if (auto ints = getIntValues(values))
    return llvm::count_if(*ints, [](int64_t v) { return v != 0; });
  if (auto floats = getF32Values(values))
    return llvm::count_if(*floats, [](float v) { return v != 0.0f; });
  return values.getNumElements();
}

/// Fills `stats` for a layer whose weight is `weight` and bias `bias` (may be
/// null). Returns false when the weight is not a constant.
static bool describeLayer(Operation *op, Value weight, Value bias,
                          LayerStats &stats) {
  ElementsAttr values = constantValue(weight);
  if (!values)
    return false;
  auto weightType = cast<ShapedType>(weight.getType());
  stats.kind = op->getName().stripDialect().str();
  stats.name = locationName(op->getLoc());
  stats.weightShape.assign(weightType.getShape().begin(),
                           weightType.getShape().end());
  stats.weightElements = weightType.getNumElements();
  stats.nonzeroWeights = countNonzero(values);
  stats.params = stats.weightElements;
  stats.weightBits = storageBits(weightType);
  stats.bytes = storageBytes(weightType);
  if (bias) {
    auto biasType = cast<ShapedType>(bias.getType());
    stats.params += biasType.getNumElements();
    stats.bytes += storageBytes(biasType);
  }
  if (auto sparsity = op->getAttrOfType<DictionaryAttr>("mc.sparsity"))
    if (auto pattern = sparsity.getAs<StringAttr>("pattern"))
      stats.pattern = pattern.getValue().str();
  if (auto lowRank = op->getAttrOfType<DictionaryAttr>("mc.lowrank"))
    if (auto rank = lowRank.getAs<IntegerAttr>("rank"))
      stats.rank = rank.getInt();
  return true;
}

ModelStats mlir::mc::collectModelStats(ModuleOp module) {
  ModelStats model;
  module.walk([&](Operation *op) {
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      model.constantBytes += storageBytes(constant.getValue().getShapedType());
      return;
    }
    LayerStats stats;
    bool found = false;
    if (isa<LinearOp, QLinearOp, Conv2DOp, QConv2DOp>(op))
      found = describeLayer(op, op->getOperand(1),
                            op->getNumOperands() > 2 ? op->getOperand(2)
                                                     : Value(),
                            stats);
    else if (isa<MatMulOp, QMatMulOp>(op))
      found = describeLayer(op, op->getOperand(1), Value(), stats);
    if (found) {
      if (stats.name.empty())
        stats.name = stats.kind + "#" + std::to_string(model.layers.size());
      model.layers.push_back(std::move(stats));
    }
  });
  return model;
}

/// The layer of `before` that `name` comes from: the same name, or the name
/// before the last '.' for the factors of a split layer.
static const LayerStats *findOrigin(const ModelStats &before, StringRef name) {
  for (StringRef key = name; !key.empty();) {
    for (const LayerStats &layer : before.layers)
      if (layer.name == key)
        return &layer;
    size_t dot = key.rfind('.');
    if (dot == StringRef::npos)
      break;
    key = key.take_front(dot);
  }
  return nullptr;
}

static int64_t totalParams(const ModelStats &model) {
  int64_t total = 0;
  for (const LayerStats &layer : model.layers)
    total += layer.params;
  return total;
}

static void writeLayer(llvm::json::OStream &json, const LayerStats &layer) {
  json.attribute("kind", layer.kind);
  json.attributeArray("weight_shape", [&] {
    for (int64_t d : layer.weightShape)
      json.value(d);
  });
  json.attribute("params", layer.params);
  json.attribute("nonzero_weights", layer.nonzeroWeights);
  json.attribute("sparsity", layer.sparsity());
  json.attribute("pattern", layer.pattern);
  if (layer.rank)
    json.attribute("rank", *layer.rank);
  json.attribute("bits", (int64_t)layer.weightBits);
  json.attribute("bytes", layer.bytes);
}

void mlir::mc::writeReportJSON(
    llvm::raw_ostream &os, const ModelStats &before, const ModelStats &after,
    const llvm::json::Object &settings) {
  llvm::json::OStream json(os, 2);
  json.object([&] {
    json.attribute("settings", llvm::json::Value(llvm::json::Object(settings)));
    json.attribute("params_before", totalParams(before));
    json.attribute("params_after", totalParams(after));
    json.attribute("model_bytes_before", before.constantBytes);
    json.attribute("model_bytes_after", after.constantBytes);
    json.attributeArray("layers", [&] {
      for (const LayerStats &layer : after.layers) {
        json.object([&] {
          json.attribute("name", layer.name);
          if (const LayerStats *origin = findOrigin(before, layer.name))
            json.attributeObject("before", [&] { writeLayer(json, *origin); });
          json.attributeObject("after", [&] { writeLayer(json, layer); });
        });
      }
    });
  });
  os << "\n";
}

void mlir::mc::printReportTable(llvm::raw_ostream &os,
                                const ModelStats &before,
                                const ModelStats &after) {
  os << llvm::format("%-36s %-8s %10s %10s %9s %-12s %5s %4s %10s %10s\n",
                     "layer", "kind", "params", "after", "sparsity",
                     "pattern", "rank", "bits", "bytes", "after");
  for (const LayerStats &layer : after.layers) {
    const LayerStats *origin = findOrigin(before, layer.name);
    std::string rank = layer.rank ? std::to_string(*layer.rank) : "-";
    std::string name = layer.name;
    if (name.size() > 36)
      name = "..." + name.substr(name.size() - 33);
    os << llvm::format("%-36s %-8s %10lld %10lld %8.1f%% %-12s %5s %4u "
                       "%10lld %10lld\n",
                       name.c_str(), layer.kind.c_str(),
                       (long long)(origin ? origin->params : 0),
                       (long long)layer.params, 100.0 * layer.sparsity(),
                       layer.pattern.c_str(), rank.c_str(), layer.weightBits,
                       (long long)(origin ? origin->bytes : 0),
                       (long long)layer.bytes);
  }
  os << llvm::format("model: %lld -> %lld parameters in layers, %lld -> %lld "
                     "bytes of constants (%.2fx smaller)\n",
                     (long long)totalParams(before),
                     (long long)totalParams(after),
                     (long long)before.constantBytes,
                     (long long)after.constantBytes,
                     after.constantBytes
                         ? double(before.constantBytes) / after.constantBytes
                         : 0.0);
}
