//===- Int8Gemm.cpp - Shape of packed int8 matrix products ----------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Int8Gemm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

SmallVector<AffineMap> mlir::mc::int8gemm::packedMaps(MLIRContext *ctx) {
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  return {AffineMap::get(3, 0, {m, k}, ctx),
          AffineMap::get(3, 0,
                         {n.floorDiv(kPanel), k.floorDiv(kGroup), n % kPanel,
                          k % kGroup},
                         ctx),
          AffineMap::get(3, 0, {m, n}, ctx)};
}

/// `v` is `ext(arg)` from i8 to i32, with the extension `ExtOp`.
template <typename ExtOp>
static bool isExtensionOf(Value v, Value arg) {
  auto ext = v.getDefiningOp<ExtOp>();
  return ext && ext.getIn() == arg && ext.getIn().getType().isInteger(8) &&
         ext.getType().isInteger(32);
}

SmallVector<AffineMap> mlir::mc::int8gemm::leftPackedMaps(MLIRContext *ctx,
                                                          unsigned pixelDims) {
  unsigned numLoops = 4 + pixelDims;
  AffineExpr n = getAffineDimExpr(0, ctx), f = getAffineDimExpr(1, ctx),
             g = getAffineDimExpr(numLoops - 2, ctx),
             r = getAffineDimExpr(numLoops - 1, ctx);
  SmallVector<AffineExpr> b{n, g * kGroup + r}, c{n, f};
  for (unsigned i = 0; i < pixelDims; ++i) {
    b.push_back(getAffineDimExpr(2 + i, ctx));
    c.push_back(getAffineDimExpr(2 + i, ctx));
  }
  return {AffineMap::get(numLoops, 0, {g, f, r}, ctx),
          AffineMap::get(numLoops, 0, b, ctx),
          AffineMap::get(numLoops, 0, c, ctx)};
}

/// Whether `op`'s body is `out + ext(a) * ext(b)` with the extension of
/// the unsigned operand (argument `unsignedArg`) zero-extending and the
/// other sign-extending.
static bool isMacBody(linalg::GenericOp op, unsigned unsignedArg) {
  Block *body = op.getBlock();
  if (body->getNumArguments() != 3 || op.getNumDpsInputs() != 2)
    return false;
  Value a = body->getArgument(0), b = body->getArgument(1),
        out = body->getArgument(2);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add || !add.getType().isInteger(32))
    return false;
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == out) == (add.getRhs() == out))
    return false;
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return false;
  if (unsignedArg == 1)
    std::swap(a, b);
  auto matches = [&](Value x, Value w) {
    return isExtensionOf<arith::ExtUIOp>(x, a) &&
           isExtensionOf<arith::ExtSIOp>(w, b);
  };
  // Nothing but the two extensions, the product, the sum and the yield.
  return (matches(mul.getLhs(), mul.getRhs()) ||
          matches(mul.getRhs(), mul.getLhs())) &&
         body->getOperations().size() == 5;
}

bool mlir::mc::int8gemm::isUnsignedSignedMacBody(linalg::GenericOp op) {
  return isMacBody(op, /*unsignedArg=*/0);
}

bool mlir::mc::int8gemm::isSignedUnsignedMacBody(linalg::GenericOp op) {
  return isMacBody(op, /*unsignedArg=*/1);
}
