//===- Passes.td - Target-independent codegen passes -------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Passes shared by the CPU and GPU code generation pipelines. Grouped under
// banners, alphabetical within a group.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_COMMON_PASSES_TD
#define MC_CODEGEN_COMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

def MCMemRefCopyToLinalgPass
    : Pass<"mc-memref-copy-to-linalg", "func::FuncOp"> {
  let summary = "Turn strided memref.copy ops into linalg.copy";
  let description = [{
    Bufferization copies into and out of subviews (`tensor.pad`,
    `tensor.insert_slice`, `tensor.concat`) with `memref.copy`. The LLVM
    lowering turns a copy between contiguous memrefs into a `memcpy`, but any
    other copy into a call to `memrefCopy` from MLIR's C runner utilities,
    which a compiled model should not depend on. This pass rewrites exactly
    those copies (either side neither identity-laid-out nor statically
    contiguous) into `linalg.copy`, which `convert-linalg-to-loops` then
    expands into plain loops. Contiguous copies are left for `memcpy`.

    Before:
    ```mlir
    memref.copy %src, %sub : memref<?x4xf32> to memref<?x4xf32, strided<[6, 1], offset: 1>>
    ```
    After:
    ```mlir
    linalg.copy ins(%src : memref<?x4xf32>) outs(%sub : memref<?x4xf32, strided<[6, 1], offset: 1>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// Runtime ABI
//===----------------------------------------------------------------------===//

def MCEmitRuntimeABIPass : Pass<"mc-emit-runtime-abi", "ModuleOp"> {
  let summary = "Prepare the model function for the runtime ABI and emit its "
                "info table";
  let description = [{
    Readies a module of mc (or upstream tensor) IR for the C runtime that
    `mc-compile` links into every model library (docs/RuntimeABI.md). The
    model function `@main` must be public, take and
    return ranked tensors of supported element types (f16, bf16, f32, f64,
    i1, i8/ui8, i16/ui16, i32/ui32, i64/ui64, or quantized types stored as
    those), have at most 16 dimensions per tensor, only the leading dimension
    dynamic (the batch), and at most 32 arguments and results together.

    The pass
    * marks the function `llvm.emit_c_interface`, so that the LLVM lowering
      adds `_mlir_ciface_main` taking one pointer to a memref
      descriptor per argument (after `mc-to-llvm{out-params=1}` the results
      are trailing arguments);
    * marks every argument `bufferization.writable = false`: inputs belong to
      the caller and are read only;
    * adds the model's info table as constant `llvm.mlir.global`s: one
      NUL-terminated name per tensor (its `mc.name`, else `input<i>` /
      `output<i>`), one `i64` shape array per tensor (-1 for the dynamic
      batch), one array of `mc_tensor_info` records for the inputs and one
      for the outputs, and the external `mc_generated_model_info` record
      (`struct mc_model_info` of runtime/include/mc/runtime.h) that the
      runtime's `mc_model_info()` returns.

    Example: for
    ```mlir
    func.func @main(%x: tensor<?x4xf32> {mc.name = "x"})
        -> (tensor<?x2xf32> {mc.name = "y"})
    ```
    the record says: ABI version 1, 1 input, 1 output, batch -1, input "x"
    (dtype 1 = float32, rank 2, shape [-1, 4]), output "y" (shape [-1, 2]).
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"\"",
           "Model name recorded in the info table (default: main)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // MC_CODEGEN_COMMON_PASSES_TD
