// The CPU pipeline's register tiles are 8 x 32 floats: compiled for a CPU
// with AVX-512 they are FMAs on zmm registers. The CPU is named explicitly,
// so the test holds on any host (the object is only disassembled).
//
// RUN: mc-compile %s --emit=obj --target-cpu=skylake-avx512 -o %t.o
// RUN: llvm-objdump -d --no-show-raw-insn %t.o | FileCheck %s
// CHECK: vfmadd{{[0-9]+}}ps {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}
func.func @main(%x: tensor<?x64xf32> {mc.name = "x"}) -> (tensor<?x32xf32> {mc.name = "y"}) {
  %w = mc.constant dense<0.5> : tensor<32x64xf32>
  %b = mc.constant dense<1.0> : tensor<32xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
