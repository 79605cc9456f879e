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

#endif // MC_CODEGEN_COMMON_PASSES_TD
