//===- mc-opt.cpp - mc's optimizer driver ---------------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with mc's dialect and passes: every upstream dialect, extension
// and pass is registered too, so any pipeline mixing mc and upstream passes
// can be run and lit-tested.
//
//===----------------------------------------------------------------------===//

#include "mc/InitAll.h"
#ifdef MC_ENABLE_GPU
#include "mc/Target/CUDA/CUDATarget.h"
#endif

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::mc::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::mc::registerAllDialects(registry);
#ifdef MC_ENABLE_GPU
  // mc-cuda-pipeline serializes kernels to PTX.
  mlir::mc::initializeCUDATarget(registry);
#endif

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mc optimizer driver: mc and upstream MLIR passes\n",
      registry));
}
