// RUN: mc-opt %s --mc-cuda-pipeline="to-binary=false" | FileCheck %s
// RUN: mc-opt %s --mc-cuda-pipeline | FileCheck %s --check-prefix=BIN
// RUN: mc-opt %s --mc-cuda-pipeline="chip=sm_90" | FileCheck %s --check-prefix=SM90

// What mc-compile --target=cuda runs before LLVM IR: the host @main is
// destination-passing LLVM code that allocates intermediates in device
// memory, copies the weights there and launches kernels through the mgpu*
// runtime functions on one stream; all kernels are in one gpu.module of
// NVVM/LLVM ops targeting sm_80, serialized to PTX.

// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[S:.+]] = llvm.call @mgpuStreamCreate()
// CHECK: %[[W:.+]] = llvm.call @mgpuMemAlloc(%{{.+}}, %[[S]], %{{.+}}) : (i64, !llvm.ptr, i8) -> !llvm.ptr
// CHECK: llvm.call @mgpuMemcpy(%[[W]], %{{.+}}, %{{.+}}, %[[S]])
// CHECK: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel::@main_kernel blocks
// CHECK: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel::@main_kernel_0 blocks
// CHECK: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel::@main_kernel_1 blocks
// CHECK: llvm.call @mgpuMemFree(%[[W]], %[[S]])
// CHECK: llvm.call @mgpuStreamSynchronize(%[[S]])
// CHECK: llvm.func @_mlir_ciface_main(
// CHECK: gpu.module @main_kernel [#nvvm.target<chip = "sm_80", features = "+ptx80">]
// CHECK: llvm.func @main_kernel(
// CHECK-SAME: gpu.kernel
// CHECK: nvvm.read.ptx.sreg.ctaid.x
// CHECK: nvvm.read.ptx.sreg.tid.x
// CHECK: llvm.func @main_kernel_0(
// CHECK: llvm.func @main_kernel_1(
// CHECK-NOT: gpu.module
// CHECK: llvm.mlir.global external constant @mc_generated_model_info()

// BIN: gpu.binary @main_kernel  [#gpu.object<#nvvm.target<chip = "sm_80", features = "+ptx80">, properties = {{.*}}, assembly = "{{.*}}.target sm_80
// BIN-NOT: gpu.module
// SM90: gpu.binary @main_kernel  [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {{.*}}, assembly = "{{.*}}.target sm_90
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<[[0.5, 1.0, 1.5, 2.0], [-1.0, 0.0, 1.0, 2.0]]> : tensor<2x4xf32>
  %b = mc.constant dense<1.0> : tensor<2xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = mc.relu %y : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
