//===- Prune.cpp - Magnitude and Wanda pruning of mc layers ---------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-prune: zeroes the lowest-scoring weights of mc.linear and
// mc.conv2d layers (unstructured or N:M), or removes their weakest output
// channels and shrinks every consumer to match. Scores and selection live
// in Utils/Sparsity.h; this file finds layers, reads and writes constants,
// and rewrites the IR.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"
#include "mc/Dialect/MC/Transforms/Passes.h"
#include "mc/Dialect/MC/Utils/Sparsity.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"

#include <cstdio>

namespace mlir::mc {
#define GEN_PASS_DEF_MCPRUNEPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

constexpr StringLiteral kSparsityAttr = "mc.sparsity";
constexpr StringLiteral kColNormAttr = "mc.calib_col_norm";

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// A prunable layer: an f32 mc.linear or mc.conv2d whose weight is a
/// constant, seen as a `rows x cols` matrix (rows = output channels).
struct Layer {
  Operation *op;
  SmallVector<float> weight;
  int64_t rows, cols, groups;
};

/// The location name the importer gives a layer (`loc("fc1")`), or "".
static StringRef layerName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (isa<NameLoc>(inner)) {
        loc = inner;
        break;
      }
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().getValue();
  return "";
}

/// How a layer is named in messages: 'fc1', or the op name without one.
static std::string describe(Operation *op) {
  StringRef name = layerName(op);
  if (!name.empty())
    return ("'" + name + "'").str();
  return ("'" + op->getName().getStringRef() + "'").str();
}

/// Name for a new constant: the layer's location name when it has one.
static std::string constantName(Operation *op, StringRef suffix) {
  StringRef name = layerName(op);
  return ((name.empty() ? StringRef("pruned") : name) + suffix).str();
}

static Value layerWeight(Operation *op) {
  if (auto linear = dyn_cast<LinearOp>(op))
    return linear.getWeight();
  return cast<Conv2DOp>(op).getWeight();
}

static Value layerBias(Operation *op) {
  if (auto linear = dyn_cast<LinearOp>(op))
    return linear.getBias();
  return cast<Conv2DOp>(op).getBias();
}

static std::optional<SmallVector<float>> constantF32(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return getF32Values(attr);
}

/// The layer view of `op` if it is an f32 linear/conv2d with a constant
/// weight.
static std::optional<Layer> asLayer(Operation *op) {
  if (!isa<LinearOp, Conv2DOp>(op))
    return std::nullopt;
  auto weightType = cast<RankedTensorType>(layerWeight(op).getType());
  if (!weightType.getElementType().isF32() || !weightType.hasStaticShape())
    return std::nullopt;
  std::optional<SmallVector<float>> weight = constantF32(layerWeight(op));
  if (!weight)
    return std::nullopt;
  int64_t rows = weightType.getDimSize(0);
  int64_t groups = 1;
  if (auto conv = dyn_cast<Conv2DOp>(op))
    groups = conv.getGroups();
  return Layer{op, std::move(*weight), rows, weightType.getNumElements() / rows,
               groups};
}

/// Replaces operand `index` of `op` by a new constant of `type` holding
/// `values`, inserted just before `op`. Returns the old value.
static Value replaceConstant(Operation *op, unsigned index, ShapedType type,
                             StringRef name, ArrayRef<float> values) {
  OpBuilder builder(op);
  Value old = op->getOperand(index);
  Value fresh = ConstantOp::create(builder, op->getLoc(),
                                   createWeightAttr(type, name, values));
  op->setOperand(index, fresh);
  return old;
}

static unsigned operandIndex(Operation *op, Value v) {
  for (OpOperand &operand : op->getOpOperands())
    if (operand.get() == v)
      return operand.getOperandNumber();
  llvm_unreachable("value is not an operand");
}

static void eraseIfDead(Value v) {
  if (Operation *def = v.getDefiningOp())
    if (isa<ConstantOp>(def) && def->use_empty())
      def->erase();
}

//===----------------------------------------------------------------------===//
// Channel pruning: planning and applying the shrink of consumers
//===----------------------------------------------------------------------===//

/// Keeps, of values viewed as [outer, dim, inner], the `kept` indices of
/// the middle dimension.
static SmallVector<float> gather(ArrayRef<float> values, int64_t dim,
                                 int64_t inner, ArrayRef<int64_t> kept) {
  int64_t outer = values.size() / (dim * inner);
  SmallVector<float> out;
  out.reserve(outer * kept.size() * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : kept)
      for (int64_t i = 0; i < inner; ++i)
        out.push_back(values[(o * dim + k) * inner + i]);
  return out;
}

/// `kept` channels expanded by a block: channel c becomes c*block .. +block-1.
static SmallVector<int64_t> expand(ArrayRef<int64_t> kept, int64_t block) {
  SmallVector<int64_t> out;
  for (int64_t k : kept)
    for (int64_t b = 0; b < block; ++b)
      out.push_back(k * block + b);
  return out;
}

static RankedTensorType withDim(Type type, int64_t axis, int64_t size) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[axis] = size;
  return tensor.clone(shape);
}

/// Everything a channel removal changes, recorded before any IR is touched
/// so that a blocked consumer leaves the function as it was.
struct ShrinkPlan {
  /// Values whose dimension `axis` shrinks to `size`.
  struct Resize {
    Value value;
    int64_t axis, size;
  };
  /// A constant operand of `op` viewed as [outer, dim, inner] keeps `kept`
  /// of its middle dimension.
  struct Slice {
    Operation *op;
    unsigned operand;
    int64_t dim, inner;
    SmallVector<int64_t> kept;
    StringRef suffix;
    /// The operand's axis that holds the sliced dimension.
    int64_t axis;
  };
  /// An mc.calib_col_norm attribute of `op` shrinks the same way.
  struct NormSlice {
    Operation *op;
    int64_t dim, inner;
    SmallVector<int64_t> kept;
  };
  SmallVector<Resize> resizes;
  SmallVector<Slice> slices;
  SmallVector<NormSlice> norms;
  SmallVector<std::pair<Conv2DOp, int64_t>> newGroups;
};

/// A number as a user wrote it (0.75, 1.5), not as 7.500000e-01.
static std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

static bool isConstant(Value v) { return v && matchPattern(v, m_Constant()); }

/// Plans the removal of all but `kept` channels along `axis` of `v`.
/// Returns the op that cannot follow (nullptr on success).
static Operation *planShrink(Value v, int64_t axis, ArrayRef<int64_t> kept,
                             ShrinkPlan &plan);

/// `v` (rank 2, [N, C*block]) feeds only mc.linear inputs: their weight
/// columns shrink.
static Operation *planLinearInputs(Value v, ArrayRef<int64_t> keptCols,
                                   ShrinkPlan &plan) {
  for (OpOperand &use : v.getUses()) {
    auto linear = dyn_cast<LinearOp>(use.getOwner());
    if (!linear || use.getOperandNumber() != 0 ||
        !isConstant(linear.getWeight()))
      return use.getOwner();
    int64_t cols = cast<RankedTensorType>(v.getType()).getShape().back();
    plan.slices.push_back(
        {linear, 1, cols, 1, SmallVector<int64_t>(keptCols), ".weight", 1});
    if (linear->hasAttr(kColNormAttr))
      plan.norms.push_back({linear, cols, 1, SmallVector<int64_t>(keptCols)});
  }
  return nullptr;
}

static Operation *planShrink(Value v, int64_t axis, ArrayRef<int64_t> kept,
                             ShrinkPlan &plan) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t rank = type.getRank();
  int64_t channels = type.getDimSize(axis);
  plan.resizes.push_back({v, axis, (int64_t)kept.size()});
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    bool isInput = use.getOperandNumber() == 0;
    if (!isInput)
      return user;

    // Per-channel parameters shrink with the channels.
    if (auto bn = dyn_cast<BatchNormOp>(user)) {
      if (axis != 1)
        return user;
      for (unsigned i = 1; i < 5; ++i) {
        if (!isConstant(bn->getOperand(i)))
          return user;
        plan.slices.push_back(
            {bn, i, channels, 1, SmallVector<int64_t>(kept), ".bn_param", 0});
      }
      if (Operation *blocker = planShrink(bn.getResult(), axis, kept, plan))
        return blocker;
      continue;
    }

    // Channel-wise ops pass the channel axis through unchanged.
    if (isa<ReluOp, SigmoidOp, TanhOp, NegOp, SqrtOp, ExpOp, ErfOp, GeluOp,
            ClipOp>(user)) {
      if (Operation *blocker = planShrink(user->getResult(0), axis, kept, plan))
        return blocker;
      continue;
    }
    if (isa<MaxPool2DOp, AvgPool2DOp, GlobalAvgPool2DOp>(user)) {
      if (axis != 1)
        return user;
      if (Operation *blocker = planShrink(user->getResult(0), axis, kept, plan))
        return blocker;
      continue;
    }

    if (auto conv = dyn_cast<Conv2DOp>(user)) {
      if (axis != 1 || !isConstant(conv.getWeight()))
        return user;
      auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
      int64_t taps = weightType.getDimSize(2) * weightType.getDimSize(3);
      if (conv.getGroups() == 1) {
        // The next layer loses the matching input channels.
        plan.slices.push_back({conv, 1, channels, taps,
                               SmallVector<int64_t>(kept), ".weight", 1});
        if (conv->hasAttr(kColNormAttr))
          plan.norms.push_back(
              {conv, channels, taps, SmallVector<int64_t>(kept)});
        continue;
      }
      if ((int64_t)conv.getGroups() != channels ||
          weightType.getDimSize(0) % channels != 0)
        return user;
      // Depthwise: channel c owns filters c*mult .. c*mult+mult-1, which go
      // with it, and the layer's own output channels shrink in turn.
      int64_t mult = weightType.getDimSize(0) / channels;
      plan.slices.push_back({conv, 1, channels, mult * taps,
                             SmallVector<int64_t>(kept), ".weight", 0});
      if (conv.getBias()) {
        if (!isConstant(conv.getBias()))
          return user;
        plan.slices.push_back(
            {conv, 2, channels, mult, SmallVector<int64_t>(kept), ".bias", 0});
      }
      if (conv->hasAttr(kColNormAttr))
        plan.norms.push_back(
            {conv, channels, taps, SmallVector<int64_t>(kept)});
      plan.newGroups.push_back({conv, (int64_t)kept.size()});
      if (Operation *blocker =
              planShrink(conv.getResult(), 1, expand(kept, mult), plan))
        return blocker;
      continue;
    }

    if (auto linear = dyn_cast<LinearOp>(user)) {
      if (axis != rank - 1 || !isConstant(linear.getWeight()))
        return user;
      plan.slices.push_back(
          {linear, 1, channels, 1, SmallVector<int64_t>(kept), ".weight", 1});
      if (linear->hasAttr(kColNormAttr))
        plan.norms.push_back({linear, channels, 1, SmallVector<int64_t>(kept)});
      continue;
    }

    // Flattening [N, C, ...] to [N, C*block]: channel c owns a block of
    // `block` consecutive features, and only mc.linear may read them.
    if (isa<FlattenOp, ReshapeOp>(user)) {
      auto resultType = cast<RankedTensorType>(user->getResult(0).getType());
      if (axis != 1 ||
          llvm::any_of(type.getShape().drop_front(2), ShapedType::isDynamic))
        return user;
      int64_t block = 1;
      for (int64_t d : type.getShape().drop_front(2))
        block *= d;
      if (auto flatten = dyn_cast<FlattenOp>(user)) {
        int64_t flattenAxis = flatten.getAxis();
        if (flattenAxis < 0)
          flattenAxis += rank;
        if (flattenAxis != 1)
          return user;
      } else if (resultType.getRank() != 2 ||
                 resultType.getDimSize(0) != type.getDimSize(0) ||
                 resultType.getDimSize(1) != channels * block) {
        return user;
      }
      plan.resizes.push_back(
          {user->getResult(0), 1, (int64_t)kept.size() * block});
      if (Operation *blocker =
              planLinearInputs(user->getResult(0), expand(kept, block), plan))
        return blocker;
      continue;
    }
    return user;
  }
  return nullptr;
}

/// Applies a plan whose every step has been checked.
static void applyPlan(ShrinkPlan &plan) {
  SmallVector<Value> old;
  for (ShrinkPlan::Slice &slice : plan.slices) {
    Value operand = slice.op->getOperand(slice.operand);
    auto type = cast<RankedTensorType>(operand.getType());
    SmallVector<float> values = *constantF32(operand);
    SmallVector<float> kept =
        gather(values, slice.dim, slice.inner, slice.kept);
    // Axis `slice.axis` holds the sliced dimension, possibly times a block
    // (depthwise filters per channel).
    int64_t size =
        type.getDimSize(slice.axis) / slice.dim * (int64_t)slice.kept.size();
    RankedTensorType newType = withDim(type, slice.axis, size);
    old.push_back(replaceConstant(slice.op, slice.operand, newType,
                                  constantName(slice.op, slice.suffix), kept));
  }
  for (ShrinkPlan::NormSlice &ns : plan.norms) {
    auto attr = cast<ElementsAttr>(ns.op->getAttr(kColNormAttr));
    std::optional<SmallVector<float>> values = getF32Values(attr);
    auto type = cast<RankedTensorType>(attr.getType());
    if (!values || type.getDimSize(0) % ns.dim != 0) {
      // Unreadable or inconsistent statistics would be wrong after the
      // shrink; dropping them is the honest choice.
      ns.op->removeAttr(kColNormAttr);
      continue;
    }
    SmallVector<float> kept = gather(*values, ns.dim, ns.inner, ns.kept);
    RankedTensorType newType =
        withDim(type, 0, type.getDimSize(0) / ns.dim * (int64_t)ns.kept.size());
    ns.op->setAttr(kColNormAttr,
                   DenseElementsAttr::get(newType, ArrayRef<float>(kept)));
  }
  for (auto &[conv, groups] : plan.newGroups)
    conv.setGroups(groups);
  for (ShrinkPlan::Resize &resize : plan.resizes)
    resize.value.setType(
        withDim(resize.value.getType(), resize.axis, resize.size));
  for (Value v : old)
    eraseIfDead(v);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

enum class Method { Magnitude, Wanda };
enum class PatternKind { Unstructured, NM, Channel };

struct MCPrunePass : mc::impl::MCPrunePassBase<MCPrunePass> {
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult parseOptions(func::FuncOp func);
  std::optional<SmallVector<float>> scoresOf(const Layer &layer);
  void zeroWeights(const Layer &layer, ArrayRef<bool> mask);
  void pruneChannels(const Layer &layer);

  Method methodKind = Method::Magnitude;
  PatternKind patternKind = PatternKind::Unstructured;
  NMPattern nm;
  bool global = false;
};

LogicalResult MCPrunePass::parseOptions(func::FuncOp func) {
  // Diagnostics go to the location only: printing the whole function
  // after an option error would bury the message.
  auto fail = [&]() { return mlir::emitError(func.getLoc(), "mc-prune: "); };
  if (method == "magnitude") {
    methodKind = Method::Magnitude;
  } else if (method == "wanda") {
    methodKind = Method::Wanda;
  } else {
    return fail() << "unknown method '" << method
                  << "' (expected 'magnitude' or 'wanda')";
  }

  if (!(sparsity >= 0.0 && sparsity <= 1.0))
    return fail() << "sparsity " << formatNumber(sparsity)
                  << " is outside [0, 1]";

  if (pattern == "unstructured") {
    patternKind = PatternKind::Unstructured;
  } else if (pattern == "channel") {
    patternKind = PatternKind::Channel;
  } else {
    llvm::Expected<NMPattern> parsed = parseNMPattern(pattern);
    if (!parsed)
      return fail() << "bad pattern: " << llvm::toString(parsed.takeError())
                    << " (expected 'unstructured', 'channel' or 'N:M')";
    patternKind = PatternKind::NM;
    nm = *parsed;
    if (sparsity.hasValue() && std::abs(sparsity - nm.sparsity()) > 1e-9)
      return fail() << "pattern " << pattern << " fixes the sparsity at "
                    << formatNumber(nm.sparsity())
                    << ", but sparsity=" << formatNumber(sparsity)
                    << " was given";
  }

  if (scope == "layer") {
    global = false;
  } else if (scope == "global") {
    global = true;
  } else {
    return fail() << "unknown scope '" << scope
                  << "' (expected 'layer' or 'global')";
  }
  if (global && (methodKind != Method::Magnitude ||
                 patternKind != PatternKind::Unstructured))
    return fail() << "scope=global needs method=magnitude and "
                     "pattern=unstructured";
  if (patternKind == PatternKind::Channel && methodKind != Method::Magnitude)
    return fail() << "pattern=channel ranks channels by weight L2 norm and "
                     "needs method=magnitude";
  if (minParams < 0)
    return fail() << "min-params must not be negative";
  return success();
}

std::optional<SmallVector<float>> MCPrunePass::scoresOf(const Layer &layer) {
  if (methodKind == Method::Magnitude)
    return magnitudeScores(layer.weight);
  auto attr = layer.op->getAttrOfType<ElementsAttr>(kColNormAttr);
  if (!attr) {
    mlir::emitError(layer.op->getLoc(),
                    "mc-prune: method=wanda needs the input column norms "
                    "of layer ")
        << describe(layer.op) << " (attribute '" << kColNormAttr
        << "'; run calibration first)";
    return std::nullopt;
  }
  std::optional<SmallVector<float>> norms = getF32Values(attr);
  int64_t expected = layer.groups * layer.cols;
  if (!norms || (int64_t)norms->size() != expected) {
    mlir::emitError(layer.op->getLoc(), "mc-prune: '")
        << kColNormAttr << "' of layer " << describe(layer.op) << " must hold "
        << expected << " f32 values (one per input column)";
    return std::nullopt;
  }
  return wandaScores(layer.weight, layer.rows, layer.cols, *norms,
                     layer.groups);
}

void MCPrunePass::zeroWeights(const Layer &layer, ArrayRef<bool> mask) {
  SmallVector<float> values(layer.weight);
  int64_t zeros = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (mask[i] && values[i] != 0.0f)
      ++numWeightsZeroed;
    if (mask[i])
      values[i] = 0.0f;
    zeros += values[i] == 0.0f;
  }
  Value weight = layerWeight(layer.op);
  Value old = replaceConstant(layer.op, operandIndex(layer.op, weight),
                              cast<ShapedType>(weight.getType()),
                              constantName(layer.op, ".weight"), values);
  eraseIfDead(old);
  Builder b(layer.op->getContext());
  std::string patternName = patternKind == PatternKind::NM
                                ? (Twine(nm.n) + ":" + Twine(nm.m)).str()
                                : std::string("unstructured");
  layer.op->setAttr(
      kSparsityAttr,
      b.getDictionaryAttr(
          {b.getNamedAttr("pattern", b.getStringAttr(patternName)),
           b.getNamedAttr("sparsity",
                          b.getF64FloatAttr(double(zeros) / values.size()))}));
  ++numLayersPruned;
}

void MCPrunePass::pruneChannels(const Layer &layer) {
  Operation *op = layer.op;
  if (layer.groups != 1) {
    mlir::emitRemark(op->getLoc(), "mc-prune: layer ")
        << describe(op) << " left unpruned: grouped convolution";
    ++numLayersLeftDense;
    return;
  }
  // At least one channel stays: a zero-sized layer is not a layer.
  int64_t numRemove =
      std::min(numToPrune(layer.rows, sparsity), layer.rows - 1);
  if (numRemove == 0)
    return;
  Value bias = layerBias(op);
  if (bias && !isConstant(bias)) {
    mlir::emitRemark(op->getLoc(), "mc-prune: layer ")
        << describe(op) << " left unpruned: non-constant bias";
    ++numLayersLeftDense;
    return;
  }
  SmallVector<int64_t> kept =
      keptRows(rowL2Norms(layer.weight, layer.rows, layer.cols), numRemove);

  ShrinkPlan plan;
  plan.slices.push_back({op, 1, layer.rows, layer.cols, kept, ".weight", 0});
  if (bias)
    plan.slices.push_back({op, 2, layer.rows, 1, kept, ".bias", 0});
  Value result = op->getResult(0);
  int64_t axis = isa<LinearOp>(op)
                     ? cast<RankedTensorType>(result.getType()).getRank() - 1
                     : 1;
  if (Operation *blocker = planShrink(result, axis, kept, plan)) {
    mlir::emitRemark(op->getLoc(), "mc-prune: layer ")
        << describe(op) << " left unpruned: its output reaches '"
        << blocker->getName() << "', which cannot drop channels";
    ++numLayersLeftDense;
    return;
  }
  applyPlan(plan);
  numChannelsRemoved += numRemove;
  ++numLayersPruned;
}

void MCPrunePass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (failed(parseOptions(func)))
    return signalPassFailure();

  // Prunable layers in program order.
  SmallVector<Operation *> candidates;
  func.walk([&](Operation *op) {
    if (asLayer(op))
      candidates.push_back(op);
  });
  llvm::StringSet<> skipNames;
  for (const std::string &name : skip)
    skipNames.insert(name);
  llvm::StringSet<> matched;
  SmallVector<Operation *> selected;
  for (auto [i, op] : llvm::enumerate(candidates)) {
    if (keepFirst && i == 0)
      continue;
    if (keepLast && i + 1 == candidates.size())
      continue;
    StringRef name = layerName(op);
    if (!name.empty() && skipNames.contains(name)) {
      matched.insert(name);
      continue;
    }
    auto weightType = cast<ShapedType>(layerWeight(op).getType());
    if (weightType.getNumElements() < minParams)
      continue;
    selected.push_back(op);
  }
  for (const std::string &name : skip)
    if (!matched.contains(name) &&
        !llvm::any_of(candidates,
                      [&](Operation *op) { return layerName(op) == name; }))
      mlir::emitWarning(func.getLoc(), "mc-prune: skip name '")
          << name << "' matches no prunable layer";

  if (patternKind == PatternKind::Channel) {
    // One layer at a time, reading the weights as earlier removals left
    // them (a consumer's input channels may already have shrunk).
    for (Operation *op : selected)
      if (std::optional<Layer> layer = asLayer(op))
        pruneChannels(*layer);
    return;
  }

  SmallVector<Layer> layers;
  SmallVector<SmallVector<float>> scores;
  bool failedScores = false;
  for (Operation *op : selected) {
    Layer layer = *asLayer(op);
    if (patternKind == PatternKind::NM && layer.cols % nm.m != 0) {
      mlir::emitRemark(op->getLoc(), "mc-prune: layer ")
          << describe(op) << " left unpruned: reduction size " << layer.cols
          << " is not a multiple of " << nm.m;
      ++numLayersLeftDense;
      continue;
    }
    std::optional<SmallVector<float>> layerScores = scoresOf(layer);
    if (!layerScores) {
      failedScores = true;
      continue;
    }
    layers.push_back(std::move(layer));
    scores.push_back(std::move(*layerScores));
  }
  if (failedScores)
    return signalPassFailure();

  if (global) {
    // One threshold for every layer: concatenate, select, split.
    SmallVector<float> all;
    for (ArrayRef<float> s : scores)
      all.append(s.begin(), s.end());
    SmallVector<bool> mask =
        selectLowest(all, numToPrune(all.size(), sparsity));
    size_t offset = 0;
    for (Layer &layer : layers) {
      zeroWeights(layer,
                  ArrayRef<bool>(mask).slice(offset, layer.weight.size()));
      offset += layer.weight.size();
    }
    return;
  }
  for (auto [layer, layerScores] : llvm::zip(layers, scores)) {
    SmallVector<bool> mask;
    if (patternKind == PatternKind::NM)
      mask = selectLowestPerGroup(layerScores, nm.m, nm.m - nm.n);
    else if (methodKind == Method::Wanda)
      mask = selectLowestPerGroup(layerScores, layer.cols,
                                  numToPrune(layer.cols, sparsity));
    else
      mask =
          selectLowest(layerScores, numToPrune(layerScores.size(), sparsity));
    zeroWeights(layer, mask);
  }
}

} // namespace
