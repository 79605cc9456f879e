// Block sizes the kernel cannot use, and a symbol that clashes with the
// kernel's name.
// RUN: not mc-opt %s --mc-cpu-int8-gemm-to-ukernel="m-block=12" 2>&1 | FileCheck %s --check-prefix=MBLOCK
// RUN: not mc-opt %s --mc-cpu-int8-gemm-to-ukernel="n-block=0" 2>&1 | FileCheck %s --check-prefix=NBLOCK
// RUN: mc-opt %s --split-input-file --verify-diagnostics --mc-cpu-int8-gemm-to-ukernel

// MBLOCK: error: mc-cpu-int8-gemm-to-ukernel: m-block must be a positive multiple of 8, got 12
// NBLOCK: error: mc-cpu-int8-gemm-to-ukernel: n-block must be a positive multiple of 32, got 0

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// expected-error @below {{'mc_ukernel_i8mm_u8s8' is declared with another type than the runtime's microkernel}}
func.func private @mc_ukernel_i8mm_u8s8(i64)
func.func @packed(%a: memref<?x4xi8>, %p: memref<1x1x32x4xi8>, %c: memref<?x8xi32>) {
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x4xi8>, memref<1x1x32x4xi8>) outs(%c : memref<?x8xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
