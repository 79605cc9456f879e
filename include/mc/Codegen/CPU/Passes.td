//===- Passes.td - CPU codegen passes ----------------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Passes of the CPU code generation pipeline: they turn the linalg ops that
// convert-mc-to-linalg emits into register-tiled vector code before
// bufferization. Grouped under banners, alphabetical within a group.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_CPU_PASSES_TD
#define MC_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Preparing contractions
//===----------------------------------------------------------------------===//

def MCCPUConvToMatmulPass : Pass<"mc-cpu-conv-to-matmul", "func::FuncOp"> {
  let summary = "Rewrite NCHW 2-D convolutions as im2col plus a contraction";
  let description = [{
    Every `linalg.conv_2d_nchw_fchw` becomes a `linalg.generic` that gathers
    the image patches (im2col: `[N, C*KH*KW, OH*OW]`) and a `linalg.contract`
    `out[n, f, p] += filter[f, k] * patches[n, k, p]` on the collapsed
    output, expanded back to `[N, F, OH, OW]`. The contraction has the
    row-major layout that `mc-cpu-tile-and-vectorize` maps onto registers:
    the filter row is broadcast and the patch row, contiguous along the
    output pixels, is loaded as vectors. An initial value that is a
    `linalg.broadcast` of a per-filter bias (along N, OH, OW) or a
    `linalg.fill` is rebuilt in the collapsed shape rather than collapsed,
    so that the tile-and-vectorize pass can fuse it into register tiles.

    Other convolution ops are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def MCCPUPackInt8WeightsPass
    : Pass<"mc-cpu-pack-int8-weights", "func::FuncOp"> {
  let summary = "Pack constant int8 weights of quantized matrix products and "
                "convolutions for the VNNI microkernel";
  let description = [{
    Rewrites the integer `linalg.generic` that `convert-mc-to-linalg` emits
    for `mc.qlinear` (weight `[N, K]`) and for `mc.qmatmul` with a constant
    2-D right-hand side (`[K, N]`),

    ```
    acc[m..., n] = init[m..., n] + sum_k (x[m..., k] - zx) * (w[n, k] - zw)
    ```

    with 8-bit `x` (signed or unsigned storage, any constant zero point)
    and an 8-bit constant `w` (inline or `dense_resource`) whose centered
    values `w - zw` all fit in `int8`, into the operand form of the
    `u8 x s8` dot product of AVX-512 VNNI (`vpdpbusd`):

    - the leading dimensions of `x` are collapsed into one row dimension
      `M` (dynamic batch included);
    - `x` becomes unsigned: `xu = x xor 0x80 = x + 128` for signed storage,
      `x` itself for unsigned; its rows are padded with zeros to `K4`, the
      next multiple of 4;
    - `w - zw` is packed at compile time in panels of 32 columns,
      `packed[p][g][j][r] = w'[32 p + j][4 g + r]`
      (`tensor<ceil(N/32) x K4/4 x 32 x 4 x i8>`, zero outside `w`);
    - since `(x - zx) * w' = xu * w' - o * w'` with `o = zx + 128` (signed)
      or `zx` (unsigned), the term `-o * sum_k w'[n, k]` is computed at
      compile time and added to the initial accumulator (folded into the
      bias constant when the accumulator starts from a broadcast constant
      bias or a constant fill).

    The result is a `linalg.generic` over `(m, n, k)` that reads the packed
    weight through `(n floordiv 32, k floordiv 4, n mod 32, k mod 4)` and
    computes `init + extui(xu) * extsi(packed)`: the same integers modulo
    2^32 as the original op, still an ordinary loop nest when nothing else
    runs (`mc-cpu-int8-gemm-to-ukernel` turns it into microkernel calls
    after bufferization).

    The integer convolution generic of `mc.qconv2d` with one group (loops
    `(n, g, f, oh, ow, c, i, j)`, any strides, dilations and padding, a
    constant bias or no bias) becomes a channels-first product, so that its
    result is in NCHW order with no transpose:
    - a `linalg.generic` gathers the patches `[N, K4, OH, OW]` from the
      padded input (`tensor.extract` in its body, like the float im2col of
      `mc-cpu-conv-to-matmul`; `k = (c, i, j)`, rows past `C*KH*KW` repeat
      the last one, signed values flipped to unsigned), collapsed to
      `[N, K4, OH*OW]`;
    - the `[F, C*KH*KW]` filter minus its zero point is packed at compile
      time as `[K4/4, F, 4]` (`packed[g][f][r] = w'[f][4 g + r]`, zero past
      `K`), the operand layout of `mc_ukernel_i8mm_s8u8`;
    - the accumulator `[N, F, OH*OW]` is the bias row plus the same
      zero-point correction, broadcast;
    - the product is a `linalg.generic` over `(n, f, p, g, r)`:
      `out[n, f, p] += extsi(packed[g, f, r]) * extui(patches[n, 4 g + r,
      p])`. Its maps have no floordiv or mod, so `mc-cpu-tile-and-vectorize`
      fuses it per image with the gather before it and the requantization
      and pooling after it.
    Padding holds the input zero point, which the correction term cancels
    exactly as it does for real input values.

    Products with per-channel weight zero points, weights that are not
    constants, weights outside `int8` after centering, grouped and
    depthwise convolutions, or other operand layouts are left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def MCCPUPretransposeWeightsPass
    : Pass<"mc-cpu-pretranspose-weights", "func::FuncOp"> {
  let summary = "Transpose constant right-hand sides of `A * B^T` matmuls at "
                "compile time";
  let description = [{
    `convert-mc-to-linalg` lowers `mc.linear` to a `linalg.matmul` whose
    right-hand side is the `[N, K]` weight read through the transposed
    indexing map `(m, n, k) -> (n, k)`. Vectorizing along `n` would then load
    every vector with a stride of `K`. When that weight is an
    `arith.constant` of `f32` elements (inline or a `dense_resource` blob),
    this pass replaces it with its `[K, N]` transpose, computed at compile
    time, and gives the matmul the default row-major indexing maps.

    Before:
    ```mlir
    %w = arith.constant dense<...> : tensor<64x1568xf32>
    linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                   affine_map<(m, n, k) -> (n, k)>,
                                   affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : tensor<?x1568xf32>, tensor<64x1568xf32>) outs(...)
    ```
    After:
    ```mlir
    %w = arith.constant dense<...> : tensor<1568x64xf32>
    linalg.matmul ins(%x, %w : tensor<?x1568xf32>, tensor<1568x64xf32>) outs(...)
    ```
    Matmuls whose weight is not such a constant are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// Tiling and vectorization
//===----------------------------------------------------------------------===//

def MCCPUTileAndVectorizePass
    : Pass<"mc-cpu-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Fuse ops per image, tile contractions to register tiles and "
                "vectorize";
  let description = [{
    0. Ops over images (results of rank 3 or more whose leading dimension is
       the batch: convolution contractions, their im2col, elementwise ops,
       pooling, padding fills) are tiled by one image from the last op of
       each chain, with every op that feeds only that chain fused into the
       loop (through the reshapes between the contraction's `[N, F, H*W]`
       and NCHW): a stack of convolution, ReLU and pooling then runs image
       by image while the image's activations are in cache, and no
       batch-sized tensor is materialized between them. `tensor.pad` is
       first rewritten into a fill and an `insert_slice`, and the fill is
       moved up before the ops that compute the interior (sizes resolved to
       the function's input sizes), so that the padded tensor's producer
       writes its interior directly. A max pooling of a ReLU-like clamp
       `max(x, c)` that feeds only it pools `x` instead, starting from
       `max(init, c)`: the clamp's pass over the convolution output
       disappears.

    Every float contraction (`linalg.matmul`, `linalg.batch_matmul`,
    `linalg.contract` such as the one `mc-cpu-conv-to-matmul` creates, and
    generic ops with a multiply-accumulate body) whose output indexing map is
    a permutation-free projection is then mapped onto register tiles of
    `row-tile` x `vector-tile` output elements:

    1. every parallel dimension except the two innermost output dimensions
       is tiled by 1, and producers of the operands (im2col, the bias
       broadcast of the accumulator) are fused into that loop;
    2. the second innermost output dimension is tiled by `row-tile` and the
       innermost by `vector-tile`, with a `linalg.broadcast` or `linalg.fill`
       that initializes the accumulator (the bias) fused into each tile; the
       loops are peeled so that every full tile has a static shape;
    3. dimensions still dynamic (the remainder of a dynamic batch) are tiled
       by 1 and the reduction dimensions by 1;
    4. the fused bias tiles and then the contraction tiles are vectorized
       (`vector.contract` on `row-tile x vector-tile x 1` vectors) and the
       accumulator's `vector.transfer_read`/`vector.transfer_write` pair is
       hoisted out of the reduction loop, so that it lives in registers and
       starts as the broadcast bias, not as a load of a bias tensor.

    The other ops are vectorized too. NCHW max and sum pooling (float or
    integer) is tiled to output rows: the input rows under the window are
    read whole and combined with the pooling's own op, then one
    `vector.shuffle` per window column picks every stride-th element and is
    combined into the output row; an initial value made by `linalg.fill`
    becomes a constant vector instead of a materialized tensor. Elementwise
    ops, broadcasts, fills and gathers (the im2col, whose rows read the
    input contiguously for unit strides) with a static innermost dimension
    are tiled to rows and vectorized along it. Gathered rows and pooling
    rows whose length is not a multiple of 8 are masked vectors of the next
    multiple of 16 (or power of two below 16). An elementwise
    `linalg.generic` that writes a `tensor.empty` without reading it, and has
    an input of the same type used only by it, is rewritten to update that
    input in place (reading it through its destination), so that
    bufferization reuses the contraction's buffer instead of allocating
    another.
  }];
  let options = [
    Option<"rowTile", "row-tile", "int64_t", /*default=*/"8",
           "Output rows of a register tile (one accumulator vector each)">,
    Option<"vectorTile", "vector-tile", "int64_t", /*default=*/"32",
           "Output columns of a register tile (the vector length)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def MCCPULowerVectorsPass : Pass<"mc-cpu-lower-vectors", "func::FuncOp"> {
  let summary = "Lower vector contractions to FMAs and transfers to 1-D";
  let description = [{
    Lowers what `mc-cpu-tile-and-vectorize` produces to 1-D vector
    operations that map directly onto SIMD registers: `vector.contract`
    becomes `vector.outerproduct` and then one `vector.fma` per accumulator
    row (the left-hand element broadcast), permuted or multi-dimensional
    `vector.transfer_read`/`transfer_write` ops become 1-D minor-identity
    transfers, and `vector.transpose`, `vector.broadcast`,
    `vector.shape_cast` and `vector.multi_reduction` are lowered to
    extracts, inserts and 1-D operations.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

//===----------------------------------------------------------------------===//
// Microkernels
//===----------------------------------------------------------------------===//

def MCCPUInt8GemmToUkernelPass
    : Pass<"mc-cpu-int8-gemm-to-ukernel", "ModuleOp"> {
  let summary = "Call the runtime's int8 microkernel for packed int8 matrix "
                "products";
  let description = [{
    Runs after bufferization. Every `linalg.generic` on memrefs of the form
    that `mc-cpu-pack-int8-weights` produces,

    ```
    C[m, n] += extui(A[m, k]) * extsi(P[n floordiv 32, k floordiv 4,
                                        n mod 32, k mod 4])
    ```

    (`A`: `memref<M x K4 x i8>` with unit inner stride, `P`: the packed
    weight with its static identity layout, `C`: `memref<M x N x i32>` with
    unit inner stride), becomes a loop nest over blocks of `n-block`
    columns (outer) and `m-block` rows (inner) that calls, per block,

    ```
    mc_ukernel_i8mm_u8s8(a, lda, b, c, ldc, m, n, K4 / 4)
    ```

    of `libmc_runtime.a` (runtime/include/mc/ukernel.h) with the addresses
    of the block's first row of `A`, first panel of `P` and first element of
    `C` passed as integers.

    The channels-first product of a convolution,

    ```
    C[n, f, p...] += extsi(W[g, f, r]) * extui(B[n, 4 g + r, p...])
    ```

    (`W`: `memref<K4/4 x F x 4 x i8>` static with identity layout, `B` and
    `C` with their pixel dimensions `p...` contiguous), becomes a loop over
    the images `n` that calls, per image,

    ```
    mc_ukernel_i8mm_s8u8(w, b, ldb, c, ldc, F, pixels, K4)
    ```

    The kernels use AVX-512 VNNI (`vpdpbusd`) when the CPU has it and
    portable C otherwise; both compute the same integers modulo 2^32 as the
    loop nests they replace. Declarations of the kernels are added to the
    module.

    Sparse weights: when `P` (of the row-major product above; the
    channels-first convolution product stays dense) is a constant
    `memref.global` whose every column has at most 4 non-zeros in each
    aligned block of 8 reduction steps (checked on the values themselves, so 2:4 and 4:8 pruned weights
    qualify whatever attributes survived), and the `sparse` option selects
    it, the product calls a compressed kernel with the same arguments
    instead, on a new constant global holding the weight in its layout
    (runtime/include/mc/ukernel.h; per panel and block of 8 k, 4 kept values
    per column and their positions):
    - at most 2 non-zeros in every aligned group of 4 (2:4):
      `mc_ukernel_i8mm_u8s8_sparse24` on `<name>_sparse24`,
      `memref<ceil(N/32) x ceil(K4/8) x 160 x i8>` (2-bit positions, 5/8
      of the dense bytes);
    - otherwise (4:8): `mc_ukernel_i8mm_u8s8_sparse48` on
      `<name>_sparse48`, `memref<ceil(N/32) x ceil(K4/8) x 192 x i8>`
      (4-bit positions, 3/4 of the dense bytes).
    The dense global is removed when nothing else uses it. The results are
    the same integers. `sparse=auto` takes the compressed kernel for every
    such weight with at least 8 reduction steps (K4 >= 8), where it
    measured faster than the dense one on every shape tried
    (docs/Rationale/Int8Kernels.md, "Sparse weights"); `always` also
    for K4 = 4; `never` keeps the dense kernel.
  }];
  let options = [
    Option<"mBlock", "m-block", "int64_t", /*default=*/"64",
           "Rows of A per kernel call (a multiple of 8, the kernel's "
           "register tile)">,
    Option<"nBlock", "n-block", "int64_t", /*default=*/"256",
           "Columns of C per kernel call (a multiple of 32, the panel "
           "width)">,
    Option<"sparse", "sparse", "std::string", /*default=*/"\"auto\"",
           "Compressed kernel for constant weights with at most 4 non-zeros "
           "per 8 reduction steps (2:4, 4:8): auto (where it is measured "
           "faster), always (every such weight) or never">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // MC_CODEGEN_CPU_PASSES_TD
