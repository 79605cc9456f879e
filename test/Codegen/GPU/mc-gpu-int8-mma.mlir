// RUN: mc-opt %s --split-input-file --mc-gpu-int8-mma | FileCheck %s

// An int8 GEMM with an activation zero point (B[n, k], as mc.qlinear
// lowers): one warp per 16x8 tile, K in steps of 32, two mma.sync m16n8k32
// with s8 operands and wrapping s32 accumulators (the product and the
// zero-point correction), and the epilogue adding acc - zp * colsum to C.
// CHECK-LABEL: func.func @qlinear
// CHECK-SAME: (%[[A:.+]]: memref<?x37xi8>, %[[B:.+]]: memref<13x37xi8>, %[[C:.+]]: memref<?x13xi32>)
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[M:.+]] = memref.dim %[[A]], %c0
// CHECK-DAG: %[[GX:.+]] = arith.ceildivui %{{.+}}, %c8
// CHECK-DAG: %[[GY:.+]] = arith.ceildivui %[[M]], %c16
// CHECK: gpu.launch blocks(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %[[GX]], %{{.+}} = %[[GY]], %{{.+}} = %c1{{.*}}) threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %c32
// CHECK: scf.for %{{.+}} = %c0{{.*}} to %{{.+}} step %c32{{.*}} iter_args({{.*}}) -> (i32, i32, i32, i32, i32, i32, i32, i32)
// CHECK-COUNT-16: memref.load %[[A]]
// CHECK-COUNT-8: memref.load %[[B]]
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>, layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<s8>, shape = #nvvm.shape<m = 16, n = 8, k = 32>}
// CHECK: nvvm.mma.sync A[%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}]  B[{{.*}}] {{.*}}s8
// CHECK: scf.yield
// CHECK: %[[D0:.+]] = arith.subi %[[R:.+]]#0, %[[R]]#4 : i32
// CHECK: scf.if
// CHECK: %[[O0:.+]] = memref.load %[[C]]
// CHECK: %[[S0:.+]] = arith.addi %[[O0]], %[[D0]] : i32
// CHECK: memref.store %[[S0]], %[[C]]
// CHECK: arith.subi %[[R]]#1, %[[R]]#5 : i32
// CHECK: memref.store %{{.+}}, %[[C]]
// CHECK: arith.subi %[[R]]#2, %[[R]]#6 : i32
// CHECK: memref.store %{{.+}}, %[[C]]
// CHECK: arith.subi %[[R]]#3, %[[R]]#7 : i32
// CHECK: memref.store %{{.+}}, %[[C]]
// CHECK: gpu.terminator
func.func @qlinear(%a: memref<?x37xi8>, %b: memref<13x37xi8>, %c: memref<?x13xi32>) {
  %zp = arith.constant -128 : i32
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x37xi8>, memref<13x37xi8>) outs(%c : memref<?x13xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %1 = arith.subi %0, %zp : i32
    %2 = arith.extsi %w : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// -----

// B indexed (k, n), no zero point: one mma.sync per step, B read at [k, n].
// CHECK-LABEL: func.func @kn
// CHECK-SAME: (%[[A:.+]]: memref<16x64xi8>, %[[B:.+]]: memref<64x8xi8>
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32)
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.yield
func.func @kn(%a: memref<16x64xi8>, %b: memref<64x8xi8>, %c: memref<16x8xi32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x64xi8>, memref<64x8xi8>) outs(%c : memref<16x8xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %1 = arith.extsi %w : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// -----

// A weight zero point is not supported on the tensor cores: the generic
// stays for the loop kernels.
// CHECK-LABEL: func.func @weight_zero_point
// CHECK: linalg.generic
// CHECK-NOT: nvvm.mma.sync
func.func @weight_zero_point(%a: memref<16x64xi8>, %b: memref<8x64xi8>, %c: memref<16x8xi32>) {
  %zp = arith.constant 3 : i32
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x64xi8>, memref<8x64xi8>) outs(%c : memref<16x8xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %1 = arith.extsi %w : i8 to i32
    %2 = arith.subi %1, %zp : i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// -----

// Float contractions are not int8 GEMMs.
// CHECK-LABEL: func.func @float
// CHECK: linalg.matmul
// CHECK-NOT: gpu.launch
func.func @float(%a: memref<16x64xf32>, %b: memref<64x8xf32>, %c: memref<16x8xf32>) {
  linalg.matmul ins(%a, %b : memref<16x64xf32>, memref<64x8xf32>) outs(%c : memref<16x8xf32>)
  return
}

// -----

// The requantization that reads the GEMM's buffer next runs in the
// epilogue: its per-column operand is loaded at the column, its body is
// applied to bias + acc, the i8 result goes to its output, and neither the
// elementwise op nor a store to the accumulator buffer is left.
// CHECK-LABEL: func.func @requantize_epilogue
// CHECK-SAME: (%[[A:.+]]: memref<?x64xi8>, %[[B:.+]]: memref<10x64xi8>, %[[M:.+]]: memref<10xi64>, %[[Y:.+]]: memref<?x10xi8>)
// CHECK: %[[C:.+]] = memref.alloc
// CHECK: linalg.fill
// CHECK: gpu.launch
// CHECK: nvvm.mma.sync
// CHECK: scf.yield
// CHECK: scf.if
// CHECK: %[[OLD:.+]] = memref.load %[[C]]
// CHECK: %[[SUM:.+]] = arith.addi %[[OLD]], %{{.+}} : i32
// CHECK: %[[MUL:.+]] = memref.load %[[M]][%[[J:.+]]] : memref<10xi64>
// CHECK: %[[EXT:.+]] = arith.extsi %[[SUM]] : i32 to i64
// CHECK: arith.muli %[[EXT]], %[[MUL]] : i64
// CHECK: %[[Q:.+]] = arith.trunci %{{.+}} : i64 to i8
// CHECK: memref.store %[[Q]], %[[Y]][%{{.+}}, %[[J]]] : memref<?x10xi8>
// CHECK-NOT: memref.store %{{.+}}, %[[C]]
// CHECK: gpu.terminator
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc %[[C]]
func.func @requantize_epilogue(%a: memref<?x64xi8>, %b: memref<10x64xi8>, %mult: memref<10xi64>, %y: memref<?x10xi8>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %a, %c0 : memref<?x64xi8>
  %bias = arith.constant 7 : i32
  %c = memref.alloc(%n) : memref<?x10xi32>
  linalg.fill ins(%bias : i32) outs(%c : memref<?x10xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x64xi8>, memref<10x64xi8>) outs(%c : memref<?x10xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %1 = arith.extsi %w : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%c, %mult : memref<?x10xi32>, memref<10xi64>) outs(%y : memref<?x10xi8>) {
  ^bb0(%v: i32, %m: i64, %o: i8):
    %0 = arith.extsi %v : i32 to i64
    %1 = arith.muli %0, %m : i64
    %2 = arith.trunci %1 : i64 to i8
    linalg.yield %2 : i8
  }
  memref.dealloc %c : memref<?x10xi32>
  return
}
