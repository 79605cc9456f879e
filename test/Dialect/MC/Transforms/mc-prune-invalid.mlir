// Bad mc-prune options: one clear error, a non-zero exit, no IR change.
// RUN: not mc-opt %s --mc-prune="method=random" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not mc-opt %s --mc-prune="sparsity=1.5" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not mc-opt %s --mc-prune="sparsity=-0.25" 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not mc-opt %s --mc-prune="pattern=3:2" 2>&1 | FileCheck %s --check-prefix=NM32
// RUN: not mc-opt %s --mc-prune="pattern=0:4" 2>&1 | FileCheck %s --check-prefix=NM04
// RUN: not mc-opt %s --mc-prune="pattern=2:four" 2>&1 | FileCheck %s --check-prefix=NMTEXT
// RUN: not mc-opt %s --mc-prune="pattern=blocks" 2>&1 | FileCheck %s --check-prefix=PATTERN
// RUN: not mc-opt %s --mc-prune="pattern=2:4 sparsity=0.75" 2>&1 | FileCheck %s --check-prefix=NMSPARSITY
// RUN: not mc-opt %s --mc-prune="scope=model" 2>&1 | FileCheck %s --check-prefix=SCOPE
// RUN: not mc-opt %s --mc-prune="scope=global method=wanda" 2>&1 | FileCheck %s --check-prefix=GLOBAL
// RUN: not mc-opt %s --mc-prune="scope=global pattern=2:4" 2>&1 | FileCheck %s --check-prefix=GLOBAL
// RUN: not mc-opt %s --mc-prune="method=wanda pattern=channel" 2>&1 | FileCheck %s --check-prefix=CHANNEL
// RUN: not mc-opt %s --mc-prune="min-params=-1" 2>&1 | FileCheck %s --check-prefix=MIN

// METHOD: error: mc-prune: unknown method 'random' (expected 'magnitude' or 'wanda')
// RANGE: error: mc-prune: sparsity 1.5 is outside [0, 1]
// NEG: error: mc-prune: sparsity -0.25 is outside [0, 1]
// NM32: error: mc-prune: bad pattern: N:M pattern '3:2' must have 0 < N < M (expected 'unstructured', 'channel' or 'N:M')
// NM04: error: mc-prune: bad pattern: N:M pattern '0:4' must have 0 < N < M
// NMTEXT: error: mc-prune: bad pattern: expected 'N:M' with decimal integers, got '2:four'
// PATTERN: error: mc-prune: bad pattern: expected 'N:M' with decimal integers, got 'blocks' (expected 'unstructured', 'channel' or 'N:M')
// NMSPARSITY: error: mc-prune: pattern 2:4 fixes the sparsity at 0.5, but sparsity=0.75 was given
// SCOPE: error: mc-prune: unknown scope 'model' (expected 'layer' or 'global')
// GLOBAL: error: mc-prune: scope=global needs method=magnitude and pattern=unstructured
// CHANNEL: error: mc-prune: pattern=channel ranks channels by weight L2 norm and needs method=magnitude
// MIN: error: mc-prune: min-params must not be negative
func.func @layer(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, -2.0, 3.0, -4.0], [4.0, 3.0, -2.0, 1.0]]> : tensor<2x4xf32>
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
