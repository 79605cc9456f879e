// RUN: mc-opt %s --mc-cpu-pipeline | FileCheck %s \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func)\.[a-z_]+}}'

// What mc-compile runs before LLVM IR: @main becomes destination-passing
// (the result is a trailing out-param, written in place: no allocation and
// no copy in the function), has a C interface taking one descriptor pointer
// per tensor, and the info table is emitted.

// CHECK-NOT: llvm.func @malloc
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64,
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64)
// CHECK-NOT: -> !llvm.struct
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: memcpy
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr)
// CHECK: llvm.call @main(
// CHECK: llvm.mlir.global external constant @mc_generated_model_info()
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<0.5> : tensor<2x4xf32>
  %b = mc.constant dense<1.0> : tensor<2xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = mc.relu %y : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
