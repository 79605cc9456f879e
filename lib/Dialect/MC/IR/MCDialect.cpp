//===- MCDialect.cpp - The mc dialect -------------------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Registers the mc ops and materializes folded constants as mc.constant.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCDialect.h"
#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;

#include "mc/Dialect/MC/IR/MCOpsDialect.cpp.inc"

void MCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mc/Dialect/MC/IR/MCOps.cpp.inc"
      >();
}

Operation *MCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
