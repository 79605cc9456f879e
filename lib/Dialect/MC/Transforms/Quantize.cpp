//===- Quantize.cpp - Post-training int8 quantization ---------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-quantize: float mc.linear / mc.conv2d layers with constant
// weights become mc.qlinear / mc.qconv2d + mc.requantize, with int8
// per-output-channel symmetric weights, int32 bias and int8 per-tensor affine
// activations whose ranges come from the mc.calib statistics. The formulas
// are in the pass description (Passes.td) and docs/Rationale/Quantization.md.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace mlir::mc {
#define GEN_PASS_DEF_MCQUANTIZEPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

constexpr StringLiteral kCalibAttr = "mc.calib";
constexpr int64_t kActMin = -128, kActMax = 127;
constexpr int64_t kWeightMax = 127;
/// Largest |bias| in int32 units: leaves 2^30 of headroom for the products.
constexpr double kBiasLimit = 1073741824.0; // 2^30

/// Smallest scale: the smallest normal f32 (quantized types express f32).
constexpr double kMinScale = 0x1p-126;

/// A real range [lo, hi] of an activation tensor.
struct Range {
  double lo, hi;
};

/// Per-tensor affine int8 parameters.
struct ActParams {
  double scale;
  int64_t zeroPoint;
};

/// `v` in the shortest %g form, for diagnostics.
static std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

/// Round half to even (the current rounding mode is the default one).
static double roundEven(double x) { return std::nearbyint(x); }

/// The location name of `op` (`loc("conv1")`), or "" when it has none.
static StringRef layerName(Operation *op) {
  if (auto named = dyn_cast<NameLoc>(op->getLoc()))
    return named.getName().getValue();
  return {};
}

/// Name for a new constant derived from `layer`.
static std::string constantName(Operation *layer, StringRef suffix) {
  StringRef name = layerName(layer);
  return ((name.empty() ? StringRef("quantized") : name) + suffix).str();
}

/// Scale and zero point for the range `r`, widened to contain 0:
///   s = (hi - lo) / 255 (1 when hi == lo), zp = clamp(round(-128 - lo / s)).
static ActParams affineParams(Range r) {
  double lo = std::min(r.lo, 0.0), hi = std::max(r.hi, 0.0);
  double scale = (hi - lo) / double(kActMax - kActMin);
  if (!(scale > 0))
    scale = 1.0;
  scale = std::max(scale, kMinScale);
  double zp = roundEven(double(kActMin) - lo / scale);
  zp = std::clamp(zp, double(kActMin), double(kActMax));
  return {scale, (int64_t)zp};
}

class Quantizer {
public:
  Quantizer(MLIRContext *ctx, bool usePercentile, double percentile)
      : ctx(ctx), usePercentile(usePercentile), percentile(percentile),
        f32(Float32Type::get(ctx)), i8(IntegerType::get(ctx, 8)),
        i32(IntegerType::get(ctx, 32)) {}

  /// Reads the statistics of `v` into a range. Returns std::nullopt (and
  /// emits nothing) when `v` has none; failure after a diagnostic when they
  /// are malformed.
  FailureOr<std::optional<Range>> rangeOf(Value v);

  /// The per-tensor int8 type for `params`; failure after a diagnostic
  /// reported at `diagOp` when the quant dialect rejects it.
  FailureOr<quant::UniformQuantizedType> activationType(ActParams params,
                                                        Operation *diagOp);

  MLIRContext *ctx;
  bool usePercentile;
  double percentile;
  Type f32, i8, i32;

private:
  FailureOr<Range> parseCalib(Attribute attr, Operation *diagOp,
                              StringRef where);
};

FailureOr<std::optional<Range>> Quantizer::rangeOf(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func || arg.getOwner() != &func.getBody().front())
      return std::optional<Range>();
    Attribute attr = func.getArgAttr(arg.getArgNumber(), kCalibAttr);
    if (!attr)
      return std::optional<Range>();
    FailureOr<Range> r =
        parseCalib(attr, func, ("argument #" + Twine(arg.getArgNumber())).str());
    if (failed(r))
      return failure();
    return std::optional<Range>(*r);
  }
  Operation *def = v.getDefiningOp();
  Attribute attr = def->getAttr(kCalibAttr);
  if (!attr)
    return std::optional<Range>();
  FailureOr<Range> r = parseCalib(attr, def, "result");
  if (failed(r))
    return failure();
  return std::optional<Range>(*r);
}

FailureOr<Range> Quantizer::parseCalib(Attribute attr, Operation *diagOp,
                                       StringRef where) {
  auto fail = [&]() {
    return diagOp->emitOpError() << "has a malformed 'mc.calib' on its "
                                 << where << ": ";
  };
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return fail() << "expected a dictionary", failure();
  auto minAttr = dict.getAs<FloatAttr>("min");
  auto maxAttr = dict.getAs<FloatAttr>("max");
  if (!minAttr || !maxAttr)
    return fail() << "needs float 'min' and 'max'", failure();
  double lo = minAttr.getValueAsDouble(), hi = maxAttr.getValueAsDouble();
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    return fail() << "min " << fmt(lo) << " and max " << fmt(hi)
                  << " are not a finite range",
           failure();
  Attribute histAttr = dict.get("hist");
  if (!histAttr || !usePercentile)
    return Range{lo, hi};
  auto hist = dyn_cast<DenseIntElementsAttr>(histAttr);
  if (!hist || hist.getType().getRank() != 1 || hist.getNumElements() == 0)
    return fail() << "'hist' must be a non-empty 1-D integer tensor",
           failure();
  SmallVector<double> counts;
  double total = 0;
  for (const APInt &c : hist.getValues<APInt>()) {
    if (c.isNegative())
      return fail() << "'hist' has a negative count", failure();
    counts.push_back((double)c.getZExtValue());
    total += counts.back();
  }
  if (total == 0)
    return Range{lo, hi};
  // Clip (100 - percentile)% from each tail at bin resolution.
  size_t n = counts.size();
  double width = (hi - lo) / (double)n;
  double target = percentile / 100.0 * total;
  double cum = 0, rHi = hi, rLo = lo;
  for (size_t i = 0; i < n; ++i) {
    cum += counts[i];
    if (cum >= target) {
      rHi = i + 1 == n ? hi : lo + (double)(i + 1) * width;
      break;
    }
  }
  cum = 0;
  for (size_t i = n; i-- > 0;) {
    cum += counts[i];
    if (cum >= target) {
      rLo = i == 0 ? lo : lo + (double)i * width;
      break;
    }
  }
  return Range{rLo, rHi};
}

FailureOr<quant::UniformQuantizedType>
Quantizer::activationType(ActParams params, Operation *diagOp) {
  auto type = quant::UniformQuantizedType::getChecked(
      [&] {
        return diagOp->emitOpError()
               << "cannot quantize an activation with scale " << fmt(params.scale)
               << ": ";
      }, quant::QuantizationFlags::Signed,
      i8, f32, params.scale, params.zeroPoint, kActMin, kActMax);
  if (!type)
    return failure();
  return type;
}

/// The quantized value standing for float `v`: the operand of the
/// mc.dequantize that defines it when that is per tensor with 8-bit storage
/// and f32 expressed type, else null.
static Value quantizedSource(Value v) {
  auto dq = v.getDefiningOp<DequantizeOp>();
  if (!dq)
    return {};
  auto q = dyn_cast<quant::UniformQuantizedType>(
      dq.getInput().getType().getElementType());
  if (!q || q.getStorageTypeIntegralWidth() != 8 ||
      !q.getExpressedType().isF32())
    return {};
  return dq.getInput();
}

struct MCQuantizePass : mc::impl::MCQuantizePassBase<MCQuantizePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult processBlock(Block &block, Quantizer &q);
  /// Quantized value for the float input `x` of `layer`, reusing one that
  /// exists; creates an mc.quantize before `layer` otherwise.
  FailureOr<Value> quantizedInput(Value x, Operation *layer, Quantizer &q,
                                  OpBuilder &b);
  LogicalResult quantizeLayer(Operation *layer, Quantizer &q);
  void moveOntoQuantized(Operation *op, Value xq);

  /// mc.quantize ops already created, by the float value they quantize.
  DenseMap<Value, Value> quantizedOf;
  /// Ops replaced, erased after the walk.
  SetVector<Operation *> toErase;
};

FailureOr<Value> MCQuantizePass::quantizedInput(Value x, Operation *layer,
                                                Quantizer &q, OpBuilder &b) {
  if (Value src = quantizedSource(x))
    return src;
  if (Value existing = quantizedOf.lookup(x))
    return existing;
  FailureOr<std::optional<Range>> range = q.rangeOf(x);
  if (failed(range))
    return failure();
  if (!*range) {
    InFlightDiagnostic diag = layer->emitOpError()
                              << "input has no 'mc.calib' statistics, needed "
                                 "to quantize its activations";
    StringRef name = layerName(layer);
    if (!name.empty())
      diag << " (run calibration first, or leave the layer in float with "
              "skip="
           << name << ")";
    return failure();
  }
  FailureOr<quant::UniformQuantizedType> type =
      q.activationType(affineParams(**range), layer);
  if (failed(type))
    return failure();
  auto xType = cast<RankedTensorType>(x.getType());
  Value xq =
      QuantizeOp::create(b, x.getLoc(), xType.clone(*type), x).getResult();
  quantizedOf[x] = xq;
  return xq;
}

/// Quantizes `weights` per output channel (the leading dimension) into `q`,
/// with the channel scales in `scales` and, when there is a bias, the int32
/// bias at scale `sIn * scales[c]` in `qBias`.
static void quantizeWeights(ArrayRef<float> weights, int64_t channels,
                            std::optional<ArrayRef<float>> bias, double sIn,
                            SmallVectorImpl<int8_t> &q,
                            SmallVectorImpl<double> &scales,
                            SmallVectorImpl<int32_t> &qBias) {
  size_t per = weights.size() / channels;
  q.resize(weights.size());
  for (int64_t c = 0; c < channels; ++c) {
    double maxAbs = 0;
    for (size_t i = 0; i < per; ++i)
      maxAbs = std::max(maxAbs, std::fabs((double)weights[c * per + i]));
    double s = maxAbs / double(kWeightMax);
    if (bias)
      s = std::max(s, std::fabs((double)(*bias)[c]) / (sIn * kBiasLimit));
    if (!(s > 0))
      s = 1.0;
    s = std::max(s, kMinScale);
    scales.push_back(s);
    for (size_t i = 0; i < per; ++i) {
      double v = roundEven((double)weights[c * per + i] / s);
      q[c * per + i] =
          (int8_t)std::clamp(v, -double(kWeightMax), double(kWeightMax));
    }
    if (bias)
      qBias.push_back((int32_t)roundEven((double)(*bias)[c] / (sIn * s)));
  }
}

LogicalResult MCQuantizePass::quantizeLayer(Operation *layer, Quantizer &q) {
  Value x = layer->getOperand(0), w = layer->getOperand(1);
  Value bias = layer->getNumOperands() > 2 ? layer->getOperand(2) : Value();
  ElementsAttr wAttr, bAttr;
  matchPattern(w, m_Constant(&wAttr));
  if (bias)
    matchPattern(bias, m_Constant(&bAttr));
  std::optional<SmallVector<float>> weights = getF32Values(wAttr);
  std::optional<SmallVector<float>> biasValues;
  if (bAttr)
    biasValues = getF32Values(bAttr);
  if (!weights || (bias && !biasValues))
    return layer->emitOpError() << "weight or bias values are unavailable "
                                   "(an elided or malformed constant)";

  OpBuilder b(layer);
  Location loc = layer->getLoc();
  FailureOr<Value> xq = quantizedInput(x, layer, q, b);
  if (failed(xq))
    return failure();
  auto inType = cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(xq->getType()).getElementType());
  double sIn = inType.getScale();

  // The output: a ReLU that is the layer's only user folds into it.
  Value result = layer->getResult(0);
  Operation *relu = nullptr;
  if (result.hasOneUse())
    if (auto r = dyn_cast<ReluOp>(*result.getUsers().begin()))
      relu = r;
  Value represented = relu ? relu->getResult(0) : result;
  FailureOr<std::optional<Range>> outRange = q.rangeOf(represented);
  if (failed(outRange))
    return failure();
  if (!*outRange && relu) {
    // The ReLU's range is the layer's clamped at 0.
    outRange = q.rangeOf(result);
    if (failed(outRange))
      return failure();
  }
  // A folded ReLU needs lo = 0 (so zp = -128 and saturation is the ReLU),
  // whatever the statistics say.
  if (relu && *outRange)
    **outRange = Range{std::max((*outRange)->lo, 0.0),
                       std::max((*outRange)->hi, 0.0)};
  if (!*outRange) {
    InFlightDiagnostic diag = layer->emitOpError()
                              << "output has no 'mc.calib' statistics, "
                                 "needed to quantize its activations";
    StringRef name = layerName(layer);
    if (!name.empty())
      diag << " (run calibration first, or leave the layer in float with "
              "skip="
           << name << ")";
    return failure();
  }
  FailureOr<quant::UniformQuantizedType> outType =
      q.activationType(affineParams(**outRange), layer);
  if (failed(outType))
    return failure();

  // Weights and bias.
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t channels = wType.getDimSize(0);
  SmallVector<int8_t> qWeights;
  SmallVector<double> wScales;
  SmallVector<int32_t> qBias;
  quantizeWeights(*weights, channels,
                  biasValues ? std::optional<ArrayRef<float>>(*biasValues)
                             : std::nullopt,
                  sIn, qWeights, wScales, qBias);
  auto wQuantType = quant::UniformQuantizedPerAxisType::getChecked(
      [&] { return layer->emitOpError() << "cannot quantize the weights: "; }, quant::QuantizationFlags::Signed,
      q.i8, q.f32, wScales, SmallVector<int64_t>(channels, 0),
      /*quantizedDimension=*/0, kActMin, kActMax);
  if (!wQuantType)
    return failure();
  Value wInt = ConstantOp::create(
      b, loc,
      createWeightAttr(
          wType.clone(q.i8), constantName(layer, ".qweight"),
          ArrayRef<char>(reinterpret_cast<const char *>(qWeights.data()),
                         qWeights.size())));
  Value wq = StorageCastOp::create(b, loc, wType.clone(wQuantType), wInt);
  Value bq;
  if (bias) {
    auto bType = RankedTensorType::get({channels}, q.i32);
    bq = ConstantOp::create(
        b, loc,
        createWeightAttr(
            bType, constantName(layer, ".qbias"),
            ArrayRef<char>(reinterpret_cast<const char *>(qBias.data()),
                           qBias.size() * sizeof(int32_t))));
  }

  // The integer layer, keeping every discardable attribute except the float
  // statistics (e.g. mc.sparsity from pruning).
  auto resultType = cast<RankedTensorType>(result.getType());
  auto accType = resultType.clone(q.i32);
  Operation *qLayer;
  int64_t channelAxis;
  if (auto conv = dyn_cast<Conv2DOp>(layer)) {
    qLayer = QConv2DOp::create(b, loc, accType, *xq, wq, bq,
                               conv.getStridesAttr(), conv.getPadsAttr(),
                               conv.getDilationsAttr(), conv.getGroupsAttr());
    channelAxis = 1;
  } else {
    qLayer = QLinearOp::create(b, loc, accType, *xq, wq, bq);
    channelAxis = resultType.getRank() - 1;
  }
  for (NamedAttribute attr : layer->getDiscardableAttrs())
    if (!attr.getName().getValue().starts_with(kCalibAttr))
      qLayer->setDiscardableAttr(attr.getName(), attr.getValue());

  double sOut = outType->getScale();
  SmallVector<double> requantScales;
  for (double sw : wScales)
    requantScales.push_back(sIn * sw / sOut);
  Value yq = RequantizeOp::create(
      b, loc, resultType.clone(*outType), qLayer->getResult(0),
      b.getDenseF64ArrayAttr(requantScales), DenseI32ArrayAttr(),
      DenseI8ArrayAttr(), b.getI64IntegerAttr(channelAxis));

  // Float users see a dequantized value; it is erased later if none remain.
  Value y = DequantizeOp::create(b, represented.getLoc(),
                                 represented.getType(), yq);
  represented.replaceAllUsesWith(y);
  if (relu) {
    toErase.insert(relu);
    ++numReluFolded;
  }
  toErase.insert(layer);
  ++numQuantized;
  return success();
}

/// Runs max_pool2d / reshape / flatten `op` on the quantized `xq` instead of
/// its float input.
void MCQuantizePass::moveOntoQuantized(Operation *op, Value xq) {
  OpBuilder b(op);
  Operation *clone = b.clone(*op);
  clone->setOperand(0, xq);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type qElement = cast<RankedTensorType>(xq.getType()).getElementType();
  clone->getResult(0).setType(resultType.clone(qElement));
  clone->removeDiscardableAttr(kCalibAttr);
  Value y = DequantizeOp::create(b, op->getLoc(), resultType,
                                 clone->getResult(0));
  op->getResult(0).replaceAllUsesWith(y);
  toErase.insert(op);
  ++numPassThrough;
}

LogicalResult MCQuantizePass::processBlock(Block &block, Quantizer &q) {
  llvm::StringSet<> skipped;
  for (const std::string &name : skip)
    skipped.insert(name);
  quantizedOf.clear();
  SmallVector<Operation *> ops;
  for (Operation &op : block)
    ops.push_back(&op);
  for (Operation *op : ops) {
    if (toErase.contains(op))
      continue;
    if (isa<LinearOp, Conv2DOp>(op)) {
      if (!cast<RankedTensorType>(op->getResult(0).getType())
               .getElementType()
               .isF32())
        continue;
      ElementsAttr wAttr, bAttr;
      if (!matchPattern(op->getOperand(1), m_Constant(&wAttr)) ||
          (op->getNumOperands() > 2 &&
           !matchPattern(op->getOperand(2), m_Constant(&bAttr))))
        continue;
      if (skipped.contains(layerName(op))) {
        ++numSkipped;
        continue;
      }
      if (failed(quantizeLayer(op, q)))
        return failure();
      continue;
    }
    if (isa<MaxPool2DOp, ReshapeOp, FlattenOp>(op))
      if (Value src = quantizedSource(op->getOperand(0)))
        moveOntoQuantized(op, src);
  }
  return success();
}

void MCQuantizePass::runOnOperation() {
  ModuleOp module = getOperation();
  toErase.clear();
  if (activationRange != "minmax" && activationRange != "percentile") {
    module.emitError() << "mc-quantize: activation-range must be 'minmax' or "
                          "'percentile', got '"
                       << activationRange << "'";
    return signalPassFailure();
  }
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    module.emitError() << "mc-quantize: percentile must be in (50, 100], got "
                       << fmt(percentile);
    return signalPassFailure();
  }
  // Every skip name must name a layer: a typo would silently quantize it.
  llvm::StringSet<> layerNames;
  module.walk([&](Operation *op) {
    if (isa<LinearOp, Conv2DOp>(op))
      layerNames.insert(layerName(op));
  });
  for (const std::string &name : skip)
    if (!layerNames.contains(name)) {
      module.emitError() << "mc-quantize: skip names '" << name
                         << "', but no mc.linear or mc.conv2d has that "
                            "location name";
      return signalPassFailure();
    }

  Quantizer q(&getContext(), activationRange == "percentile", percentile);
  SmallVector<Block *> blocks;
  module.walk([&](Block *block) { blocks.push_back(block); });
  for (Block *block : blocks) {
    if (failed(processBlock(*block, q)))
      return signalPassFailure();
  }
  // Replaced ops go first (references dropped, so their order does not
  // matter), then the float weights and the mc.dequantize ops nobody reads.
  SetVector<Operation *> maybeDead;
  for (Operation *op : toErase)
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (!toErase.contains(def))
          maybeDead.insert(def);
  for (Operation *op : toErase)
    op->dropAllReferences();
  for (Operation *op : toErase)
    op->erase();
  module.walk([&](DequantizeOp dq) {
    if (dq->use_empty())
      maybeDead.insert(dq);
  });
  for (Operation *op : maybeDead)
    if (op->use_empty() && isa<ConstantOp, DequantizeOp>(op))
      op->erase();
}

} // namespace
