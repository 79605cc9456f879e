// RUN: mc-opt %s -split-input-file -verify-diagnostics --mc-emit-runtime-abi

// No @main.
// expected-error @+1 {{no model function: expected a func.func @main with a body}}
module {
  func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{the model function @main must be public}}
func.func private @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{input 0 ('x') has type 'tensor<4x?xf32>': only the leading (batch) dimension may be dynamic}}
func.func @main(%x: tensor<4x?xf32> {mc.name = "x"}) -> tensor<4x?xf32> {
  return %x : tensor<4x?xf32>
}

// -----

// expected-error @+1 {{output 0 ('output0') has type 'tensor<*xf32>'; the runtime ABI takes ranked tensors only}}
func.func @main(%x: tensor<4xf32>) -> tensor<*xf32> {
  %y = tensor.cast %x : tensor<4xf32> to tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// expected-error @+1 {{input 0 ('input0') has element type 'complex<f32>', which the runtime ABI does not support}}
func.func @main(%x: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  return %x : tensor<4xcomplex<f32>>
}

// -----

// expected-error @+1 {{input 0 ('input0') has rank 17; the runtime ABI allows at most 16}}
func.func @main(%x: tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1xf32>) -> tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1xf32> {
  return %x : tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1xf32>
}

// -----

// expected-error @+1 {{the model function has no results}}
func.func @main(%x: tensor<4xf32>) {
  return
}

// -----

// expected-error @+1 {{the model function has 33 inputs and outputs; the runtime ABI allows at most 32}}
func.func @main(%a0: tensor<f32>, %a1: tensor<f32>, %a2: tensor<f32>, %a3: tensor<f32>, %a4: tensor<f32>, %a5: tensor<f32>, %a6: tensor<f32>, %a7: tensor<f32>, %a8: tensor<f32>, %a9: tensor<f32>, %a10: tensor<f32>, %a11: tensor<f32>, %a12: tensor<f32>, %a13: tensor<f32>, %a14: tensor<f32>, %a15: tensor<f32>, %a16: tensor<f32>, %a17: tensor<f32>, %a18: tensor<f32>, %a19: tensor<f32>, %a20: tensor<f32>, %a21: tensor<f32>, %a22: tensor<f32>, %a23: tensor<f32>, %a24: tensor<f32>, %a25: tensor<f32>, %a26: tensor<f32>, %a27: tensor<f32>, %a28: tensor<f32>, %a29: tensor<f32>, %a30: tensor<f32>, %a31: tensor<f32>) -> tensor<f32> {
  return %a0 : tensor<f32>
}

// -----

// expected-error @+1 {{symbol @mc_generated_model_info exists already: the runtime ABI was emitted before}}
module {
  llvm.mlir.global external constant @mc_generated_model_info(0 : i32) : i32
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
