// RUN: mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-good.json" | FileCheck %s
// RUN: mc-opt %s --mlir-print-debuginfo --mc-attach-calibration="file=%S/Inputs/calib-good.json" | mc-opt --mc-attach-calibration="file=%S/Inputs/calib-good.json" | FileCheck %s

// mc-attach-calibration puts each range entry on its op (or argument) as
// mc.calib, with the histogram when the file has one, and the column norms
// on the conv and the linear as mc.calib_col_norm. The integer argument and
// the constant get nothing. Attaching twice gives the same IR (keys are
// location names: printed IR keeps them only with --mlir-print-debuginfo).
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x1x3x3xf32> {mc.calib = {count = 36 : i64, hist = dense<[10, 20, 6]> : tensor<3xi64>, max = 2.000000e+00 : f64, min = -1.000000e+00 : f64}, mc.name = "x"}
// CHECK-SAME: %{{[^:]+}}: tensor<?x2xi64>)
// CHECK: %[[W:.+]] = mc.constant dense<1.000000e+00> : tensor<2x1x2x2xf32>
// CHECK-NEXT: mc.conv2d %[[X]], %[[W]] {mc.calib = {count = 32 : i64, hist = dense<[30, 2]> : tensor<2xi64>, max = 4.250000e+00 : f64, min = -3.500000e+00 : f64}, mc.calib_col_norm = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.500000e+00]]]> : tensor<1x2x2xf32>}
// CHECK-NEXT: mc.flatten %{{.+}} {mc.calib = {count = 32 : i64, max = 4.250000e+00 : f64, min = -3.500000e+00 : f64}}
// CHECK-NEXT: mc.constant dense<1.000000e+00> : tensor<2x8xf32>
// CHECK-NEXT: mc.linear %{{.+}} {mc.calib = {count = 8 : i64, hist = dense<8> : tensor<1xi64>, max = 8.000000e+00 : f64, min = 5.000000e-01 : f64}, mc.calib_col_norm = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00]> : tensor<8xf32>}

// Each error: a missing entry, an entry that matches nothing, a column-norm
// shape that is not the layer's, an unreadable or inconsistent file, a
// missing option or function.
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-missing-range.json" 2>&1 | FileCheck %s --check-prefix=MISSING-RANGE
// MISSING-RANGE: error: {{.*}}no calibration statistics for 'flat'
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-missing-norm.json" 2>&1 | FileCheck %s --check-prefix=MISSING-NORM
// MISSING-NORM: error: {{.*}}no column norms for 'fc' in the calibration statistics
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-extra-range.json" 2>&1 | FileCheck %s --check-prefix=EXTRA-RANGE
// EXTRA-RANGE: error: calibration statistics for 'ghost' match no observed value of @main
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-extra-norm.json" 2>&1 | FileCheck %s --check-prefix=EXTRA-NORM
// EXTRA-NORM: error: column norms for 'flat' match no linear or conv layer of @main
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-norm-shape.json" 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: {{.*}}column norms for 'conv' have shape [2, 2], the layer needs [1, 2, 2]
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-min-max.json" 2>&1 | FileCheck %s --check-prefix=MINMAX
// MINMAX: error: mc-attach-calibration: '{{.*}}calib-min-max.json': ranges['conv']: 'min' is larger than 'max'
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/no-such-file.json" 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: mc-attach-calibration: cannot read calibration file '{{.*}}no-such-file.json': {{.+}}
// RUN: not mc-opt %s --mc-attach-calibration 2>&1 | FileCheck %s --check-prefix=NOOPTION
// NOOPTION: error: mc-attach-calibration: the 'file' option is required
// RUN: not mc-opt %s --mc-attach-calibration="file=%S/Inputs/calib-good.json function=other" 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: error: mc-attach-calibration: no function @other with a body

func.func @main(%x: tensor<?x1x3x3xf32> {mc.name = "x"}, %ids: tensor<?x2xi64>) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<1.0> : tensor<2x1x2x2xf32>
  %c = mc.conv2d %x, %w : (tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<?x2x2x2xf32> loc("conv")
  %f = mc.flatten %c {axis = 1 : i64} : (tensor<?x2x2x2xf32>) -> tensor<?x8xf32> loc("flat")
  %w2 = mc.constant dense<1.0> : tensor<2x8xf32>
  %l = mc.linear %f, %w2 : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32> loc("fc")
  return %l : tensor<?x2xf32>
}
