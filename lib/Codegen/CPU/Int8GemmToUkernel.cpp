//===- Int8GemmToUkernel.cpp - Packed int8 products as kernel calls -------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-int8-gemm-to-ukernel pass: after bufferization, the packed
// int8 product that mc-cpu-pack-int8-weights creates becomes a loop nest
// over cache blocks that calls mc_ukernel_i8mm_u8s8 (runtime/ukernels/
// i8mm.c) once per block. The generated code computes the addresses of the
// blocks from the memrefs' aligned pointers, offsets and strides, and
// passes them as integers (the kernel takes intptr_t).
//
// Constant weights with at most 2 non-zeros per aligned group of 4 k (2:4)
// or 4 per aligned block of 8 k (4:8) are repacked here, from the dense
// panels' global, into a compressed layout of mc_ukernel_i8mm_u8s8_sparse24
// or _sparse48 (runtime/ukernels/i8mm_sparse.c) when the `sparse` option
// selects it.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Int8Gemm.h"
#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPUINT8GEMMTOUKERNELPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

constexpr StringLiteral kKernelName = "mc_ukernel_i8mm_u8s8";
constexpr int64_t kKernelRows = 8;
/// The compressed layouts (runtime/include/mc/ukernel.h): per panel and
/// block of 8 k, 4 values per column, then their positions.
constexpr int64_t kSparseBlockK = 8;
constexpr int64_t kSparseKept = 4;
constexpr int64_t kSparseValueBytes = 128;

/// Whether the innermost stride of `type` is statically 1.
bool hasUnitInnerStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !strides.empty() && strides.back() == 1;
}

/// Whether `op` is the packed product; `depth4` receives K4.
bool isPackedProduct(linalg::GenericOp op, int64_t &depth4) {
  using namespace int8gemm;
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3 ||
      op.getNumReductionLoops() != 1 ||
      op.getIteratorTypesArray()[2] != utils::IteratorType::reduction ||
      op.getIndexingMapsArray() != packedMaps(op.getContext()) ||
      !isUnsignedSignedMacBody(op))
    return false;
  auto a = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  auto b = dyn_cast<MemRefType>(op.getDpsInputs()[1].getType());
  auto c = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
  if (!a || !b || !c || a.getRank() != 2 || b.getRank() != 4 ||
      c.getRank() != 2)
    return false;
  // The kernel reads whole panels of the packed weight and 4 * K4/4 bytes
  // per row of A.
  if (!b.hasStaticShape() || !b.getLayout().isIdentity() ||
      b.getDimSize(2) != kPanel || b.getDimSize(3) != kGroup ||
      a.isDynamicDim(1) || a.getDimSize(1) != kGroup * b.getDimSize(1) ||
      (!c.isDynamicDim(1) && c.getDimSize(1) > kPanel * b.getDimSize(0)))
    return false;
  if (!hasUnitInnerStride(a) || !hasUnitInnerStride(c))
    return false;
  depth4 = a.getDimSize(1);
  return true;
}

/// The aligned address of `memref`'s element 0 (plus the offset), its
/// leading stride, both in units of the element type, as index values.
struct Address {
  Value base, offset, stride;
};

Address getAddress(OpBuilder &b, Location loc, Value memref) {
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value base =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  return {base, metadata.getOffset(), metadata.getStrides()[0]};
}

constexpr StringLiteral kLeftKernelName = "mc_ukernel_i8mm_s8u8";

/// Whether the trailing `count` dimensions of `type` are contiguous (row
/// major, innermost stride 1); `strides` receives the strides.
bool hasContiguousTail(MemRefType type, unsigned count,
                       SmallVectorImpl<int64_t> &strides) {
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expected = 1;
  for (unsigned i = 0; i < count; ++i) {
    int64_t d = type.getRank() - 1 - i;
    if (strides[d] != expected || type.isDynamicDim(d))
      return false;
    expected *= type.getDimSize(d);
  }
  return true;
}

/// Whether `op` is the channels-first product of a convolution
/// (int8gemm::leftPackedMaps, with the pixels in one or more dimensions):
/// the packed weight [K4, F, 4] static with identity layout; the patches
/// [N, K4 4, P...] and the accumulator [N, F, P...] with contiguous rows.
/// `pixelDims` receives the number of pixel dimensions.
bool isLeftPackedProduct(linalg::GenericOp op, unsigned &pixelDims) {
  using namespace int8gemm;
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() < 5 ||
      op.getNumReductionLoops() != 2)
    return false;
  pixelDims = op.getNumLoops() - 4;
  if (op.getIndexingMapsArray() != leftPackedMaps(op.getContext(), pixelDims) ||
      !isSignedUnsignedMacBody(op))
    return false;
  auto a = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  auto b = dyn_cast<MemRefType>(op.getDpsInputs()[1].getType());
  auto c = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
  if (!a || !b || !c || !a.hasStaticShape() || !a.getLayout().isIdentity() ||
      a.getDimSize(2) != kGroup ||
      llvm::any_of(b.getShape().drop_front(), ShapedType::isDynamic) ||
      llvm::any_of(c.getShape().drop_front(), ShapedType::isDynamic))
    return false;
  SmallVector<int64_t> bStrides, cStrides;
  return hasContiguousTail(b, pixelDims, bStrides) &&
         hasContiguousTail(c, pixelDims, cStrides) &&
         b.getDimSize(1) == kGroup * a.getDimSize(0);
}

/// The declaration of `name` with `numArgs` i64 arguments, created if
/// missing; null (with an error) if it exists with another type.
func::FuncOp getKernel(ModuleOp module, StringRef name, unsigned numArgs) {
  OpBuilder builder(module.getContext());
  auto type = builder.getFunctionType(
      SmallVector<Type>(numArgs, builder.getI64Type()), TypeRange{});
  auto kernel = module.lookupSymbol<func::FuncOp>(name);
  if (!kernel) {
    builder.setInsertionPointToStart(module.getBody());
    kernel = func::FuncOp::create(builder, module.getLoc(), name, type);
    kernel.setPrivate();
  } else if (kernel.getFunctionType() != type) {
    kernel.emitError() << "'" << name
                       << "' is declared with another type than the "
                          "runtime's microkernel";
    return nullptr;
  }
  return kernel;
}

/// Each channels-first product becomes a loop over its images with one
/// mc_ukernel_i8mm_s8u8 call per image.
LogicalResult lowerLeftPackedProducts(ModuleOp module) {
  SmallVector<linalg::GenericOp> products;
  module.walk([&](linalg::GenericOp op) {
    unsigned pixelDims;
    if (isLeftPackedProduct(op, pixelDims))
      products.push_back(op);
  });
  if (products.empty())
    return success();
  func::FuncOp kernel = getKernel(module, kLeftKernelName, 8);
  if (!kernel)
    return failure();
  OpBuilder builder(module.getContext());
  Type i64 = builder.getI64Type();
  for (linalg::GenericOp op : products) {
    Location loc = op.getLoc();
    builder.setInsertionPoint(op);
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(builder, loc, v);
    };
    auto bType = cast<MemRefType>(b.getType());
    auto cType = cast<MemRefType>(c.getType());
    Value images = memref::DimOp::create(builder, loc, c, 0);
    Address aAddr = getAddress(builder, loc, a);
    auto bMeta = memref::ExtractStridedMetadataOp::create(builder, loc, b);
    auto cMeta = memref::ExtractStridedMetadataOp::create(builder, loc, c);
    // The kernel takes the patches as K4 * 4 rows of P bytes.
    int64_t depth = bType.getDimSize(1);
    Value bBase = memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, b);
    Value cBase = memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, c);
    Value aPtr =
        arith::AddIOp::create(builder, loc, aAddr.base, aAddr.offset);
    int64_t pixels = 1;
    for (int64_t d = 2; d < cType.getRank(); ++d)
      pixels *= cType.getDimSize(d);
    Value four = index(4), rows = index(cType.getDimSize(1)),
          cols = index(pixels), depthValue = index(depth);
    auto loop = scf::ForOp::create(builder, loc, index(0), images, index(1));
    builder.setInsertionPointToStart(loop.getBody());
    Value n = loop.getInductionVar();
    // Byte addresses of image n: B has 1-byte, C 4-byte elements.
    Value bPtr = arith::AddIOp::create(
        builder, loc, bBase,
        arith::AddIOp::create(
            builder, loc, bMeta.getOffset(),
            arith::MulIOp::create(builder, loc, n, bMeta.getStrides()[0])));
    Value cElem = arith::AddIOp::create(
        builder, loc, cMeta.getOffset(),
        arith::MulIOp::create(builder, loc, n, cMeta.getStrides()[0]));
    Value cPtr = arith::AddIOp::create(
        builder, loc, cBase, arith::MulIOp::create(builder, loc, cElem, four));
    SmallVector<Value> args;
    for (Value v : {aPtr, bPtr, Value(bMeta.getStrides()[1]), cPtr,
                    Value(cMeta.getStrides()[1]), rows, cols, depthValue})
      args.push_back(arith::IndexCastOp::create(builder, loc, i64, v));
    func::CallOp::create(builder, loc, kernel, args);
    op.erase();
  }
  return success();
}

/// The constant global that `b` reads, with its i8 values in the packed
/// layout [panels][K4/4][32][4], if it is one.
memref::GlobalOp getPackedConstant(Value b, ModuleOp module,
                                   SymbolTableCollection &symbols) {
  auto get = b.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return {};
  auto global =
      symbols.lookupNearestSymbolFrom<memref::GlobalOp>(get, get.getNameAttr());
  if (!global || !global.getConstant() || global.getType() != b.getType())
    return {};
  auto values =
      dyn_cast_if_present<DenseIntElementsAttr>(global.getConstantInitValue());
  if (!values || !values.getElementType().isInteger(8))
    return {};
  return global;
}

/// A compressed layout of runtime/include/mc/ukernel.h.
struct SparseFormat {
  StringLiteral kernel, suffix;
  int64_t blockBytes;
};
/// At most 2 non-zeros per aligned 4 k: 2-bit positions.
constexpr SparseFormat kSparse24 = {"mc_ukernel_i8mm_u8s8_sparse24",
                                    "_sparse24", 160};
/// At most 4 non-zeros per aligned 8 k: 4-bit positions.
constexpr SparseFormat kSparse48 = {"mc_ukernel_i8mm_u8s8_sparse48",
                                    "_sparse48", 192};

/// A packed weight ([panels][groups][32][4] i8 values, the dense panel
/// layout) in the 2:4 layout if every column keeps at most 2 non-zeros in
/// each aligned group of 4 k, else in the 4-of-8 layout if it keeps at most
/// 4 in each aligned block of 8 k; empty otherwise.
std::optional<std::pair<const SparseFormat *, SmallVector<int8_t>>>
compressPanels(DenseIntElementsAttr dense, int64_t panels, int64_t groups) {
  using namespace int8gemm;
  SmallVector<int8_t> in;
  in.reserve(dense.getNumElements());
  for (const APInt &v : dense.getValues<APInt>())
    in.push_back(static_cast<int8_t>(v.getSExtValue()));
  auto at = [&](int64_t p, int64_t g, int64_t j, int64_t r) {
    return in[((p * groups + g) * kPanel + j) * kGroup + r];
  };
  // The largest number of non-zeros of a column in a group of 4 / block of
  // 8.
  int64_t most4 = 0, most8 = 0;
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t j = 0; j < kPanel; ++j)
      for (int64_t g = 0; g < groups; g += 2) {
        int64_t pair = 0;
        for (int64_t g2 = g; g2 < std::min(g + 2, groups); ++g2) {
          int64_t count = 0;
          for (int64_t r = 0; r < kGroup; ++r)
            count += at(p, g2, j, r) != 0;
          most4 = std::max(most4, count);
          pair += count;
        }
        most8 = std::max(most8, pair);
      }
  if (most8 > kSparseKept)
    return std::nullopt;
  const SparseFormat *format = most4 <= 2 ? &kSparse24 : &kSparse48;
  int64_t blocks = (groups + 1) / 2;
  SmallVector<int8_t> out(panels * blocks * format->blockBytes, 0);
  for (int64_t p = 0; p < panels; ++p) {
    for (int64_t h = 0; h < blocks; ++h) {
      auto *block = reinterpret_cast<uint8_t *>(out.data()) +
                    (p * blocks + h) * format->blockBytes;
      for (int64_t j = 0; j < kPanel; ++j) {
        int64_t half = j / 16, first = 4 * (j % 16);
        int64_t kept[2] = {0, 0};
        for (int64_t pos = 0; pos < kSparseBlockK; ++pos) {
          int64_t g = 2 * h + pos / kGroup;
          if (g >= groups)
            break;
          int8_t v = at(p, g, j, pos % kGroup);
          if (v == 0)
            continue;
          int64_t q;
          if (format == &kSparse24) {
            // Slots 0, 1: the first group; 2, 3: the second.
            q = first + 2 * (pos / kGroup) + kept[pos / kGroup]++;
            block[kSparseValueBytes + 16 * half + q % 16] |=
                static_cast<uint8_t>((pos % kGroup) << (2 * (q / 16)));
          } else {
            q = first + kept[0]++;
            block[kSparseValueBytes + 32 * half + q % 32] |=
                static_cast<uint8_t>(q < 32 ? pos : pos << 4);
          }
          block[64 * half + q] = static_cast<uint8_t>(v);
        }
      }
    }
  }
  return std::make_pair(format, std::move(out));
}

struct MCCPUInt8GemmToUkernelPass
    : mc::impl::MCCPUInt8GemmToUkernelPassBase<MCCPUInt8GemmToUkernelPass> {
  using Base::Base;

  void runOnOperation() override {
    using namespace int8gemm;
    ModuleOp module = getOperation();
    if (mBlock <= 0 || mBlock % kKernelRows != 0) {
      module.emitError() << "mc-cpu-int8-gemm-to-ukernel: m-block must be a "
                            "positive multiple of "
                         << kKernelRows << ", got " << static_cast<int64_t>(mBlock);
      return signalPassFailure();
    }
    if (nBlock <= 0 || nBlock % kPanel != 0) {
      module.emitError() << "mc-cpu-int8-gemm-to-ukernel: n-block must be a "
                            "positive multiple of "
                         << kPanel << ", got " << static_cast<int64_t>(nBlock);
      return signalPassFailure();
    }

    if (sparse != "auto" && sparse != "never" && sparse != "always") {
      module.emitError() << "mc-cpu-int8-gemm-to-ukernel: sparse must be "
                            "auto, never or always, got '"
                         << sparse << "'";
      return signalPassFailure();
    }

    if (failed(lowerLeftPackedProducts(module)))
      return signalPassFailure();

    SmallVector<std::pair<linalg::GenericOp, int64_t>> products;
    module.walk([&](linalg::GenericOp op) {
      int64_t depth4;
      if (isPackedProduct(op, depth4))
        products.push_back({op, depth4});
    });
    if (products.empty())
      return;

    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);
    Type i64 = builder.getI64Type();
    func::FuncOp kernel = getKernel(module, kKernelName, 8);
    if (!kernel)
      return signalPassFailure();

    // Compressed copies of sparse weight globals, made once per global.
    SymbolTableCollection symbols;
    SymbolTable &moduleSymbols = symbols.getSymbolTable(module);
    struct Compressed {
      memref::GlobalOp global;
      const SparseFormat *format;
    };
    DenseMap<memref::GlobalOp, Compressed> compressed;
    SmallVector<memref::GlobalOp> replaced;
    llvm::StringMap<func::FuncOp> sparseKernels;

    for (auto [op, depth4] : products) {
      Location loc = op.getLoc();
      builder.setInsertionPoint(op);
      Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
            c = op.getDpsInits()[0];
      auto bType = cast<MemRefType>(b.getType());
      int64_t panels = bType.getDimSize(0), numGroups = bType.getDimSize(1);
      // The compressed kernel, if the weight allows it and the option asks.
      Compressed sparseWeight{};
      if (sparse == "always" || (sparse == "auto" && depth4 >= 8)) {
        if (memref::GlobalOp dense = getPackedConstant(b, module, symbols)) {
          auto it = compressed.find(dense);
          if (it != compressed.end()) {
            sparseWeight = it->second;
          } else if (auto packed = compressPanels(
                         cast<DenseIntElementsAttr>(
                             dense.getConstantInitValue()),
                         panels, numGroups)) {
            const SparseFormat *format = packed->first;
            auto type = MemRefType::get(
                {panels, (numGroups + 1) / 2, format->blockBytes},
                builder.getI8Type());
            OpBuilder globalBuilder(dense);
            auto global = memref::GlobalOp::create(
                globalBuilder, dense.getLoc(),
                (dense.getSymName() + format->suffix).str(),
                globalBuilder.getStringAttr("private"), type,
                DenseElementsAttr::get(
                    RankedTensorType::get(type.getShape(),
                                          type.getElementType()),
                    ArrayRef<int8_t>(packed->second)),
                /*constant=*/true, builder.getI64IntegerAttr(64));
            moduleSymbols.insert(global);
            sparseWeight = {global, format};
            compressed[dense] = sparseWeight;
            replaced.push_back(dense);
          }
        }
      }
      func::FuncOp callee = kernel;
      if (sparseWeight.global) {
        func::FuncOp &declared = sparseKernels[sparseWeight.format->kernel];
        if (!declared) {
          declared = getKernel(module, sparseWeight.format->kernel, 8);
          if (!declared)
            return signalPassFailure();
        }
        callee = declared;
        b = memref::GetGlobalOp::create(builder, loc,
                                        sparseWeight.global.getType(),
                                        sparseWeight.global.getSymName());
      }
      auto index = [&](int64_t v) -> Value {
        return arith::ConstantIndexOp::create(builder, loc, v);
      };
      Value zero = index(0);
      Value rows = memref::DimOp::create(builder, loc, a, 0);
      Value cols = memref::DimOp::create(builder, loc, c, 1);
      Address aAddr = getAddress(builder, loc, a);
      Address bAddr = getAddress(builder, loc, b);
      Address cAddr = getAddress(builder, loc, c);
      // Bytes of one packed panel; C elements are 4 bytes.
      Value panelBytes = index(
          sparseWeight.global ? (depth4 + kSparseBlockK - 1) / kSparseBlockK *
                                    sparseWeight.format->blockBytes
                              : depth4 * kPanel);
      Value four = index(4);
      Value groups = index(depth4 / kGroup);
      Value nStep = index(nBlock), mStep = index(mBlock);
      Value panelWidth = index(kPanel);

      // for n0 in [0, N) step n-block: for m0 in [0, M) step m-block.
      auto outer = scf::ForOp::create(builder, loc, zero, cols, nStep);
      builder.setInsertionPointToStart(outer.getBody());
      Value n0 = outer.getInductionVar();
      Value nb = arith::MinSIOp::create(
          builder, loc, nStep,
          arith::SubIOp::create(builder, loc, cols, n0));
      Value panel = arith::DivUIOp::create(builder, loc, n0, panelWidth);
      Value bPtr = arith::AddIOp::create(
          builder, loc, bAddr.base,
          arith::AddIOp::create(
              builder, loc, bAddr.offset,
              arith::MulIOp::create(builder, loc, panel, panelBytes)));
      auto inner = scf::ForOp::create(builder, loc, zero, rows, mStep);
      builder.setInsertionPointToStart(inner.getBody());
      Value m0 = inner.getInductionVar();
      Value mb = arith::MinSIOp::create(
          builder, loc, mStep,
          arith::SubIOp::create(builder, loc, rows, m0));
      Value aPtr = arith::AddIOp::create(
          builder, loc, aAddr.base,
          arith::AddIOp::create(
              builder, loc, aAddr.offset,
              arith::MulIOp::create(builder, loc, m0, aAddr.stride)));
      Value cElem = arith::AddIOp::create(
          builder, loc, cAddr.offset,
          arith::AddIOp::create(
              builder, loc,
              arith::MulIOp::create(builder, loc, m0, cAddr.stride), n0));
      Value cPtr = arith::AddIOp::create(
          builder, loc, cAddr.base,
          arith::MulIOp::create(builder, loc, cElem, four));
      SmallVector<Value> args;
      for (Value v : {aPtr, aAddr.stride, bPtr, cPtr, cAddr.stride, mb, nb,
                      groups})
        args.push_back(arith::IndexCastOp::create(builder, loc, i64, v));
      func::CallOp::create(builder, loc, callee, args);
      Value denseB = op.getDpsInputs()[1];
      op.erase();
      if (sparseWeight.global && denseB.use_empty())
        if (Operation *get = denseB.getDefiningOp())
          get->erase();
    }
    // Dense globals that no code reads any more.
    for (memref::GlobalOp dense : replaced)
      if (SymbolTable::symbolKnownUseEmpty(dense, module))
        moduleSymbols.erase(dense);
  }
};

} // namespace
