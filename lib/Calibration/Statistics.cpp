//===- Statistics.cpp - Calibration statistics and their keys -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Statistics.h"

#include "mc/Dialect/MC/IR/MCDialect.h"
#include "mc/Dialect/MC/IR/MCOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::mc;

//===----------------------------------------------------------------------===//
// Observed values and keys
//===----------------------------------------------------------------------===//

/// The first name in `loc` (a NameLoc, or one inside a FusedLoc).
static std::optional<StringRef> getLocationName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().getValue();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<StringRef> name = getLocationName(inner))
        return name;
  return std::nullopt;
}

static bool isFloatTensor(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && isa<FloatType>(ranked.getElementType());
}

SmallVector<ObservedValue> mlir::mc::getObservedValues(func::FuncOp func) {
  SmallVector<ObservedValue> observed;
  llvm::StringSet<> used;
  // Keys are unique: a repeated name gets "#1", "#2", ... in order.
  auto uniqueKey = [&](StringRef base) {
    std::string key = base.str();
    for (unsigned n = 1; used.contains(key); ++n)
      key = (base + "#" + Twine(n)).str();
    used.insert(key);
    return key;
  };

  llvm::DenseSet<Value> dependent;
  for (BlockArgument arg : func.getArguments()) {
    dependent.insert(arg);
    if (!isFloatTensor(arg.getType()))
      continue;
    auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "mc.name");
    std::string base = name ? ("arg:" + name.getValue()).str()
                            : ("arg:" + Twine(arg.getArgNumber())).str();
    observed.push_back(
        {uniqueKey(base), arg, /*op=*/nullptr, arg.getArgNumber()});
  }
  if (func.isDeclaration())
    return observed;
  for (Operation &op : func.getBody().getOps()) {
    if (!llvm::any_of(op.getOperands(),
                      [&](Value v) { return dependent.contains(v); }))
      continue;
    for (Value result : op.getResults())
      dependent.insert(result);
    if (!isa<MCDialect>(op.getDialect()) || isa<ConstantOp>(op) ||
        op.getNumResults() != 1 || !isFloatTensor(op.getResult(0).getType()))
      continue;
    std::optional<StringRef> name = getLocationName(op.getLoc());
    observed.push_back({uniqueKey(name ? *name : op.getName().getStringRef()),
                        op.getResult(0), &op, 0});
  }
  return observed;
}

bool mlir::mc::hasColumnNorms(Operation *op) {
  if (!isa<LinearOp, Conv2DOp>(op))
    return false;
  return isFloatTensor(op->getOperand(0).getType()) &&
         isFloatTensor(op->getOperand(1).getType());
}

SmallVector<int64_t> mlir::mc::getColumnNormShape(Operation *op) {
  auto weight = cast<RankedTensorType>(op->getOperand(1).getType());
  if (isa<LinearOp>(op))
    return {weight.getDimSize(1)};
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  return {input.getDimSize(1), weight.getDimSize(2), weight.getDimSize(3)};
}

//===----------------------------------------------------------------------===//
// The file
//===----------------------------------------------------------------------===//

static constexpr llvm::StringLiteral kFormatName = "mc-calibration";
static constexpr int64_t kFormatVersion = 1;

std::string mlir::mc::serializeCalibrationTable(const CalibrationTable &table) {
  llvm::json::Object ranges;
  for (const auto &entry : table.ranges) {
    const RangeStats &stats = entry.getValue();
    llvm::json::Array hist;
    for (int64_t count : stats.hist)
      hist.push_back(count);
    ranges[entry.getKey()] = llvm::json::Object{{"min", stats.min},
                                                {"max", stats.max},
                                                {"count", stats.count},
                                                {"hist", std::move(hist)}};
  }
  llvm::json::Object norms;
  for (const auto &entry : table.colNorms) {
    llvm::json::Array shape, values;
    for (int64_t size : entry.getValue().shape)
      shape.push_back(size);
    for (float v : entry.getValue().values)
      values.push_back(static_cast<double>(v));
    norms[entry.getKey()] = llvm::json::Object{{"shape", std::move(shape)},
                                               {"values", std::move(values)}};
  }
  llvm::json::Value document = llvm::json::Object{
      {"format", kFormatName},       {"version", kFormatVersion},
      {"samples", table.numSamples}, {"ranges", std::move(ranges)},
      {"col_norms", std::move(norms)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:1}", document) << "\n";
  return text;
}

namespace {
/// Reads the JSON document, with messages that say where it went wrong.
struct TableReader {
  StringRef name;
  std::string message;

  bool fail(const Twine &what) {
    if (message.empty())
      message = what.str();
    return false;
  }

  bool readInt(const llvm::json::Object &object, StringRef field,
               const Twine &where, int64_t &out) {
    std::optional<int64_t> v = object.getInteger(field);
    if (!v)
      return fail(where + ": '" + field + "' must be an integer");
    out = *v;
    return true;
  }

  bool readNumber(const llvm::json::Object &object, StringRef field,
                  const Twine &where, double &out) {
    std::optional<double> v = object.getNumber(field);
    if (!v)
      return fail(where + ": '" + field + "' must be a number");
    out = *v;
    return true;
  }

  bool readRange(StringRef key, const llvm::json::Value &value,
                 RangeStats &stats) {
    std::string where = ("ranges['" + key + "']").str();
    const llvm::json::Object *object = value.getAsObject();
    if (!object)
      return fail(where + " must be an object");
    if (!readNumber(*object, "min", where, stats.min) ||
        !readNumber(*object, "max", where, stats.max) ||
        !readInt(*object, "count", where, stats.count))
      return false;
    if (stats.count < 0)
      return fail(where + ": negative 'count'");
    if (stats.min > stats.max)
      return fail(where + ": 'min' is larger than 'max'");
    if (const llvm::json::Value *hist = object->get("hist")) {
      const llvm::json::Array *array = hist->getAsArray();
      if (!array)
        return fail(where + ": 'hist' must be an array of integers");
      int64_t total = 0;
      for (const llvm::json::Value &bin : *array) {
        std::optional<int64_t> count = bin.getAsInteger();
        if (!count || *count < 0)
          return fail(where + ": 'hist' must hold non-negative integers");
        stats.hist.push_back(*count);
        total += *count;
      }
      if (!stats.hist.empty() && total != stats.count)
        return fail(where + ": the histogram holds " + Twine(total) +
                    " values, 'count' says " + Twine(stats.count));
    }
    return true;
  }

  bool readNorms(StringRef key, const llvm::json::Value &value,
                 ColumnNorms &norms) {
    std::string where = ("col_norms['" + key + "']").str();
    const llvm::json::Object *object = value.getAsObject();
    if (!object)
      return fail(where + " must be an object");
    const llvm::json::Array *shape = object->getArray("shape");
    const llvm::json::Array *values = object->getArray("values");
    if (!shape || !values)
      return fail(where + " needs arrays 'shape' and 'values'");
    int64_t numElements = 1;
    for (const llvm::json::Value &size : *shape) {
      std::optional<int64_t> v = size.getAsInteger();
      if (!v || *v < 0)
        return fail(where + ": 'shape' must hold non-negative integers");
      norms.shape.push_back(*v);
      numElements *= *v;
    }
    for (const llvm::json::Value &v : *values) {
      std::optional<double> number = v.getAsNumber();
      if (!number || *number < 0)
        return fail(where + ": 'values' must hold non-negative numbers");
      norms.values.push_back(static_cast<float>(*number));
    }
    if (static_cast<int64_t>(norms.values.size()) != numElements)
      return fail(where + ": " + Twine(norms.values.size()) +
                  " values for a shape of " + Twine(numElements) +
                  " elements");
    return true;
  }

  bool read(const llvm::json::Value &document, CalibrationTable &table) {
    const llvm::json::Object *root = document.getAsObject();
    if (!root)
      return fail("the document is not a JSON object");
    std::optional<StringRef> format = root->getString("format");
    if (!format || *format != kFormatName)
      return fail("not an mc calibration file ('format' is not \"" +
                  kFormatName + "\")");
    std::optional<int64_t> version = root->getInteger("version");
    if (!version || *version != kFormatVersion)
      return fail("unsupported version; this mc reads version " +
                  Twine(kFormatVersion));
    if (!readInt(*root, "samples", "the document", table.numSamples))
      return false;
    const llvm::json::Object *ranges = root->getObject("ranges");
    const llvm::json::Object *norms = root->getObject("col_norms");
    if (!ranges || !norms)
      return fail("the document needs objects 'ranges' and 'col_norms'");
    for (const auto &entry : *ranges)
      if (!readRange(entry.first, entry.second, table.ranges[entry.first]))
        return false;
    for (const auto &entry : *norms)
      if (!readNorms(entry.first, entry.second, table.colNorms[entry.first]))
        return false;
    return true;
  }
};
} // namespace

llvm::Expected<CalibrationTable>
mlir::mc::parseCalibrationTable(StringRef text, StringRef name) {
  llvm::Expected<llvm::json::Value> document = llvm::json::parse(text);
  if (!document)
    return llvm::createStringError(
        "'" + name + "': invalid JSON: " + llvm::toString(document.takeError()));
  CalibrationTable table;
  TableReader reader{name, {}};
  if (!reader.read(*document, table))
    return llvm::createStringError("'" + name + "': " + reader.message);
  return table;
}

llvm::Error mlir::mc::writeCalibrationTable(const CalibrationTable &table,
                                            StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError("cannot write '" + path +
                                   "': " + ec.message());
  os << serializeCalibrationTable(table);
  os.close();
  if (os.has_error())
    return llvm::createStringError("cannot write '" + path +
                                   "': " + os.error().message());
  return llvm::Error::success();
}

llvm::Expected<CalibrationTable> mlir::mc::readCalibrationTable(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError("cannot read calibration file '" + path +
                                   "': " + buffer.getError().message());
  return parseCalibrationTable((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Attaching
//===----------------------------------------------------------------------===//

static DictionaryAttr buildCalibAttr(MLIRContext *ctx,
                                     const RangeStats &stats) {
  Builder b(ctx);
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("min", b.getF64FloatAttr(stats.min)),
      b.getNamedAttr("max", b.getF64FloatAttr(stats.max)),
      b.getNamedAttr("count", b.getI64IntegerAttr(stats.count))};
  if (!stats.hist.empty()) {
    auto type = RankedTensorType::get(
        {static_cast<int64_t>(stats.hist.size())}, b.getI64Type());
    fields.push_back(b.getNamedAttr(
        "hist", DenseIntElementsAttr::get(type, llvm::ArrayRef(stats.hist))));
  }
  return b.getDictionaryAttr(fields);
}

LogicalResult mlir::mc::attachCalibration(func::FuncOp func,
                                          const CalibrationTable &table) {
  MLIRContext *ctx = func.getContext();
  llvm::StringSet<> usedRanges, usedNorms;
  for (const ObservedValue &observed : getObservedValues(func)) {
    Location loc = observed.op ? observed.op->getLoc() : func.getLoc();
    auto it = table.ranges.find(observed.key);
    if (it == table.ranges.end())
      return emitError(loc) << "no calibration statistics for '"
                            << observed.key << "'";
    usedRanges.insert(observed.key);
    DictionaryAttr calib = buildCalibAttr(ctx, it->getValue());
    if (!observed.op) {
      func.setArgAttr(observed.argNumber, kCalibAttrName, calib);
      continue;
    }
    observed.op->setAttr(kCalibAttrName, calib);
  }
  // Column norms: every layer that has them, whether or not its result is
  // observed (keys come from the same rules).
  for (const ObservedValue &observed : getObservedValues(func)) {
    if (!observed.op || !hasColumnNorms(observed.op))
      continue;
    Operation *op = observed.op;
    auto it = table.colNorms.find(observed.key);
    if (it == table.colNorms.end())
      return op->emitError() << "no column norms for '" << observed.key
                             << "' in the calibration statistics";
    usedNorms.insert(observed.key);
    SmallVector<int64_t> shape = getColumnNormShape(op);
    const ColumnNorms &norms = it->getValue();
    if (ArrayRef<int64_t>(norms.shape) != ArrayRef<int64_t>(shape)) {
      auto diag = op->emitError()
                  << "column norms for '" << observed.key << "' have shape [";
      llvm::interleaveComma(norms.shape, diag);
      diag << "], the layer needs [";
      llvm::interleaveComma(shape, diag);
      return diag << "]";
    }
    auto type = RankedTensorType::get(shape, Float32Type::get(ctx));
    op->setAttr(kCalibColNormAttrName,
                DenseElementsAttr::get(type, llvm::ArrayRef(norms.values)));
  }
  for (const auto &entry : table.ranges)
    if (!usedRanges.contains(entry.getKey()))
      return func.emitError()
             << "calibration statistics for '" << entry.getKey()
             << "' match no observed value of @" << func.getSymName();
  for (const auto &entry : table.colNorms)
    if (!usedNorms.contains(entry.getKey()))
      return func.emitError()
             << "column norms for '" << entry.getKey()
             << "' match no linear or conv layer of @" << func.getSymName();
  return success();
}
