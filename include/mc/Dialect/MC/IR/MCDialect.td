//===- MCDialect.td - The mc dialect definition ------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The dialect record and the base class every mc op derives from. Ops live in
// MCOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_IR_MCDIALECT_TD
#define MC_DIALECT_MC_IR_MCDIALECT_TD

include "mlir/IR/OpBase.td"

def MC_Dialect : Dialect {
  let name = "mc";
  let cppNamespace = "::mlir::mc";
  let summary = "Tensor-level ops of neural networks, before and after compression";
  let description = [{
    The `mc` dialect holds neural-network graphs at the level of whole layers,
    close to ONNX semantics so that the importer stays thin and compression
    passes see complete layers (a `mc.linear` with its weight, a `mc.conv2d`
    with its filter). Tensors are ranked; the leading (batch) dimension may be
    dynamic, every other dimension is static after import.

    Weights are `mc.constant` ops whose value is normally a `dense_resource`
    blob, so printing a module can elide them
    (`--mlir-elide-resource-strings-if-larger=N`) and the importer copies each
    weight exactly once. Quantized tensors use the upstream `quant` dialect's
    `!quant.uniform` element types (per tensor and per axis).
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
}

class MC_Op<string mnemonic, list<Trait> traits = []>
    : Op<MC_Dialect, mnemonic, traits>;

#endif // MC_DIALECT_MC_IR_MCDIALECT_TD
