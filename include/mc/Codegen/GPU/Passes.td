//===- Passes.td - GPU codegen passes ----------------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Passes of the CUDA code generation pipeline (mc-cuda-pipeline): they map
// the loops of bufferized linalg ops onto GPU blocks and threads, move the
// host function's buffers to device memory and gather the outlined kernels
// into one module. Grouped under banners, alphabetical within a group.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_GPU_PASSES_TD
#define MC_CODEGEN_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Kernels on tensors and buffers
//===----------------------------------------------------------------------===//

def MCGPUFuseElementwisePass
    : Pass<"mc-gpu-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, except into reductions";
  let description = [{
    Upstream elementwise fusion of `linalg` ops on tensors
    (`linalg::populateElementwiseOpsFusionPatterns`) with one restriction:
    a producer is not fused into a consumer that has a reduction dimension.
    On the GPU every thread of such a consumer would recompute the producer
    once per reduction step, and an int8 contraction whose operands were
    computed inline (e.g. the requantization of the previous layer) is no
    longer a plain int8 x int8 GEMM that `mc-gpu-int8-mma` can put on the
    tensor cores.

    Before:
    ```mlir
    %q = linalg.generic {iterator_types = ["parallel", "parallel"]} ... // requantize
    %y = linalg.generic {iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%q, %w : tensor<?x64xi8>, tensor<10x64xi8>) ...
    ```
    After: unchanged; elementwise chains without reductions are fused as
    upstream fuses them.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def MCGPUInt8MmaPass : Pass<"mc-gpu-int8-mma", "func::FuncOp"> {
  let summary = "Run int8 GEMMs on tensor cores with mma.sync (s8 operands)";
  let description = [{
    Matches, on buffers (after bufferization), the int8 contraction that
    `convert-mc-to-linalg` emits for `mc.qlinear`:

    ```mlir
    linalg.generic {indexing_maps = [(m, n, k) -> (m, k), (m, n, k) -> (n, k),
                                     (m, n, k) -> (m, n)],
                    iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : memref<?x1568xi8>, memref<64x1568xi8>)
        outs(%c : memref<?x64xi32>) {
    ^bb0(%x: i8, %w: i8, %acc: i32):
      %0 = arith.extsi %x : i8 to i32
      %1 = arith.subi %0, %zp : i32        // optional, %zp an i8 constant
      %2 = arith.extsi %w : i8 to i32
      %3 = arith.muli %1, %2 : i32
      %4 = arith.addi %acc, %3 : i32
      linalg.yield %4 : i32
    }
    ```

    (B may also be indexed `(k, n)`; its zero point must be 0, as
    `mc-quantize`'s symmetric per-channel weights have) and replaces it by
    a `gpu.launch` in which each warp computes a 16x8 tile of C with
    `nvvm.mma.sync` of shape m16n8k32, s8 x s8 operands and an s32
    accumulator with *wrapping* overflow (upstream `nvgpu.mma.sync` lowers
    to `satfinite`, which would differ from the CPU's i32 arithmetic), K in
    steps of 32. Operands are read with bounds checks (zero padding), so
    any M, N and K work. The activation zero point is applied exactly as
    `sum_k a*b - zp * sum_k b`, the second term by a second `mma.sync`
    whose A operand is `zp` everywhere. The kernel adds the result to C,
    which holds the bias broadcast that precedes the contraction.

    Epilogue: when the next op using C is an elementwise 2-D
    `linalg.generic` that reads C through the identity map and writes
    another buffer (the multiplier/shift requantization that
    `mc-fixed-point` and `convert-mc-to-linalg` produce), and C is only
    freed afterwards, its body runs in the kernel on each accumulated value
    (its other operands loaded through their indexing maps) and the
    elementwise op is erased: C itself is then not written.

    Other contractions (batched, convolutions, float) are left to the
    generic loop kernels.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// Mapping loops to the GPU
//===----------------------------------------------------------------------===//

def MCGPUMapParallelLoopsPass
    : Pass<"mc-gpu-map-parallel-loops", "func::FuncOp"> {
  let summary = "Tile outermost scf.parallel loops and map them to GPU "
                "blocks and threads";
  let description = [{
    Every outermost `scf.parallel` of the function (as
    `convert-linalg-to-parallel-loops` produces one per linalg op) is tiled
    by `block-size` along its innermost dimension and by 1 along the others
    (upstream `scf::tileParallelLoop` with guards instead of `min` bounds,
    so that the block size is a constant). The loops get the
    `mapping` attribute that `convert-parallel-loops-to-gpu` reads:

    * outer (tile) loop: innermost dimension to `block_x` (up to 2^31 - 1
      blocks), the one before to `block_y`, the one before that to
      `block_z`, any others `sequential`;
    * inner (intra-tile) loop: innermost dimension to `thread_x`, the others
      (extent 1) `sequential`.

    Loops nested inside the outermost one (reductions stay `scf.for`) run
    sequentially in each thread. Consecutive threads touch consecutive
    elements of the innermost dimension, so row-major buffers are read and
    written coalesced.

    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) { ... }
    ```
    After (schematically):
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c128) {
      scf.parallel (%ti, %tj) = (%c0, %c0) to (%c1, %c128) step (%c1, %c1) {
        scf.if (%j + %tj < %n) { ... }
      } {mapping = [#gpu.loop_dim_map<processor = sequential, ...>,
                    #gpu.loop_dim_map<processor = thread_x, ...>]}
    } {mapping = [#gpu.loop_dim_map<processor = block_y, ...>,
                  #gpu.loop_dim_map<processor = block_x, ...>]}
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"128",
           "Threads per block (1 to 1024), all along the innermost "
           "parallel dimension">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// Host side after outlining
//===----------------------------------------------------------------------===//

def MCGPUDeviceMemoryPass : Pass<"mc-gpu-device-memory", "ModuleOp"> {
  let summary = "Allocate the host functions' buffers in GPU memory";
  let description = [{
    Runs after `gpu-kernel-outlining`, when a host function only computes
    sizes, allocates and frees buffers, and launches kernels. In every
    `func.func` of the module (not in `gpu.module`s):

    * `memref.alloc` becomes `gpu.alloc` and `memref.dealloc`
      `gpu.dealloc`, so that intermediate tensors live in device memory;
    * `memref.get_global` (weights and other constants, which stay in the
      host library's read-only data) becomes a `gpu.alloc` of the same type
      and a `gpu.memcpy` from the global at the start of the function, freed
      before every `func.return`. The copy is made on every call.

    The function's arguments are taken to be device buffers: the runtime
    (runtime/mc_cuda_runtime.c) passes device pointers.

    Any remaining host operation that reads or writes a buffer
    (`memref.load`, `memref.store`, `memref.copy`, `memref.alloca`, ...) is
    an error naming the operation: it would dereference device memory on
    the host, and means that some linalg op was not turned into a kernel.

    Before:
    ```mlir
    %w = memref.get_global @weight : memref<10x64xf32>
    %t = memref.alloc(%n) : memref<?x10xf32>
    gpu.launch_func @main_kernel::@main_kernel ... args(%w : ..., %t : ...)
    ```
    After:
    ```mlir
    %w = memref.get_global @weight : memref<10x64xf32>
    %dw = gpu.alloc () : memref<10x64xf32>
    gpu.memcpy %dw, %w : memref<10x64xf32>, memref<10x64xf32>
    %t = gpu.alloc (%n) : memref<?x10xf32>
    gpu.launch_func @main_kernel::@main_kernel ... args(%dw : ..., %t : ...)
    gpu.dealloc %dw : memref<10x64xf32>
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def MCGPUMergeKernelModulesPass
    : Pass<"mc-gpu-merge-kernel-modules", "ModuleOp"> {
  let summary = "Move every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` creates one `gpu.module` per kernel. This pass
    moves the kernels of all `gpu.module`s without a target attribute into
    the first one (renamed after the module they came from when names
    clash), updates every `gpu.launch_func`, and erases the emptied
    modules. The model then has one PTX module: one `cuModuleLoadData` at
    run time, one file to hand to `ptxas`.

    Before:
    ```mlir
    gpu.module @main_kernel { gpu.func @main_kernel(...) kernel { ... } }
    gpu.module @main_kernel_0 { gpu.func @main_kernel(...) kernel { ... } }
    gpu.launch_func @main_kernel_0::@main_kernel ...
    ```
    After:
    ```mlir
    gpu.module @main_kernel {
      gpu.func @main_kernel(...) kernel { ... }
      gpu.func @main_kernel_0(...) kernel { ... }
    }
    gpu.launch_func @main_kernel::@main_kernel_0 ...
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

#endif // MC_CODEGEN_GPU_PASSES_TD
