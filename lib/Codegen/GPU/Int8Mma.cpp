//===- Int8Mma.cpp - int8 GEMMs on tensor cores (mma.sync s8) -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-gpu-int8-mma pass: the int8 x int8 -> int32 contractions that
// convert-mc-to-linalg emits for mc.qlinear (on buffers, after
// bufferization) become gpu.launch kernels in which each warp computes a
// 16x8 output tile with `mma.sync.m16n8k32.row.col.s32.s8.s8.s32`.
//
// Fragment layouts are those of the PTX ISA for m16n8k32 with .s8 operands
// (lane = 4 * group + tig, "thread in group"):
//   A (16x32, row): register r holds A[g + 8*(r&1)][4*tig + 16*(r>>1) + j],
//                   j = 0..3 in bytes 0..3 (lowest k in the lowest byte);
//   B (32x8, col):  register r holds B[4*tig + 16*r + j][g], j = 0..3;
//   C/D (16x8):     element i is C[g + 8*(i>>1)][2*tig + (i&1)].
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCGPUINT8MMAPASS
#include "mc/Codegen/GPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// An int8 GEMM `C[m, n] += (A[m, k] - zpA) * B[n, k]` (or `B[k, n]`).
struct Int8Gemm {
  Value a, b, c;
  bool bTransposed = false; // B indexed (k, n) instead of (n, k)
  int64_t zeroPointA = 0;
  /// The elementwise op that reads C next (the requantization), fused into
  /// the epilogue; null if there is none that can be fused.
  linalg::GenericOp epilogue;
};

/// The elementwise consumer of the GEMM's result buffer that can run in the
/// GEMM's epilogue: the next op of the block that uses C is an all-parallel
/// 2-D linalg.generic reading C once through the identity map and writing
/// one other buffer through the identity map, and afterwards C is only
/// freed. Ops before the GEMM may write C (its bias initialization).
linalg::GenericOp findEpilogue(linalg::GenericOp gemmOp, Value c) {
  linalg::GenericOp consumer;
  for (Operation *op = gemmOp->getNextNode(); op; op = op->getNextNode()) {
    if (llvm::is_contained(op->getOperands(), c)) {
      consumer = dyn_cast<linalg::GenericOp>(op);
      break;
    }
    // The kernel moves down to the consumer: what it passes must neither
    // touch memory (it could write A or B) nor hide a use of C in a region.
    if (op->getNumRegions() ||
        !(isMemoryEffectFree(op) || isa<memref::AllocOp>(op)))
      return nullptr;
  }
  if (!consumer || !consumer.hasPureBufferSemantics() ||
      consumer.getNumLoops() != 2 ||
      consumer.getNumParallelLoops() != 2 || consumer.getNumDpsInits() != 1)
    return nullptr;
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(2, consumer.getContext());
  OpOperand *out = consumer.getDpsInitOperand(0);
  if (out->get() == c || consumer.getMatchingIndexingMap(out) != identity)
    return nullptr;
  int uses = 0;
  for (OpOperand *in : consumer.getDpsInputOperands()) {
    if (in->get() != c)
      continue;
    if (consumer.getMatchingIndexingMap(in) != identity)
      return nullptr;
    ++uses;
  }
  if (uses != 1)
    return nullptr;
  // Every other user of C: before the GEMM in the same block, or a free.
  for (Operation *user : c.getUsers()) {
    if (user == gemmOp || user == consumer || isa<memref::DeallocOp>(user))
      continue;
    if (user->getBlock() != gemmOp->getBlock() ||
        !user->isBeforeInBlock(gemmOp))
      return nullptr;
  }
  if (!c.getDefiningOp<memref::AllocOp>())
    return nullptr;
  return consumer;
}

/// `x` if it is `arith.extsi %arg : i8 to i32` of block argument `arg`,
/// optionally minus a constant (returned in `zeroPoint`).
BlockArgument matchExtended(Value x, int64_t &zeroPoint) {
  zeroPoint = 0;
  if (auto sub = x.getDefiningOp<arith::SubIOp>()) {
    APInt constant;
    if (!matchPattern(sub.getRhs(), m_ConstantInt(&constant)))
      return nullptr;
    zeroPoint = constant.getSExtValue();
    x = sub.getLhs();
  }
  auto ext = x.getDefiningOp<arith::ExtSIOp>();
  if (!ext || !ext.getIn().getType().isInteger(8) ||
      !ext.getType().isInteger(32))
    return nullptr;
  return dyn_cast<BlockArgument>(ext.getIn());
}

FailureOr<Int8Gemm> matchInt8Gemm(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3)
    return failure();
  auto iterators = op.getIteratorTypesArray();
  if (iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      iterators[2] != utils::IteratorType::reduction)
    return failure();
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto maps = op.getIndexingMapsArray();
  Int8Gemm gemm;
  if (maps[0] != AffineMap::get(3, 0, {m, k}, ctx) ||
      maps[2] != AffineMap::get(3, 0, {m, n}, ctx))
    return failure();
  if (maps[1] == AffineMap::get(3, 0, {k, n}, ctx))
    gemm.bTransposed = true;
  else if (maps[1] != AffineMap::get(3, 0, {n, k}, ctx))
    return failure();
  gemm.a = op.getDpsInputs()[0];
  gemm.b = op.getDpsInputs()[1];
  gemm.c = op.getDpsInits()[0];
  auto elementType = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  if (!elementType(gemm.a).isInteger(8) || !elementType(gemm.b).isInteger(8) ||
      !elementType(gemm.c).isInteger(32))
    return failure();

  // yield (out + x * y), in any operand order.
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddIOp>();
  if (!add || body.getOperations().size() > 8)
    return failure();
  Value acc = body.getArgument(2), product = add.getRhs();
  if (add.getRhs() == acc)
    product = add.getLhs();
  else if (add.getLhs() != acc)
    return failure();
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return failure();
  int64_t zpX, zpY;
  BlockArgument x = matchExtended(mul.getLhs(), zpX);
  BlockArgument y = matchExtended(mul.getRhs(), zpY);
  if (!x || !y)
    return failure();
  if (x.getArgNumber() == 1)
    std::swap(x, y), std::swap(zpX, zpY);
  if (x.getArgNumber() != 0 || y.getArgNumber() != 1)
    return failure();
  // Weights are symmetric (zero point 0); an activation zero point must be
  // an int8 value, since it is multiplied on the tensor cores too.
  if (zpY != 0 || zpX < -128 || zpX > 127)
    return failure();
  gemm.zeroPointA = zpX;
  gemm.epilogue = findEpilogue(op, gemm.c);
  return gemm;
}

/// Builds the kernel body; `b` is positioned inside the gpu.launch region.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }

  /// memref[i, j] as an i32 (sign bits included), 0 outside [0, rows) x
  /// [0, cols).
  Value loadOrZero(Value memref, Value i, Value j, Value rows, Value cols) {
    Value inRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i,
                                         rows);
    Value inCols = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, j,
                                         cols);
    Value inBounds = arith::AndIOp::create(b, loc, inRows, inCols);
    Type elementType = cast<MemRefType>(memref.getType()).getElementType();
    auto ifOp = scf::IfOp::create(
        b, loc, inBounds,
        [&](OpBuilder &nb, Location l) {
          Value v = memref::LoadOp::create(nb, l, memref, ValueRange{i, j});
          scf::YieldOp::create(nb, l, v);
        },
        [&](OpBuilder &nb, Location l) {
          Value zero = arith::ConstantIntOp::create(nb, l, elementType, 0);
          scf::YieldOp::create(nb, l, zero);
        });
    return ifOp.getResult(0);
  }

  /// Four i8 values packed into an i32, the first in the lowest byte.
  Value pack(ArrayRef<Value> bytes) {
    Value word = i32(0);
    for (auto [j, byte] : llvm::enumerate(bytes)) {
      Value v = arith::ExtUIOp::create(b, loc, b.getI32Type(), byte);
      if (j)
        v = arith::ShLIOp::create(b, loc, v, i32(8 * j));
      word = arith::OrIOp::create(b, loc, word, v);
    }
    return word;
  }

  /// One mma.sync m16n8k32 s8 x s8 + s32 with wrapping accumulation.
  SmallVector<Value> mma(ValueRange aRegs, ValueRange bRegs,
                         ValueRange cRegs) {
    Type i32Type = b.getI32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), {i32Type, i32Type, i32Type, i32Type});
    auto op = NVVM::MmaOp::create(
        b, loc, resultType, aRegs, bRegs, cRegs, {16, 8, 32},
        /*b1Op=*/std::nullopt, NVVM::MMAIntOverflow::wrapped,
        std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::s8, NVVM::MMATypes::s8},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    SmallVector<Value> d;
    for (int64_t i = 0; i < 4; ++i)
      d.push_back(LLVM::ExtractValueOp::create(b, loc, op.getRes(), i));
    return d;
  }

private:
  OpBuilder &b;
  Location loc;
};

void buildKernel(linalg::GenericOp op, Int8Gemm gemm) {
  // With an epilogue, at the consumer: its output may be allocated after
  // the GEMM.
  OpBuilder b(gemm.epilogue ? gemm.epilogue.getOperation()
                            : op.getOperation());
  Location loc = op.getLoc();
  KernelBuilder kb(b, loc);
  Value c0 = kb.index(0), c1 = kb.index(1);
  Value rows = memref::DimOp::create(b, loc, gemm.a, 0);
  Value depth = memref::DimOp::create(b, loc, gemm.a, 1);
  Value cols = memref::DimOp::create(b, loc, gemm.c, 1);
  // One warp per 16x8 tile of C.
  Value gridX = arith::CeilDivUIOp::create(b, loc, cols, kb.index(8));
  Value gridY = arith::CeilDivUIOp::create(b, loc, rows, kb.index(16));
  auto launch = gpu::LaunchOp::create(b, loc, gridX, gridY, c1, kb.index(32),
                                      c1, c1);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  Value lane = launch.getThreadIds().x;
  Value group = arith::DivUIOp::create(b, loc, lane, kb.index(4));
  Value tig = arith::RemUIOp::create(b, loc, lane, kb.index(4));
  Value m0 = kb.mul(launch.getBlockIds().y, kb.index(16));
  Value n0 = kb.mul(launch.getBlockIds().x, kb.index(8));
  Value row = kb.add(m0, group);
  Value col = kb.add(n0, group);
  Value kLane = kb.mul(tig, kb.index(4));

  // zpA * sum_k B[k, n] is accumulated with a second mma whose A is zpA
  // everywhere; both sums wrap modulo 2^32 like the CPU's i32 arithmetic.
  bool correct = gemm.zeroPointA != 0;
  Value zpWord;
  if (correct) {
    Value zp = arith::ConstantIntOp::create(b, loc, b.getI8Type(),
                                            gemm.zeroPointA);
    zpWord = kb.pack({zp, zp, zp, zp});
  }
  SmallVector<Value> init(correct ? 8 : 4, kb.i32(0));
  auto loop = scf::ForOp::create(b, loc, c0, depth, kb.index(32), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k0 = loop.getInductionVar();
    SmallVector<Value> aRegs, bRegs;
    for (int64_t r = 0; r < 4; ++r) {
      Value i = kb.add(row, kb.index(8 * (r & 1)));
      Value kBase = kb.add(k0, kb.add(kLane, kb.index(16 * (r >> 1))));
      SmallVector<Value> bytes;
      for (int64_t j = 0; j < 4; ++j)
        bytes.push_back(
            kb.loadOrZero(gemm.a, i, kb.add(kBase, kb.index(j)), rows, depth));
      aRegs.push_back(kb.pack(bytes));
    }
    for (int64_t r = 0; r < 2; ++r) {
      Value kBase = kb.add(k0, kb.add(kLane, kb.index(16 * r)));
      SmallVector<Value> bytes;
      for (int64_t j = 0; j < 4; ++j) {
        Value k = kb.add(kBase, kb.index(j));
        bytes.push_back(gemm.bTransposed
                            ? kb.loadOrZero(gemm.b, k, col, depth, cols)
                            : kb.loadOrZero(gemm.b, col, k, cols, depth));
      }
      bRegs.push_back(kb.pack(bytes));
    }
    ValueRange iterArgs = loop.getRegionIterArgs();
    SmallVector<Value> next = kb.mma(aRegs, bRegs, iterArgs.take_front(4));
    if (correct)
      llvm::append_range(next, kb.mma({zpWord, zpWord, zpWord, zpWord}, bRegs,
                                      iterArgs.drop_front(4)));
    scf::YieldOp::create(b, loc, next);
  }

  // Epilogue: C[m, n] += acc - zpA * colsum(B).
  for (int64_t e = 0; e < 4; ++e) {
    Value i = kb.add(m0, kb.add(group, kb.index(8 * (e >> 1))));
    Value j = kb.add(n0, kb.add(kb.mul(tig, kb.index(2)), kb.index(e & 1)));
    Value inRows =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i, rows);
    Value inCols =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, j, cols);
    Value inBounds = arith::AndIOp::create(b, loc, inRows, inCols);
    Value acc = loop.getResult(e);
    if (correct)
      acc = arith::SubIOp::create(b, loc, acc, loop.getResult(4 + e));
    scf::IfOp::create(b, loc, inBounds, [&](OpBuilder &nb, Location l) {
      Value old = memref::LoadOp::create(nb, l, gemm.c, ValueRange{i, j});
      Value sum = arith::AddIOp::create(nb, l, old, acc);
      if (!gemm.epilogue) {
        memref::StoreOp::create(nb, l, sum, gemm.c, ValueRange{i, j});
      } else {
        // The consumer's body on this element: C's value is `sum`, other
        // operands are loaded through their indexing maps.
        linalg::GenericOp consumer = gemm.epilogue;
        Block &body = consumer.getRegion().front();
        IRMapping mapping;
        for (OpOperand &operand : consumer->getOpOperands()) {
          BlockArgument arg = consumer.getMatchingBlockArgument(&operand);
          if (operand.get() == gemm.c) {
            mapping.map(arg, sum);
            continue;
          }
          if (arg.use_empty())
            continue;
          std::optional<SmallVector<Value, 8>> indices =
              affine::expandAffineMap(
                  nb, l, consumer.getMatchingIndexingMap(&operand), {i, j});
          Value v = memref::LoadOp::create(nb, l, operand.get(), *indices);
          mapping.map(arg, v);
        }
        for (Operation &bodyOp : body.without_terminator())
          nb.clone(bodyOp, mapping);
        auto yield = cast<linalg::YieldOp>(body.getTerminator());
        memref::StoreOp::create(nb, l,
                                mapping.lookupOrDefault(yield.getValues()[0]),
                                consumer.getDpsInits()[0], ValueRange{i, j});
      }
      scf::YieldOp::create(nb, l);
    });
  }
  gpu::TerminatorOp::create(b, loc);
  op.erase();
  if (linalg::GenericOp epilogue = gemm.epilogue)
    epilogue.erase();
}

struct MCGPUInt8MmaPass
    : mc::impl::MCGPUInt8MmaPassBase<MCGPUInt8MmaPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, Int8Gemm>> gemms;
    getOperation().walk([&](linalg::GenericOp op) {
      FailureOr<Int8Gemm> gemm = matchInt8Gemm(op);
      if (succeeded(gemm))
        gemms.push_back({op, *gemm});
    });
    for (auto &[op, gemm] : gemms)
      buildKernel(op, gemm);
  }
};

} // namespace
