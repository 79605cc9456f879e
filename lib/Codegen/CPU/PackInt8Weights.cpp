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
  DenseIntElementsAttr bias;
  if (!matchPattern(broadcast.getInput(), m_Constant(&bias)) ||
      bias.getNumElements() != size)
    return std::nullopt;
  return llvm::map_to_vector(bias.getValues<APInt>(), [](const APInt &x) {
    return x.getSExtValue();
  });
}

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

    // Body: out + (ext(x) - zx) * (ext(w) - zw).
    Block *body = op.getBlock();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
    Value out = body->getArgument(2);
    if (!add || (add.getLhs() == out) == (add.getRhs() == out))
      return rewriter.notifyMatchFailure(op, "body is not an accumulation");
    auto mul = (add.getLhs() == out ? add.getRhs() : add.getLhs())
                   .getDefiningOp<arith::MulIOp>();
    if (!mul)
      return rewriter.notifyMatchFailure(op, "body is not a product");
    std::optional<Centered> xc =
        matchCentered(mul.getLhs(), body->getArgument(0));
    std::optional<Centered> wc =
        matchCentered(mul.getRhs(), body->getArgument(1));
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
      return rewriter.notifyMatchFailure(op, "unsupported body");

    // The weight, centered, as int8.
    SmallVector<int8_t> raw;
    if (!getI8Elements(w, raw))
      return rewriter.notifyMatchFailure(op, "weight is not an i8 constant");
    auto weightAt = [&](int64_t o, int64_t kk) -> int64_t {
      int8_t v = raw[weightNK ? o * depth + kk : kk * numOut + o];
      int64_t wide = wc->isSigned ? int64_t(v) : int64_t(uint8_t(v));
      return wide - wc->zeroPoint;
    };
    for (int64_t o = 0; o < numOut; ++o)
      for (int64_t kk = 0; kk < depth; ++kk)
        if (int64_t v = weightAt(o, kk); v < -128 || v > 127)
          return rewriter.notifyMatchFailure(op, "centered weight not int8");

    using namespace int8gemm;
    int64_t depth4 = llvm::divideCeil(depth, kGroup) * kGroup;
    int64_t panels = llvm::divideCeil(numOut, kPanel);
    SmallVector<int8_t> packed(panels * depth4 * kPanel, 0);
    SmallVector<int64_t> correction(numOut, 0);
    int64_t offset = xc->isSigned ? xc->zeroPoint + 128 : xc->zeroPoint;
    for (int64_t o = 0; o < numOut; ++o) {
      int64_t sum = 0;
      for (int64_t kk = 0; kk < depth; ++kk) {
        int64_t v = weightAt(o, kk);
        sum += v;
        int64_t p = o / kPanel, j = o % kPanel, g = kk / kGroup,
                r = kk % kGroup;
        packed[((p * (depth4 / kGroup) + g) * kPanel + j) * kGroup + r] =
            static_cast<int8_t>(v);
      }
      correction[o] = -offset * sum;
    }

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
    if (xc->isSigned) {
      Value empty = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{staticRows, depth}, i8, dynRows);
      AffineMap id = rewriter.getMultiDimIdentityMap(2);
      a = linalg::GenericOp::create(
              rewriter, loc, TypeRange{empty.getType()}, ValueRange{a},
              ValueRange{empty}, ArrayRef<AffineMap>{id, id},
              ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                            utils::IteratorType::parallel},
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value flip = arith::ConstantOp::create(
                    b, l, b.getIntegerAttr(i8, -128));
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::XOrIOp::create(b, l, args[0], flip)});
              })
              .getResult(0);
    }
    if (depth4 != depth) {
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getIntegerAttr(i8, 0));
      a = tensor::PadOp::create(
          rewriter, loc,
          RankedTensorType::get({staticRows, depth4}, i8), a,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                 rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                 rewriter.getIndexAttr(depth4 - depth)},
          zero);
    }

    // B: the packed constant.
    auto packedType = RankedTensorType::get(
        {panels, depth4 / kGroup, kPanel, kGroup}, i8);
    Value b = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed)));

    // C: the initial accumulator plus the correction, [M, N].
    auto accType = RankedTensorType::get({staticRows, numOut}, i32);
    bool hasCorrection =
        llvm::any_of(correction, [](int64_t c) { return c != 0; });
    Value acc;
    auto rowConst = [&](ArrayRef<int64_t> values) {
      SmallVector<int32_t> v = llvm::map_to_vector(
          values, [](int64_t c) { return static_cast<int32_t>(c); });
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({numOut}, i32),
                                 ArrayRef<int32_t>(v)));
    };
    std::optional<SmallVector<int64_t>> start;
    if (hasCorrection)
      start = constantRow(init, numOut);
    if (start) {
      SmallVector<int64_t> row(*start);
      for (auto [r, c] : llvm::zip_equal(row, correction))
        r = static_cast<int32_t>(static_cast<uint32_t>(r) +
                                 static_cast<uint32_t>(c));
      Value empty = tensor::EmptyOp::create(
          rewriter, loc, accType.getShape(), i32, dynRows);
      acc = linalg::BroadcastOp::create(rewriter, loc, rowConst(row), empty,
                                        ArrayRef<int64_t>{0})
                .getResult()[0];
    } else {
      acc = init;
      if (rank > 2)
        acc = tensor::CollapseShapeOp::create(rewriter, loc, init, toRows);
      if (hasCorrection) {
        Value empty = tensor::EmptyOp::create(
            rewriter, loc, accType.getShape(), i32, dynRows);
        AffineMap id = rewriter.getMultiDimIdentityMap(2);
        AffineMap col = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
        acc = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{accType}, ValueRange{acc,
                                                                rowConst(
                                                                    correction)},
                  ValueRange{empty}, ArrayRef<AffineMap>{id, col, id},
                  ArrayRef<utils::IteratorType>{
                      utils::IteratorType::parallel,
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

    // The packed product.
    auto product = linalg::GenericOp::create(
        rewriter, loc, TypeRange{acc.getType()}, ValueRange{a, b},
        ValueRange{acc}, packedMaps(ctx),
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                      utils::IteratorType::parallel,
                                      utils::IteratorType::reduction},
        [&](OpBuilder &bb, Location l, ValueRange args) {
          Value xa = arith::ExtUIOp::create(bb, l, i32, args[0]);
          Value wb = arith::ExtSIOp::create(bb, l, i32, args[1]);
          Value prod = arith::MulIOp::create(bb, l, xa, wb);
          linalg::YieldOp::create(
              bb, l, ValueRange{arith::AddIOp::create(bb, l, args[2], prod)});
        });
    Value result = product.getResult(0);
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

struct MCCPUPackInt8WeightsPass
    : mc::impl::MCCPUPackInt8WeightsPassBase<MCCPUPackInt8WeightsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PackInt8Product>(&getContext());
    // The rewritten product does not match again (its weight map has
    // floordiv/mod).
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
