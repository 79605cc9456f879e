//===- PackInt8Weights.cpp - Constant int8 weights in VNNI panels ---------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-pack-int8-weights pass: an integer product of 8-bit
// activations and constant 8-bit weights (the linalg.generic of mc.qlinear
// or mc.qmatmul) becomes a product of unsigned activations and signed
// weights packed in 32-column panels, with the zero-point correction folded
// into the initial accumulator (see the pass description in Passes.td).
//
// Exactness: with w' = w - zw (checked to fit int8) and xu the unsigned
// activation (x + 128 for signed storage, x for unsigned),
//   sum_k (x - zx) w' = sum_k xu w' - o sum_k w',  o = zx + 128 or zx,
// an identity of integers, so the rewritten op computes the same int32
// values modulo 2^32 as the original one.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Int8Gemm.h"
#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPUPACKINT8WEIGHTSPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

/// `(x - zp)` in the body of the product: `ext(arg)` optionally minus a
/// constant.
struct Centered {
  bool isSigned = true;
  bool subtracts = false;
  int64_t zeroPoint = 0;
};

/// Matches `ext(arg)` or `ext(arg) - constant` with ext from i8 to i32.
std::optional<Centered> matchCentered(Value v, Value arg) {
  Centered c;
  if (auto sub = v.getDefiningOp<arith::SubIOp>()) {
    APInt zp;
    if (!matchPattern(sub.getRhs(), m_ConstantInt(&zp)))
      return std::nullopt;
    c.zeroPoint = zp.getSExtValue();
    c.subtracts = true;
    v = sub.getLhs();
  }
  Value in;
  if (auto ext = v.getDefiningOp<arith::ExtSIOp>()) {
    in = ext.getIn();
  } else if (auto ext = v.getDefiningOp<arith::ExtUIOp>()) {
    in = ext.getIn();
    c.isSigned = false;
  } else {
    return std::nullopt;
  }
  if (in != arg || !in.getType().isInteger(8) || !v.getType().isInteger(32))
    return std::nullopt;
  return c;
}

/// The i8 elements of a constant (inline or resource-backed).
bool getI8Elements(Value v, SmallVectorImpl<int8_t> &values) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return false;
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    if (!dense.getElementType().isInteger(8))
      return false;
    for (const APInt &x : dense.getValues<APInt>())
      values.push_back(static_cast<int8_t>(x.getSExtValue()));
    return true;
  }
  if (auto resource = dyn_cast<DenseI8ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<int8_t>> data = resource.tryGetAsArrayRef();
    if (!data)
      return false;
    llvm::append_range(values, *data);
    return true;
  }
  return false;
}

/// The elements of an i32 constant (inline or resource-backed), sign
/// extended.
std::optional<SmallVector<int64_t>> getI32Elements(Value v) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    if (!dense.getElementType().isInteger(32))
      return std::nullopt;
    return llvm::map_to_vector(dense.getValues<APInt>(), [](const APInt &x) {
      return x.getSExtValue();
    });
  }
  if (auto resource = dyn_cast<DenseI32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<int32_t>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return llvm::map_to_vector(*data, [](int32_t x) { return int64_t(x); });
  }
  return std::nullopt;
}

/// A constant i32 vector, if `v` is a broadcast of one along the rows or a
/// fill with a constant (`size` entries).
std::optional<SmallVector<int64_t>> constantRow(Value v, int64_t size) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>()) {
    APInt c;
    if (!matchPattern(fill.getInputs()[0], m_ConstantInt(&c)))
      return std::nullopt;
    return SmallVector<int64_t>(size, c.getSExtValue());
  }
  auto broadcast = v.getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast)
    return std::nullopt;
  auto outType = cast<RankedTensorType>(broadcast.getInit().getType());
  // Only the last dimension survives: a row vector broadcast to all rows.
  auto dims = broadcast.getDimensions();
  if (static_cast<int64_t>(dims.size()) != outType.getRank() - 1 ||
      !llvm::equal(dims, llvm::seq<int64_t>(0, outType.getRank() - 1)))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> bias =
      getI32Elements(broadcast.getInput());
  if (!bias || static_cast<int64_t>(bias->size()) != size)
    return std::nullopt;
  return bias;
}

/// The two centered operands of a product body
/// `out + (ext(x) - zx) * (ext(w) - zw)` (operands of the add and of the
/// multiply in either order, constants anywhere).
struct ProductBody {
  Centered x, w;
};

std::optional<ProductBody> matchProductBody(linalg::GenericOp op) {
  Block *body = op.getBlock();
  if (body->getNumArguments() != 3)
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return std::nullopt;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  Value out = body->getArgument(2);
  if (!add || (add.getLhs() == out) == (add.getRhs() == out))
    return std::nullopt;
  auto mul = (add.getLhs() == out ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  std::optional<Centered> xc = matchCentered(mul.getLhs(), body->getArgument(0));
  std::optional<Centered> wc = matchCentered(mul.getRhs(), body->getArgument(1));
  if (!xc || !wc) {
    xc = matchCentered(mul.getRhs(), body->getArgument(0));
    wc = matchCentered(mul.getLhs(), body->getArgument(1));
  }
  // Nothing else but constants: two extensions, the subtractions, the
  // product, the sum and the yield.
  int64_t computing = llvm::count_if(body->getOperations(), [](Operation &o) {
    return !isa<arith::ConstantOp>(o);
  });
  if (!xc || !wc || computing != 5 + xc->subtracts + wc->subtracts)
    return std::nullopt;
  return ProductBody{*xc, *wc};
}

/// The weight in panels and the zero-point correction per output column.
struct PackedWeight {
  int64_t numOut = 0, depth = 0, depth4 = 0, panels = 0;
  SmallVector<int8_t> packed;
  SmallVector<int64_t> correction;

  bool hasCorrection() const {
    return llvm::any_of(correction, [](int64_t c) { return c != 0; });
  }
};

/// The weight packing both layouts share: `weightAt(o, k)` (the centered
/// weight, o < numOut, k < depth) goes to packed[slot(o, k)] of
/// `packedSize` zero-initialized bytes, and the correction of output o is
/// -offset * sum_k weightAt(o, k) (`offset`: what the unsigned activation
/// exceeds the centered one by). Fails if a centered weight does not fit
/// int8.
std::optional<PackedWeight>
packCentered(int64_t numOut, int64_t depth, int64_t offset,
             function_ref<int64_t(int64_t, int64_t)> weightAt,
             int64_t packedSize, function_ref<int64_t(int64_t, int64_t)> slot) {
  PackedWeight pw;
  pw.numOut = numOut;
  pw.depth = depth;
  pw.depth4 = llvm::divideCeil(depth, int8gemm::kGroup) * int8gemm::kGroup;
  pw.packed.assign(packedSize, 0);
  pw.correction.assign(numOut, 0);
  for (int64_t o = 0; o < numOut; ++o) {
    int64_t sum = 0;
    for (int64_t kk = 0; kk < depth; ++kk) {
      int64_t v = weightAt(o, kk);
      if (v < -128 || v > 127)
        return std::nullopt;
      sum += v;
      pw.packed[slot(o, kk)] = static_cast<int8_t>(v);
    }
    pw.correction[o] = -offset * sum;
  }
  return pw;
}

/// Packs for mc_ukernel_i8mm_u8s8 (the weight on the right) in panels of
/// 32 outputs: packed[p][g][j][r] = w[32 p + j][4 g + r].
std::optional<PackedWeight>
packWeight(int64_t numOut, int64_t depth, int64_t offset,
           function_ref<int64_t(int64_t, int64_t)> weightAt) {
  using namespace int8gemm;
  int64_t groups = llvm::divideCeil(depth, kGroup);
  int64_t panels = llvm::divideCeil(numOut, kPanel);
  std::optional<PackedWeight> pw = packCentered(
      numOut, depth, offset, weightAt, panels * groups * kPanel * kGroup,
      [&](int64_t o, int64_t kk) {
        return ((o / kPanel * groups + kk / kGroup) * kPanel + o % kPanel) *
                   kGroup +
               kk % kGroup;
      });
  if (pw)
    pw->panels = panels;
  return pw;
}

/// Packs for mc_ukernel_i8mm_s8u8 (the weight on the left of a
/// channels-first product) as [K4][numOut][4]: the 4 consecutive k of a row
/// in one dword, the rows of one group of 4 k contiguous.
std::optional<PackedWeight>
packLeftWeight(int64_t numOut, int64_t depth, int64_t offset,
               function_ref<int64_t(int64_t, int64_t)> weightAt) {
  using namespace int8gemm;
  int64_t groups = llvm::divideCeil(depth, kGroup);
  return packCentered(numOut, depth, offset, weightAt,
                      groups * numOut * kGroup, [&](int64_t o, int64_t kk) {
                        return ((kk / kGroup) * numOut + o) * kGroup +
                               kk % kGroup;
                      });
}

/// The offset from the centered activation to the unsigned one.
int64_t activationOffset(const Centered &x) {
  return x.isSigned ? x.zeroPoint + 128 : x.zeroPoint;
}

/// A centered weight reader over raw storage values.
int64_t centeredWeight(int8_t v, const Centered &w) {
  int64_t wide = w.isSigned ? int64_t(v) : int64_t(uint8_t(v));
  return wide - w.zeroPoint;
}

Value i32RowConst(PatternRewriter &rewriter, Location loc,
                  ArrayRef<int64_t> values) {
  SmallVector<int32_t> v = llvm::map_to_vector(
      values, [](int64_t c) { return static_cast<int32_t>(c); });
  return arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({(int64_t)values.size()},
                                rewriter.getI32Type()),
          ArrayRef<int32_t>(v)));
}

/// `start + correction`, wrapping like int32.
SmallVector<int64_t> addWrapping(ArrayRef<int64_t> start,
                                 ArrayRef<int64_t> correction) {
  SmallVector<int64_t> row;
  for (auto [r, c] : llvm::zip_equal(start, correction))
    row.push_back(static_cast<int32_t>(static_cast<uint32_t>(r) +
                                       static_cast<uint32_t>(c)));
  return row;
}

/// `[rows, numOut]` i32 filled with `row` on every row.
Value broadcastRow(PatternRewriter &rewriter, Location loc,
                   ArrayRef<int64_t> row, int64_t staticRows,
                   ValueRange dynRows) {
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{staticRows, (int64_t)row.size()},
      rewriter.getI32Type(), dynRows);
  return linalg::BroadcastOp::create(rewriter, loc,
                                     i32RowConst(rewriter, loc, row), empty,
                                     ArrayRef<int64_t>{0})
      .getResult()[0];
}

/// Pads the columns of an i8 `[rows, depth]` tensor with zeros to `depth4`.
Value padColumns(PatternRewriter &rewriter, Location loc, Value a,
                 int64_t depth4) {
  auto type = cast<RankedTensorType>(a.getType());
  int64_t depth = type.getDimSize(1);
  if (depth == depth4)
    return a;
  Value zero = arith::ConstantOp::create(
      rewriter, loc, rewriter.getIntegerAttr(rewriter.getI8Type(), 0));
  return tensor::PadOp::create(
      rewriter, loc,
      RankedTensorType::get({type.getDimSize(0), depth4}, type.getElementType()),
      a,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                             rewriter.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                             rewriter.getIndexAttr(depth4 - depth)},
      zero);
}

/// The packed product `acc + a * packed` over `(m, n, k)`.
Value buildPackedProduct(PatternRewriter &rewriter, Location loc, Value a,
                         const PackedWeight &pw, Value acc) {
  using namespace int8gemm;
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  auto packedType =
      RankedTensorType::get({pw.panels, pw.depth4 / kGroup, kPanel, kGroup}, i8);
  Value b = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(packedType, ArrayRef<int8_t>(pw.packed)));
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{acc.getType()}, ValueRange{a, b},
             ValueRange{acc}, packedMaps(rewriter.getContext()),
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction},
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value xa = arith::ExtUIOp::create(bb, l, i32, args[0]);
               Value wb = arith::ExtSIOp::create(bb, l, i32, args[1]);
               Value prod = arith::MulIOp::create(bb, l, xa, wb);
               linalg::YieldOp::create(
                   bb, l,
                   ValueRange{arith::AddIOp::create(bb, l, args[2], prod)});
             })
      .getResult(0);
}

/// `v xor 0x80` (i8), the unsigned form of a signed byte.
Value flipSign(OpBuilder &b, Location loc, Value v) {
  Value flip = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(b.getI8Type(), -128));
  return arith::XOrIOp::create(b, loc, v, flip);
}

//===----------------------------------------------------------------------===//
// mc.qlinear / mc.qmatmul
//===----------------------------------------------------------------------===//

struct PackInt8Product : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
        op.getNumDpsInits() != 1)
      return rewriter.notifyMatchFailure(op, "not a two-operand product");
    Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    int64_t rank = outType.getRank();
    if (rank < 2 || xType.getRank() != rank || wType.getRank() != 2 ||
        !wType.hasStaticShape() || !outType.getElementType().isInteger(32))
      return rewriter.notifyMatchFailure(op, "unsupported operand shapes");

    // Loops (lead..., n, k): every loop parallel but the last.
    int64_t numLoops = op.getNumLoops();
    if (numLoops != rank + 1 || op.getNumReductionLoops() != 1 ||
        op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
      return rewriter.notifyMatchFailure(op, "not a matrix product");
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> lead;
    for (int64_t i = 0; i < rank - 1; ++i)
      lead.push_back(getAffineDimExpr(i, ctx));
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    SmallVector<AffineExpr> xExprs(lead), outExprs(lead);
    xExprs.push_back(k);
    outExprs.push_back(n);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps[0] != AffineMap::get(numLoops, 0, xExprs, ctx) ||
        maps[2] != AffineMap::get(numLoops, 0, outExprs, ctx))
      return rewriter.notifyMatchFailure(op, "unsupported indexing maps");
    bool weightNK = maps[1] == AffineMap::get(numLoops, 0, {n, k}, ctx);
    if (!weightNK && maps[1] != AffineMap::get(numLoops, 0, {k, n}, ctx))
      return rewriter.notifyMatchFailure(op, "unsupported weight map");
    int64_t numOut = wType.getDimSize(weightNK ? 0 : 1);
    int64_t depth = wType.getDimSize(weightNK ? 1 : 0);
    if (xType.isDynamicDim(rank - 1) || xType.getDimSize(rank - 1) != depth)
      return rewriter.notifyMatchFailure(op, "reduction size mismatch");
    std::optional<ProductBody> body = matchProductBody(op);
    if (!body)
      return rewriter.notifyMatchFailure(op, "unsupported body");

    SmallVector<int8_t> raw;
    if (!getI8Elements(w, raw))
      return rewriter.notifyMatchFailure(op, "weight is not an i8 constant");
    std::optional<PackedWeight> pw = packWeight(
        numOut, depth, activationOffset(body->x),
        [&](int64_t o, int64_t kk) {
          return centeredWeight(
              raw[weightNK ? o * depth + kk : kk * numOut + o], body->w);
        });
    if (!pw)
      return rewriter.notifyMatchFailure(op, "centered weight not int8");

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();

    // A: [M, K] unsigned, rows padded to K4.
    SmallVector<ReassociationIndices> toRows;
    toRows.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)));
    toRows.push_back({rank - 1});
    Value a = x;
    if (rank > 2)
      a = tensor::CollapseShapeOp::create(rewriter, loc, x, toRows);
    int64_t staticRows = cast<RankedTensorType>(a.getType()).getDimSize(0);
    SmallVector<Value> dynRows;
    if (ShapedType::isDynamic(staticRows))
      dynRows.push_back(tensor::DimOp::create(rewriter, loc, a, 0));
    // Signed storage is flipped to unsigned. The flip is a linalg.map, which
    // elementwise fusion leaves alone, so that the producer of the
    // activations (a requantization) is not fused into the product; an
    // unsigned input that a generic produces is copied by a map for the
    // same reason.
    bool flip = body->x.isSigned;
    if (flip ||
        (pw->depth4 == depth && a.getDefiningOp<linalg::GenericOp>())) {
      Value empty = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{staticRows, depth}, i8, dynRows);
      a = linalg::MapOp::create(
              rewriter, loc, ValueRange{a}, empty,
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l, ValueRange{flip ? flipSign(b, l, args[0]) : args[0]});
              })
              .getResult()[0];
    }
    a = padColumns(rewriter, loc, a, pw->depth4);

    // C: the initial accumulator plus the correction, [M, N]: folded into
    // the bias when the accumulator starts from a constant row.
    auto accType = RankedTensorType::get({staticRows, numOut}, i32);
    std::optional<SmallVector<int64_t>> start;
    if (pw->hasCorrection())
      start = constantRow(init, numOut);
    Value acc;
    if (start) {
      acc = broadcastRow(rewriter, loc, addWrapping(*start, pw->correction),
                         staticRows, dynRows);
    } else {
      acc = init;
      if (rank > 2)
        acc = tensor::CollapseShapeOp::create(rewriter, loc, init, toRows);
      if (pw->hasCorrection()) {
        Value empty = tensor::EmptyOp::create(rewriter, loc,
                                              accType.getShape(), i32, dynRows);
        AffineMap id = rewriter.getMultiDimIdentityMap(2);
        AffineMap col = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
        acc = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{accType},
                  ValueRange{acc, i32RowConst(rewriter, loc, pw->correction)},
                  ValueRange{empty}, ArrayRef<AffineMap>{id, col, id},
                  ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                                utils::IteratorType::parallel},
                  [&](OpBuilder &bb, Location l, ValueRange args) {
                    linalg::YieldOp::create(
                        bb, l,
                        ValueRange{
                            arith::AddIOp::create(bb, l, args[0], args[1])});
                  })
                  .getResult(0);
      }
    }

    Value result = buildPackedProduct(rewriter, loc, a, *pw, acc);
    if (rank > 2) {
      SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
      sizes.back() = rewriter.getIndexAttr(numOut);
      result = tensor::ExpandShapeOp::create(rewriter, loc, outType, result,
                                             toRows, sizes);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.qconv2d (one group)
//===----------------------------------------------------------------------===//

/// The constant coefficient of dimension `dim` in a linear `expr` of
/// `numDims` dimensions.
int64_t coefficient(AffineExpr expr, unsigned dim, unsigned numDims) {
  MLIRContext *ctx = expr.getContext();
  SmallVector<AffineExpr> dims;
  for (unsigned i = 0; i < numDims; ++i)
    dims.push_back(getAffineConstantExpr(i == dim ? 1 : 0, ctx));
  auto c = dyn_cast<AffineConstantExpr>(expr.replaceDims(dims));
  return c ? c.getValue() : 0;
}

/// The constant bias row of a convolution's [N, G, F, OH, OW] accumulator,
/// G = 1, in the forms that convert-mc-to-linalg and canonicalization
/// leave: a constant fill, or a constant [F] / [1, F] that is broadcast
/// along every other dimension (linalg.broadcast, or a generic that yields
/// its input), directly or through the expand_shape that splits the
/// channels.
std::optional<SmallVector<int64_t>> convBiasRow(Value init5, int64_t filters) {
  Value v = init5;
  // Result dimension of F in `v`: 2 in the 5-D accumulator, 1 in the 4-D
  // one before the expand_shape.
  int64_t fDim = 2;
  if (auto expand = v.getDefiningOp<tensor::ExpandShapeOp>()) {
    v = expand.getSrc();
    fDim = 1;
  }
  auto rank = cast<RankedTensorType>(v.getType()).getRank();
  if (auto fill = v.getDefiningOp<linalg::FillOp>()) {
    APInt c;
    if (!matchPattern(fill.getInputs()[0], m_ConstantInt(&c)))
      return std::nullopt;
    return SmallVector<int64_t>(filters, c.getSExtValue());
  }
  auto rowOf = [&](Value input) -> std::optional<SmallVector<int64_t>> {
    // A reshape of the constant keeps the order of its elements.
    while (auto expand = input.getDefiningOp<tensor::ExpandShapeOp>())
      input = expand.getSrc();
    std::optional<SmallVector<int64_t>> bias = getI32Elements(input);
    if (!bias || static_cast<int64_t>(bias->size()) != filters)
      return std::nullopt;
    return bias;
  };
  if (auto broadcast = v.getDefiningOp<linalg::BroadcastOp>()) {
    // The kept dimensions: F, and in 5-D possibly the unit G before it.
    SmallVector<int64_t> kept;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(broadcast.getDimensions(), d))
        kept.push_back(d);
    bool ok = kept == SmallVector<int64_t>{fDim} ||
              (fDim == 2 && kept == SmallVector<int64_t>{1, 2});
    return ok ? rowOf(broadcast.getInput()) : std::nullopt;
  }
  auto generic = v.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getBlock()->getOperations().size() != 1 ||
      generic.getBlock()->getTerminator()->getOperand(0) !=
          generic.getBlock()->getArgument(0) ||
      !generic.getIndexingMapsArray()[1].isIdentity())
    return std::nullopt;
  MLIRContext *ctx = v.getContext();
  AffineMap in = generic.getIndexingMapsArray()[0];
  AffineMap fOnly = AffineMap::get(rank, 0, getAffineDimExpr(fDim, ctx));
  AffineMap gAndF =
      AffineMap::get(rank, 0,
                     {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
  if (in != fOnly && !(fDim == 2 && in == gAndF))
    return std::nullopt;
  return rowOf(generic.getDpsInputs()[0]);
}

/// The convolution generic of convert-mc-to-linalg: loops (n, g, f, oh, ow,
/// c, i, j) over the padded input [N, G, C/G, H, W], the weight
/// [G, F/G, C/G, KH, KW] and the accumulator [N, G, F/G, OH, OW]. With one
/// group it becomes, channels first, an im2col gather [N, K, OH, OW]
/// (K = C KH KW, unsigned), the accumulator [N, F, OH OW] broadcast from
/// bias + correction, and the product out[n, f, p] += W[f, k] patches[n, k,
/// p] with W packed for mc_ukernel_i8mm_s8u8: the result is in NCHW order
/// already.
struct PackInt8Conv : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
        op.getNumDpsInits() != 1 || op.getNumLoops() != 8)
      return rewriter.notifyMatchFailure(op, "not a convolution");
    Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (xType.getRank() != 5 || wType.getRank() != 5 ||
        outType.getRank() != 5 || !wType.hasStaticShape() ||
        !outType.getElementType().isInteger(32) || wType.getDimSize(0) != 1 ||
        xType.isDynamicDim(3) || xType.isDynamicDim(4) ||
        outType.isDynamicDim(3) || outType.isDynamicDim(4))
      return rewriter.notifyMatchFailure(op, "unsupported shapes or groups");
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (auto [i, it] : llvm::enumerate(iterators))
      if ((it == utils::IteratorType::reduction) != (i >= 5))
        return rewriter.notifyMatchFailure(op, "unsupported iterators");

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, g, f, oh, ow, c, i, j;
    bindDims(ctx, n, g, f, oh, ow, c, i, j);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    AffineExpr rowExpr = maps[0].getNumResults() == 5 ? maps[0].getResult(3)
                                                      : AffineExpr();
    AffineExpr colExpr = maps[0].getNumResults() == 5 ? maps[0].getResult(4)
                                                      : AffineExpr();
    if (!rowExpr)
      return rewriter.notifyMatchFailure(op, "unsupported input map");
    int64_t strides[2] = {coefficient(rowExpr, 3, 8),
                          coefficient(colExpr, 4, 8)};
    int64_t dilations[2] = {coefficient(rowExpr, 6, 8),
                            coefficient(colExpr, 7, 8)};
    AffineMap inMap = AffineMap::get(
        8, 0,
        {n, g, c, oh * strides[0] + i * dilations[0],
         ow * strides[1] + j * dilations[1]},
        ctx);
    if (maps[0] != inMap ||
        maps[1] != AffineMap::get(8, 0, {g, f, c, i, j}, ctx) ||
        maps[2] != AffineMap::get(8, 0, {n, g, f, oh, ow}, ctx))
      return rewriter.notifyMatchFailure(op, "unsupported indexing maps");
    std::optional<ProductBody> body = matchProductBody(op);
    if (!body)
      return rewriter.notifyMatchFailure(op, "unsupported body");

    int64_t filters = wType.getDimSize(1), channels = wType.getDimSize(2),
            kh = wType.getDimSize(3), kw = wType.getDimSize(4);
    int64_t outH = outType.getDimSize(3), outW = outType.getDimSize(4);
    int64_t depth = channels * kh * kw, pixels = outH * outW;
    if (xType.isDynamicDim(2) || xType.getDimSize(2) != channels)
      return rewriter.notifyMatchFailure(op, "channel mismatch");

    // The weight (possibly reshaped from [F, C, KH, KW]): its elements in
    // [F][C KH KW] order either way.
    Value wSource = w;
    if (auto expand = w.getDefiningOp<tensor::ExpandShapeOp>())
      wSource = expand.getSrc();
    SmallVector<int8_t> raw;
    if (!getI8Elements(wSource, raw))
      return rewriter.notifyMatchFailure(op, "weight is not an i8 constant");
    std::optional<PackedWeight> pw = packLeftWeight(
        filters, depth, activationOffset(body->x),
        [&](int64_t o, int64_t kk) {
          return centeredWeight(raw[o * depth + kk], body->w);
        });
    if (!pw)
      return rewriter.notifyMatchFailure(op, "centered weight not int8");
    std::optional<SmallVector<int64_t>> biasRow = convBiasRow(init, filters);
    if (!biasRow)
      return rewriter.notifyMatchFailure(op, "accumulator is not a bias");

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    int64_t batch = xType.getDimSize(0);
    SmallVector<Value> dynBatch;
    if (ShapedType::isDynamic(batch))
      dynBatch.push_back(tensor::DimOp::create(rewriter, loc, x, 0));
    OpFoldResult batchSize = tensor::getMixedSize(rewriter, loc, x, 0);

    // im2col, channels first: patches[n, k, oh, ow] = x[n, 0, c, oh s + i d,
    // ow s + j d] with k = (c, i, j), flipped to unsigned, for k < K4: the
    // rows past K repeat row K - 1 (their weights are zero). A gather (a
    // tensor.extract in the body, like the float im2col of
    // mc-cpu-conv-to-matmul) so that it is an op over images that
    // mc-cpu-tile-and-vectorize fuses per image and vectorizes along ow.
    Value patchesEmpty = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{batch, pw->depth4, outH, outW}, i8,
        dynBatch);
    AffineExpr dk, dy, dx;
    bindDims(ctx, dk, dy, dx);
    AffineMap channelMap = AffineMap::get(3, 0, dk.floorDiv(kh * kw));
    AffineMap rowMap = AffineMap::get(
        3, 0, dy * strides[0] + (dk.floorDiv(kw) % kh) * dilations[0]);
    AffineMap colMap =
        AffineMap::get(3, 0, dx * strides[1] + (dk % kw) * dilations[1]);
    bool flip = body->x.isSigned;
    Value patches =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{patchesEmpty.getType()}, ValueRange{},
            ValueRange{patchesEmpty},
            ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange) {
              Value n = linalg::IndexOp::create(b, l, 0);
              Value kk = linalg::IndexOp::create(b, l, 1);
              if (pw->depth4 != depth)
                kk = arith::MinUIOp::create(
                    b, l, kk, arith::ConstantIndexOp::create(b, l, depth - 1));
              SmallVector<Value> kyx{kk, linalg::IndexOp::create(b, l, 2),
                                     linalg::IndexOp::create(b, l, 3)};
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value c = affine::AffineApplyOp::create(b, l, channelMap, kyx);
              Value h = affine::AffineApplyOp::create(b, l, rowMap, kyx);
              Value w = affine::AffineApplyOp::create(b, l, colMap, kyx);
              Value v = tensor::ExtractOp::create(b, l, x,
                                                  ValueRange{n, zero, c, h, w});
              linalg::YieldOp::create(
                  b, l, ValueRange{flip ? flipSign(b, l, v) : v});
            })
            .getResult(0);
    using namespace int8gemm;
    int64_t groups = pw->depth4 / kGroup;
    Value patchesMat = tensor::CollapseShapeOp::create(
        rewriter, loc, patches,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});

    // The accumulator starts at bias + correction per output channel.
    Value accEmpty = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{batch, filters, pixels}, i32,
        dynBatch);
    Value acc =
        linalg::BroadcastOp::create(
            rewriter, loc,
            i32RowConst(rewriter, loc, addWrapping(*biasRow, pw->correction)),
            accEmpty, ArrayRef<int64_t>{0, 2})
            .getResult()[0];

    // out[n, f, p] += W[f, 4 g + r] * patches[n, 4 g + r, p], the weight
    // packed as [K4, F, 4].
    auto packedType = RankedTensorType::get({groups, filters, kGroup}, i8);
    Value packed = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(packedType, ArrayRef<int8_t>(pw->packed)));
    using utils::IteratorType;
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{acc.getType()},
            ValueRange{packed, patchesMat}, ValueRange{acc},
            leftPackedMaps(ctx),
            ArrayRef<IteratorType>{
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::parallel, IteratorType::reduction,
                IteratorType::reduction},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value wv = arith::ExtSIOp::create(b, l, i32, args[0]);
              Value xv = arith::ExtUIOp::create(b, l, i32, args[1]);
              Value prod = arith::MulIOp::create(b, l, wv, xv);
              linalg::YieldOp::create(
                  b, l, ValueRange{arith::AddIOp::create(b, l, args[2], prod)});
            })
            .getResult(0);

    // [N, F, OH OW] -> [N, 1, F, OH, OW].
    Value result = tensor::ExpandShapeOp::create(
        rewriter, loc, outType, product,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3, 4}},
        ArrayRef<OpFoldResult>{batchSize, rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(filters),
                               rewriter.getIndexAttr(outH),
                               rewriter.getIndexAttr(outW)});
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MCCPUPackInt8WeightsPass
    : mc::impl::MCCPUPackInt8WeightsPassBase<MCCPUPackInt8WeightsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PackInt8Product, PackInt8Conv>(&getContext());
    // The rewritten product does not match again (its weight map has
    // floordiv/mod).
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
