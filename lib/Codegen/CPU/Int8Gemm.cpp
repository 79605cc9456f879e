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

bool mlir::mc::int8gemm::isUnsignedSignedMacBody(linalg::GenericOp op) {
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
  auto matches = [&](Value x, Value w) {
    return isExtensionOf<arith::ExtUIOp>(x, a) &&
           isExtensionOf<arith::ExtSIOp>(w, b);
  };
  // Nothing but the two extensions, the product, the sum and the yield.
  return (matches(mul.getLhs(), mul.getRhs()) ||
          matches(mul.getRhs(), mul.getLhs())) &&
         body->getOperations().size() == 5;
}
