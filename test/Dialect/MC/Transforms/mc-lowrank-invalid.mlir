// Bad mc-lowrank options: one error each, a non-zero exit, and no IR printed
// (--implicit-check-not=mc.linear).

// RUN: not mc-opt %s --mc-lowrank 2>&1 | FileCheck %s --check-prefix=NONE --implicit-check-not=mc.linear
// NONE: error: mc-lowrank: give the rank rule: 'rank-ratio' or 'energy', in (0, 1]

// RUN: not mc-opt %s --mc-lowrank="rank-ratio=0.5 energy=0.9" 2>&1 | FileCheck %s --check-prefix=BOTH --implicit-check-not=mc.linear
// BOTH: error: mc-lowrank: 'rank-ratio' and 'energy' exclude each other; give one

// Rank 0, asked for directly.
// RUN: not mc-opt %s --mc-lowrank="rank-ratio=0" 2>&1 | FileCheck %s --check-prefix=RATIO0 --implicit-check-not=mc.linear
// RATIO0: error: mc-lowrank: 'rank-ratio' must be in (0, 1], got 0 (rank 0 keeps nothing)
// RUN: not mc-opt %s --mc-lowrank="energy=0" 2>&1 | FileCheck %s --check-prefix=ENERGY0 --implicit-check-not=mc.linear
// ENERGY0: error: mc-lowrank: 'energy' must be in (0, 1], got 0 (rank 0 keeps nothing)

// RUN: not mc-opt %s --mc-lowrank="rank-ratio=-0.25" 2>&1 | FileCheck %s --check-prefix=RATIONEG --implicit-check-not=mc.linear
// RATIONEG: error: mc-lowrank: 'rank-ratio' must be in (0, 1], got -0.25
// RUN: not mc-opt %s --mc-lowrank="rank-ratio=1.5" 2>&1 | FileCheck %s --check-prefix=RATIOBIG --implicit-check-not=mc.linear
// RATIOBIG: error: mc-lowrank: 'rank-ratio' must be in (0, 1], got 1.5
// RUN: not mc-opt %s --mc-lowrank="energy=-1" 2>&1 | FileCheck %s --check-prefix=ENERGYNEG --implicit-check-not=mc.linear
// ENERGYNEG: error: mc-lowrank: 'energy' must be in (0, 1], got -1
// RUN: not mc-opt %s --mc-lowrank="energy=1.01" 2>&1 | FileCheck %s --check-prefix=ENERGYBIG --implicit-check-not=mc.linear
// ENERGYBIG: error: mc-lowrank: 'energy' must be in (0, 1], got 1.01
// RUN: not mc-opt %s --mc-lowrank="energy=nan" 2>&1 | FileCheck %s --check-prefix=ENERGYNAN --implicit-check-not=mc.linear
// ENERGYNAN: error: mc-lowrank: 'energy' must be in (0, 1], got nan

// RUN: not mc-opt %s --mc-lowrank="energy=0.9 min-params=-1" 2>&1 | FileCheck %s --check-prefix=MINPARAMS --implicit-check-not=mc.linear
// MINPARAMS: error: mc-lowrank: 'min-params' must not be negative, got -1

// RUN: not mc-opt %s --mc-lowrank="energy=0.9 skip=fc1,,fc2" 2>&1 | FileCheck %s --check-prefix=SKIP --implicit-check-not=mc.linear
// SKIP: error: mc-lowrank: 'skip' holds an empty name

// Not a number: the option parser refuses it.
// RUN: not mc-opt %s --mc-lowrank="rank-ratio=half" 2>&1 | FileCheck %s --check-prefix=PARSE --implicit-check-not=mc.linear
// PARSE: 'half' value invalid for floating point argument

func.func @layer(%x: tensor<?x6xf32>) -> tensor<?x4xf32> {
  %w = mc.constant dense<1.0> : tensor<4x6xf32>
  %y = mc.linear %x, %w : (tensor<?x6xf32>, tensor<4x6xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
