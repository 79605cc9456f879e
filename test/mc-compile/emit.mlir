// Each --emit stage of mc-compile on mc IR with a dynamic batch, and the
// library at the end: what mc-opt --mc-cpu-pipeline prints is what
// --emit=mlir prints; --emit=llvm is optimized LLVM IR for the chosen CPU
// with the info table as constant data; --emit=obj is an ELF object; the
// library exports exactly the ABI.
//
// RUN: mc-compile %s --emit=mlir | FileCheck %s --check-prefix=MLIR
// RUN: mc-compile %s --emit=mlir -o %t.mlir
// RUN: mc-opt %s --mc-cpu-pipeline="model-name=emit" | diff - %t.mlir
// RUN: mc-compile %s --emit=llvm -O2 --target-cpu=x86-64-v3 | FileCheck %s --check-prefix=LLVM
// RUN: mc-compile %s --emit=llvm -O0 --target-cpu=x86-64 --target-features=+sse4.2 | FileCheck %s --check-prefix=LLVM0
// RUN: mc-compile %s --emit=obj -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=OBJ
// RUN: mc-compile %s -o %t.so --model-name=linear-relu
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s --check-prefix=LIB
// RUN: mc-run %t.so --print-info | FileCheck %s --check-prefix=INFO

// MLIR: llvm.func @main(
// MLIR: llvm.func @_mlir_ciface_main(%{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr)
// MLIR: llvm.mlir.global private constant @mc_abi.model_name("emit\00")
// MLIR: llvm.mlir.global external constant @mc_generated_model_info()

// LLVM: target datalayout = "e-m:e
// LLVM: target triple = "x86_64
// LLVM-DAG: @mc_abi.input0.name = private constant [2 x i8] c"x\00"
// LLVM-DAG: @mc_abi.input0.shape = private constant [2 x i64] [i64 -1, i64 4]
// LLVM-DAG: @mc_generated_model_info = {{.*}}constant { i32, i32, i32, i32, i64, ptr, ptr, ptr } { i32 1, i32 1, i32 1, i32 0, i64 -1, ptr @mc_abi.inputs, ptr @mc_abi.outputs, ptr @mc_abi.model_name }
// LLVM-DAG: define void @_mlir_ciface_main(ptr {{.*}}, ptr {{.*}}) {{.*}}#[[ATTRS:[0-9]+]]
// LLVM-DAG: attributes #[[ATTRS]] = { {{.*}}"target-cpu"="x86-64-v3"

// LLVM0: define void @main(
// LLVM0: define void @_mlir_ciface_main(ptr %0, ptr %1) #[[ATTRS:[0-9]+]]
// LLVM0-NEXT: load { ptr, ptr, i64, [2 x i64], [2 x i64] }, ptr %0
// LLVM0: attributes #[[ATTRS]] = { "target-cpu"="x86-64" "target-features"="+sse4.2" }

// OBJ-DAG: T _mlir_ciface_main
// OBJ-DAG: T main
// OBJ-DAG: {{[DR]}} mc_generated_model_info

// LIB: T mc_last_error
// LIB-NEXT: T mc_model_info
// LIB-NEXT: T mc_model_run
// LIB-NEXT: T mc_release_cached_memory
// LIB-NOT: {{.}}

// INFO: model 'linear-relu': 1 input(s), 1 output(s), dynamic batch
// INFO-NEXT: input  0 'x': float32 (batch, 4)
// INFO-NEXT: output 0 'y': float32 (batch, 2)
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<[[0.5, -1.0, 0.25, 2.0], [1.0, 1.0, -1.0, 0.0]]> : tensor<2x4xf32>
  %b = mc.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = mc.relu %y : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
