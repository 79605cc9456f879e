// RUN: mc-opt %s -split-input-file --mc-emit-runtime-abi | FileCheck %s
// RUN: mc-opt %s -split-input-file --mc-emit-runtime-abi="model-name=tiny" | FileCheck %s --check-prefix=NAMED

// Dynamic batch: the function gets its C interface and read-only inputs,
// loses mc.name, and the info table records names, dtypes (ONNX codes:
// float32 = 1, int64 = 7, uint8 = 2), ranks and shapes with -1 for the batch.
// A missing mc.name becomes input<i> / output<i>; a rank-0 tensor has a null
// shape pointer.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %{{.+}}: tensor<?x4xf32> {bufferization.writable = false}, %{{.+}}: tensor<3xi64> {bufferization.writable = false})
// CHECK-SAME: -> (tensor<?x2xf32>, tensor<ui8>) attributes {llvm.emit_c_interface}
// CHECK: llvm.mlir.global private constant @mc_abi.input0.name("x\00")
// CHECK: llvm.mlir.global private constant @mc_abi.input0.shape(dense<[-1, 4]> : tensor<2xi64>) {{.*}} : !llvm.array<2 x i64>
// CHECK: llvm.mlir.global private constant @mc_abi.input1.name("input1\00")
// CHECK: llvm.mlir.global private constant @mc_abi.input1.shape(dense<3> : tensor<1xi64>)

// The input records: {name, shape, dtype, rank}.
// CHECK: llvm.mlir.global private constant @mc_abi.inputs()
// CHECK-SAME: !llvm.array<2 x struct<(ptr, ptr, i32, i32)>>
// CHECK: %[[N0:.+]] = llvm.mlir.addressof @mc_abi.input0.name
// CHECK: llvm.insertvalue %[[N0]], %{{.+}}[0, 0]
// CHECK: %[[S0:.+]] = llvm.mlir.addressof @mc_abi.input0.shape
// CHECK: llvm.insertvalue %[[S0]], %{{.+}}[0, 1]
// CHECK: %[[T0:.+]] = llvm.mlir.constant(1 : i32)
// CHECK-NEXT: llvm.insertvalue %[[T0]], %{{.+}}[0, 2]
// CHECK: %[[R0:.+]] = llvm.mlir.constant(2 : i32)
// CHECK-NEXT: llvm.insertvalue %[[R0]], %{{.+}}[0, 3]
// CHECK: %[[T1:.+]] = llvm.mlir.constant(7 : i32)
// CHECK-NEXT: llvm.insertvalue %[[T1]], %{{.+}}[1, 2]
// CHECK: %[[R1:.+]] = llvm.mlir.constant(1 : i32)
// CHECK-NEXT: llvm.insertvalue %[[R1]], %{{.+}}[1, 3]

// The output records: a ui8 scalar has dtype 2, rank 0 and no shape.
// CHECK: llvm.mlir.global private constant @mc_abi.output0.name("y\00")
// CHECK: llvm.mlir.global private constant @mc_abi.output0.shape(dense<[-1, 2]> : tensor<2xi64>)
// CHECK: llvm.mlir.global private constant @mc_abi.output1.name("output1\00")
// CHECK-NOT: @mc_abi.output1.shape
// CHECK: llvm.mlir.global private constant @mc_abi.outputs()
// CHECK: llvm.insertvalue %{{.+}}, %{{.+}}[1, 0]
// CHECK-NEXT: %[[T3:.+]] = llvm.mlir.constant(2 : i32)
// CHECK-NEXT: llvm.insertvalue %[[T3]], %{{.+}}[1, 2]
// CHECK-NEXT: %[[R3:.+]] = llvm.mlir.constant(0 : i32)
// CHECK-NEXT: llvm.insertvalue %[[R3]], %{{.+}}[1, 3]
// CHECK: llvm.mlir.global private constant @mc_abi.model_name("main\00")
// NAMED: llvm.mlir.global private constant @mc_abi.model_name("tiny\00")

// The model record: {abi_version 1, 2 inputs, 2 outputs, 0, batch -1,
// inputs, outputs, name}, external for the runtime.
// CHECK: llvm.mlir.global external constant @mc_generated_model_info()
// CHECK-SAME: !llvm.struct<(i32, i32, i32, i32, i64, ptr, ptr, ptr)>
// CHECK: %[[V:.+]] = llvm.mlir.constant(1 : i32)
// CHECK-NEXT: llvm.insertvalue %[[V]], %{{.+}}[0]
// CHECK-NEXT: %[[NI:.+]] = llvm.mlir.constant(2 : i32)
// CHECK-NEXT: llvm.insertvalue %[[NI]], %{{.+}}[1]
// CHECK-NEXT: %[[NO:.+]] = llvm.mlir.constant(2 : i32)
// CHECK-NEXT: llvm.insertvalue %[[NO]], %{{.+}}[2]
// CHECK-NEXT: %[[B:.+]] = llvm.mlir.constant(-1 : i64)
// CHECK-NEXT: llvm.insertvalue %[[B]], %{{.+}}[4]
// CHECK: llvm.mlir.addressof @mc_abi.inputs
// CHECK: llvm.mlir.addressof @mc_abi.outputs
// CHECK: llvm.mlir.addressof @mc_abi.model_name
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}, %s: tensor<3xi64>) -> (tensor<?x2xf32> {mc.name = "y"}, tensor<ui8>) {
  %w = mc.constant dense<1.0> : tensor<2x4xf32>
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  %c = mc.constant dense<3> : tensor<ui8>
  return %y, %c : tensor<?x2xf32>, tensor<ui8>
}

// -----

// A static model records its one batch: the leading dimension of the first
// input.
// CHECK-LABEL: func.func @main(
// CHECK: llvm.mlir.global external constant @mc_generated_model_info()
// CHECK: %[[B:.+]] = llvm.mlir.constant(8 : i64)
// CHECK: llvm.insertvalue %[[B]], %{{.+}}[4]
func.func @main(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = mc.relu %x : tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// Every mc argument and result attribute goes (calibration's mc.calib too);
// others stay.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %{{.+}}: tensor<?x4xf32> {bufferization.writable = false, other.keep = 1 : i64})
// CHECK-SAME: -> (tensor<?x4xf32> {other.keep = 2 : i64})
// CHECK: llvm.mlir.global private constant @mc_abi.input0.name("x\00")
func.func @main(%x: tensor<?x4xf32> {mc.name = "x", mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 4 : i64}, other.keep = 1 : i64}) -> (tensor<?x4xf32> {mc.name = "y", other.keep = 2 : i64}) {
  %y = mc.relu %x {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 4 : i64}} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
