// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel | FileCheck %s

#w = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d1, d5)>
#x = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d4 * 4 + d5, d2, d3)>
#o = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>

// The channels-first product of a convolution (as mc-cpu-pack-int8-weights
// leaves it, its pixels split in OH x OW = 3 x 5 by reshape fusion,
// bufferized) becomes a loop over the images with one
// mc_ukernel_i8mm_s8u8 call per image: the weight's address, the image's
// patches (row stride 15 bytes) and accumulator (row stride 15 elements,
// 4-byte elements), F = 10 rows, 15 pixels, K4 = 8 rows of patches.
// CHECK-LABEL: func.func private @mc_ukernel_i8mm_s8u8(i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[W:.+]]: memref<2x10x4xi8>, %[[B:.+]]: memref<?x8x3x5xi8>, %[[C:.+]]: memref<?x10x3x5xi32>)
// CHECK: %[[N:.+]] = memref.dim %[[C]], %{{.+}}
// CHECK-DAG: %[[WPTR:.+]] = memref.extract_aligned_pointer_as_index %[[W]]
// CHECK-DAG: %{{.+}}, %[[BOFF:.+]], %{{.+}}:4, %[[BSTR:.+]]:4 = memref.extract_strided_metadata %[[B]]
// CHECK-DAG: %{{.+}}, %[[COFF:.+]], %{{.+}}:4, %[[CSTR:.+]]:4 = memref.extract_strided_metadata %[[C]]
// CHECK-DAG: %[[BPTR:.+]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-DAG: %[[CPTR:.+]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[ROWS:.+]] = arith.constant 10 : index
// CHECK-DAG: %[[PIXELS:.+]] = arith.constant 15 : index
// CHECK-DAG: %[[DEPTH:.+]] = arith.constant 8 : index
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %[[N]] step %{{.+}}
// CHECK: %[[BIMG:.+]] = arith.muli %[[I]], %[[BSTR]]#0
// CHECK: %[[BELEM:.+]] = arith.addi %[[BOFF]], %[[BIMG]]
// CHECK: %[[BADDR:.+]] = arith.addi %[[BPTR]], %[[BELEM]]
// CHECK: %[[CIMG:.+]] = arith.muli %[[I]], %[[CSTR]]#0
// CHECK: %[[CELEM:.+]] = arith.addi %[[COFF]], %[[CIMG]]
// CHECK: %[[CBYTES:.+]] = arith.muli %[[CELEM]], %[[C4]]
// CHECK: %[[CADDR:.+]] = arith.addi %[[CPTR]], %[[CBYTES]]
// CHECK-DAG: %[[A1:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK-DAG: %[[A2:.+]] = arith.index_cast %[[BADDR]] : index to i64
// CHECK-DAG: %[[A3:.+]] = arith.index_cast %[[BSTR]]#1 : index to i64
// CHECK-DAG: %[[A4:.+]] = arith.index_cast %[[CADDR]] : index to i64
// CHECK-DAG: %[[A5:.+]] = arith.index_cast %[[CSTR]]#1 : index to i64
// CHECK-DAG: %[[A6:.+]] = arith.index_cast %[[ROWS]] : index to i64
// CHECK-DAG: %[[A7:.+]] = arith.index_cast %[[PIXELS]] : index to i64
// CHECK-DAG: %[[A8:.+]] = arith.index_cast %[[DEPTH]] : index to i64
// CHECK: call @mc_ukernel_i8mm_s8u8(%[[A1]], %[[A2]], %[[A3]], %[[A4]], %[[A5]], %[[A6]], %[[A7]], %[[A8]])
// CHECK-NOT: linalg.generic
func.func @conv(%w: memref<2x10x4xi8>, %b: memref<?x8x3x5xi8>, %c: memref<?x10x3x5xi32>) {
  linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%w, %b : memref<2x10x4xi8>, memref<?x8x3x5xi8>) outs(%c : memref<?x10x3x5xi32>) {
  ^bb0(%wv: i8, %bv: i8, %acc: i32):
    %we = arith.extsi %wv : i8 to i32
    %be = arith.extui %bv : i8 to i32
    %p = arith.muli %we, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#w = affine_map<(d0, d1, d2, d3, d4) -> (d3, d1, d4)>
#x = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 4 + d4, d2)>
#o = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>

// Pixels that are not contiguous (every other column of a wider buffer)
// are not the kernel's layout: the loop nest stays.
// CHECK-LABEL: func.func @strided_pixels
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @strided_pixels(%w: memref<1x2x4xi8>, %b: memref<1x4x6xi8, strided<[48, 12, 2]>>, %c: memref<1x2x6xi32>) {
  linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%w, %b : memref<1x2x4xi8>, memref<1x4x6xi8, strided<[48, 12, 2]>>) outs(%c : memref<1x2x6xi32>) {
  ^bb0(%wv: i8, %bv: i8, %acc: i32):
    %we = arith.extsi %wv : i8 to i32
    %be = arith.extui %bv : i8 to i32
    %p = arith.muli %we, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}
