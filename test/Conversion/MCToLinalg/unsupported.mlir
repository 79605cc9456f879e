// RUN: mc-opt %s -split-input-file --convert-mc-to-linalg -verify-diagnostics
// mc ops on unsigned integer tensors (ONNX uint8 arithmetic that is not
// quantized) have no lowering: arith computes on signless integers only. The
// pass says so instead of failing with a generic "failed to legalize".

func.func @add_ui8(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error @below {{'mc.add' op on unsigned integer tensors ('tensor<3xui8>') is unsupported: the float lowering computes on signless integers only}}
  %0 = mc.add %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// The unsigned tensor may be the result only.
func.func @cast_to_ui8(%a: tensor<3xf32>) -> tensor<3xui8> {
  // expected-error @below {{'mc.cast' op on unsigned integer tensors ('tensor<3xui8>') is unsupported}}
  %0 = mc.cast %a : tensor<3xf32> -> tensor<3xui8>
  return %0 : tensor<3xui8>
}
