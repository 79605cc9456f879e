// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel | FileCheck %s
// RUN: mc-opt %s --split-input-file --mc-cpu-int8-gemm-to-ukernel="m-block=16 n-block=64" | FileCheck %s --check-prefix=BLOCKS

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// The packed product (as mc-cpu-pack-int8-weights leaves it, bufferized)
// becomes two loops over blocks of columns and rows and one kernel call per
// block: addresses are the aligned pointers plus offsets, C's in bytes; K4 =
// 12, so the panel is 12 * 32 bytes and the kernel gets 3 groups of 4.
// CHECK-LABEL: func.func private @mc_ukernel_i8mm_u8s8(i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @packed(
// CHECK-SAME: %[[A:.+]]: memref<?x12xi8>, %[[P:.+]]: memref<2x3x32x4xi8>, %[[C:.+]]: memref<?x40xi32>)
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[M:.+]] = memref.dim %[[A]], %[[C0]]
// CHECK-DAG: %[[N:.+]] = memref.dim %[[C]], %{{.+}}
// CHECK-DAG: %{{.+}}, %[[AOFF:.+]], %{{.+}}:2, %[[ASTR:.+]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK-DAG: %[[APTR:.+]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-DAG: %[[PPTR:.+]] = memref.extract_aligned_pointer_as_index %[[P]]
// CHECK-DAG: %{{.+}}, %[[COFF:.+]], %{{.+}}:2, %[[CSTR:.+]]:2 = memref.extract_strided_metadata %[[C]]
// CHECK-DAG: %[[CPTR:.+]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-DAG: %[[PANEL:.+]] = arith.constant 384 : index
// CHECK-DAG: %[[GROUPS:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[NB:.+]] = arith.constant 256 : index
// CHECK: scf.for %[[N0:.+]] = %[[C0]] to %[[N]] step %[[NB]]
// CHECK: %[[NREM:.+]] = arith.subi %[[N]], %[[N0]]
// CHECK: %[[NN:.+]] = arith.minsi %{{.+}}, %[[NREM]]
// CHECK: %[[PIDX:.+]] = arith.divui %[[N0]], %{{.+}}
// CHECK: %[[PBYTES:.+]] = arith.muli %[[PIDX]], %[[PANEL]]
// CHECK: %[[PSUM:.+]] = arith.addi %{{.+}}, %[[PBYTES]]
// CHECK: %[[PADDR:.+]] = arith.addi %[[PPTR]], %[[PSUM]]
// CHECK: scf.for %[[M0:.+]] = %[[C0]] to %[[M]] step %{{.+}}
// CHECK: %[[MM:.+]] = arith.minsi
// CHECK: %[[AROW:.+]] = arith.muli %[[M0]], %[[ASTR]]#0
// CHECK: %[[AELEM:.+]] = arith.addi %[[AOFF]], %[[AROW]]
// CHECK: %[[AADDR:.+]] = arith.addi %[[APTR]], %[[AELEM]]
// CHECK: %[[CROW:.+]] = arith.muli %[[M0]], %[[CSTR]]#0
// CHECK: %[[CCOL:.+]] = arith.addi %[[CROW]], %[[N0]]
// CHECK: %[[CELEM:.+]] = arith.addi %[[COFF]], %[[CCOL]]
// CHECK: %[[CBYTES:.+]] = arith.muli %[[CELEM]], %{{.+}}
// CHECK: %[[CADDR:.+]] = arith.addi %[[CPTR]], %[[CBYTES]]
// CHECK-DAG: %[[I0:.+]] = arith.index_cast %[[AADDR]] : index to i64
// CHECK-DAG: %[[I1:.+]] = arith.index_cast %[[ASTR]]#0 : index to i64
// CHECK-DAG: %[[I2:.+]] = arith.index_cast %[[PADDR]] : index to i64
// CHECK-DAG: %[[I3:.+]] = arith.index_cast %[[CADDR]] : index to i64
// CHECK-DAG: %[[I4:.+]] = arith.index_cast %[[CSTR]]#0 : index to i64
// CHECK-DAG: %[[I5:.+]] = arith.index_cast %[[MM]] : index to i64
// CHECK-DAG: %[[I6:.+]] = arith.index_cast %[[NN]] : index to i64
// CHECK-DAG: %[[I7:.+]] = arith.index_cast %[[GROUPS]] : index to i64
// CHECK: call @mc_ukernel_i8mm_u8s8(%[[I0]], %[[I1]], %[[I2]], %[[I3]], %[[I4]], %[[I5]], %[[I6]], %[[I7]])
// CHECK-NOT: linalg.generic
// BLOCKS-LABEL: func.func @packed(
// BLOCKS-DAG: %[[NB:.+]] = arith.constant 64 : index
// BLOCKS-DAG: %[[MB:.+]] = arith.constant 16 : index
// BLOCKS: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[NB]]
// BLOCKS: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[MB]]
func.func @packed(%a: memref<?x12xi8>, %p: memref<2x3x32x4xi8>, %c: memref<?x40xi32>) {
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x12xi8>, memref<2x3x32x4xi8>) outs(%c : memref<?x40xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#p = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Not the kernel's contract: A's rows are not contiguous, the body
// extends A as signed, and tensors instead of buffers. Nothing changes and
// no declaration is added.
// CHECK-NOT: mc_ukernel_i8mm_u8s8
// CHECK-LABEL: func.func @strided_rows
// CHECK: linalg.generic
// CHECK-LABEL: func.func @signed_lhs
// CHECK: linalg.generic
// CHECK-LABEL: func.func @on_tensors
// CHECK: linalg.generic
func.func @strided_rows(%a: memref<?x12xi8, strided<[24, 2]>>, %p: memref<2x3x32x4xi8>, %c: memref<?x40xi32>) {
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x12xi8, strided<[24, 2]>>, memref<2x3x32x4xi8>) outs(%c : memref<?x40xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
func.func @signed_lhs(%a: memref<?x12xi8>, %p: memref<2x3x32x4xi8>, %c: memref<?x40xi32>) {
  linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : memref<?x12xi8>, memref<2x3x32x4xi8>) outs(%c : memref<?x40xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
func.func @on_tensors(%a: tensor<?x12xi8>, %p: tensor<2x3x32x4xi8>, %c: tensor<?x40xi32>) -> tensor<?x40xi32> {
  %r = linalg.generic {indexing_maps = [#a, #p, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : tensor<?x12xi8>, tensor<2x3x32x4xi8>) outs(%c : tensor<?x40xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %m = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<?x40xi32>
  return %r : tensor<?x40xi32>
}
