// RUN: mc-opt %s -split-input-file -verify-diagnostics --mc-insert-observers

// Each error of mc-insert-observers, on the module.

// expected-error @below {{mc-insert-observers: no function @main with a body}}
module {
  func.func private @main(tensor<3xf32>) -> tensor<3xf32>
}

// -----

// expected-error @below {{mc-insert-observers: a symbol @main_calib already exists}}
module {
  func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> {
    return %x : tensor<3xf32>
  }
  func.func @main_calib() {
    return
  }
}

// -----

// expected-error @below {{mc-insert-observers: @main has no float tensor to observe}}
module {
  func.func @main(%x: tensor<3xi64>) -> tensor<3xi64> {
    return %x : tensor<3xi64>
  }
}
