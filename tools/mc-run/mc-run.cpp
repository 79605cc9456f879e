//===- mc-run.cpp - Run a compiled model from the shell -------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// `mc-run libmodel.so --input x.npy [--input ...] [--output y.npy ...]
// [--bench N]` loads a library built by mc-compile with dlopen, checks the
// .npy inputs against the model's info table (count, dtype, rank, shape; the
// batch is the leading dimension of the first input with a dynamic one),
// runs the model through mc_model_run and writes the outputs as .npy.
// Without --output it prints each output's shape and first values.
// `--bench N` runs the model `--warmup` times, then N timed times, and
// prints the median latency.
//
// Exit status: 0 success, 1 usage or file error, 2 the inputs do not match
// the model, 3 mc_model_run failed.
//
//===----------------------------------------------------------------------===//

#include "mc/Support/Npy.h"
#include "mc/runtime.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <vector>

using namespace mlir::mc;
namespace cl = llvm::cl;

namespace {

enum ExitCode { kSuccess = 0, kUsageError = 1, kMismatch = 2, kRunError = 3 };

cl::OptionCategory category("mc-run options");
cl::opt<std::string> libraryPath(cl::Positional, cl::desc("<libmodel.so>"),
                                 cl::Required, cl::cat(category));
cl::list<std::string> inputPaths("input",
                                 cl::desc("An input as .npy, in the model's "
                                          "input order"),
                                 cl::value_desc("x.npy"), cl::cat(category));
cl::list<std::string> outputPaths("output",
                                  cl::desc("Where to write an output (.npy), "
                                           "in the model's output order"),
                                  cl::value_desc("y.npy"), cl::cat(category));
cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time N runs and print the median "
                                     "latency"),
                            cl::value_desc("N"), cl::init(0),
                            cl::cat(category));
cl::opt<unsigned> warmupRuns("warmup",
                             cl::desc("Untimed runs before --bench (default "
                                      "3)"),
                             cl::value_desc("N"), cl::init(3),
                             cl::cat(category));
cl::opt<bool> printInfo("print-info",
                        cl::desc("Print the model's inputs and outputs and "
                                 "exit"),
                        cl::init(false), cl::cat(category));

int error(const llvm::Twine &message, int code) {
  llvm::errs() << "mc-run: error: " << message << "\n";
  return code;
}

/// "(batch, 1, 28, 28)" for a model shape.
std::string formatModelShape(const mc_tensor_info &tensor) {
  std::string text = "(";
  for (int32_t d = 0; d < tensor.rank; ++d) {
    if (d)
      text += ", ";
    text += tensor.shape[d] < 0 ? std::string("batch")
                                : std::to_string(tensor.shape[d]);
  }
  return text + (tensor.rank == 1 ? ",)" : ")");
}

void printModel(const mc_model_info_t &info) {
  llvm::outs() << "model '" << info.name << "': " << info.num_inputs
               << " input(s), " << info.num_outputs << " output(s), "
               << (info.batch < 0 ? std::string("dynamic batch")
                                  : "batch " + std::to_string(info.batch))
               << "\n";
  auto print = [](const char *kind, const mc_tensor_info *tensors, int32_t n) {
    for (int32_t i = 0; i < n; ++i)
      llvm::outs() << "  " << kind << " " << i << " '" << tensors[i].name
                   << "': " << getNpyDTypeName(tensors[i].dtype) << " "
                   << formatModelShape(tensors[i]) << "\n";
  };
  print("input ", info.inputs, info.num_inputs);
  print("output", info.outputs, info.num_outputs);
}

/// Checks one input file against the model's tensor; `batch` is the batch
/// in force (set from this input if it is still unknown and the tensor's
/// leading dimension is dynamic).
int checkInput(const mc_tensor_info &tensor, int32_t index,
               const NpyArray &array, llvm::StringRef path, int64_t &batch) {
  std::string what = "input " + std::to_string(index) + " ('" + tensor.name +
                     "') from " + path.str();
  if (array.getDType() != tensor.dtype)
    return error(what + " has dtype " + getNpyDTypeName(array.getDType()) +
                     ", the model expects " + getNpyDTypeName(tensor.dtype),
                 kMismatch);
  llvm::ArrayRef<int64_t> shape = array.getShape();
  std::string expected = formatModelShape(tensor);
  if (static_cast<int64_t>(shape.size()) != tensor.rank)
    return error(what + " has shape " + formatNpyShape(shape) + " (rank " +
                     std::to_string(shape.size()) + "), the model expects " +
                     expected + " (rank " + std::to_string(tensor.rank) + ")",
                 kMismatch);
  if (tensor.rank > 0 && tensor.shape[0] < 0 && batch < 0) {
    batch = shape[0];
    if (batch == 0)
      return error(what + " has shape " + formatNpyShape(shape) +
                       ": the batch (leading dimension) must be positive",
                   kMismatch);
  }
  for (int32_t d = 0; d < tensor.rank; ++d) {
    int64_t want = tensor.shape[d] < 0 ? batch : tensor.shape[d];
    if (shape[d] != want)
      return error(
          what + " has shape " + formatNpyShape(shape) +
              ", the model expects " + expected +
              (tensor.shape[0] < 0 ? " with batch = " + std::to_string(batch)
                                   : std::string()) +
              ": dimension " + std::to_string(d) + " is " +
              std::to_string(shape[d]) + ", not " + std::to_string(want),
          kMismatch);
  }
  return kSuccess;
}

/// Prints an output's shape and its first values.
void printOutput(const mc_tensor_info &tensor, int32_t index,
                 const NpyArray &array) {
  llvm::outs() << "output " << index << " '" << tensor.name
               << "': " << getNpyDTypeName(array.getDType()) << " "
               << formatNpyShape(array.getShape()) << "\n ";
  int64_t count = std::min<int64_t>(array.getNumElements(), 16);
  const void *data = array.getData();
  for (int64_t i = 0; i < count; ++i) {
    llvm::outs() << " ";
    switch (array.getDType()) {
    case 1:
      llvm::outs() << llvm::format("%g", static_cast<const float *>(data)[i]);
      break;
    case 11:
      llvm::outs() << llvm::format("%g", static_cast<const double *>(data)[i]);
      break;
    case 2:
    case 9:
      llvm::outs() << static_cast<const uint8_t *>(data)[i];
      break;
    case 3:
      llvm::outs() << static_cast<const int8_t *>(data)[i];
      break;
    case 6:
      llvm::outs() << static_cast<const int32_t *>(data)[i];
      break;
    case 7:
      llvm::outs() << static_cast<const int64_t *>(data)[i];
      break;
    default:
      llvm::outs() << "?";
    }
  }
  if (array.getNumElements() > count)
    llvm::outs() << " ...";
  llvm::outs() << "\n";
}

int run() {
  if (!llvm::sys::fs::exists(libraryPath))
    return error("cannot open '" + libraryPath +
                     "': no such file or directory",
                 kUsageError);
  // A path, never a name for the dynamic loader to search for.
  llvm::SmallString<256> path(libraryPath);
  if (std::error_code ec = llvm::sys::fs::make_absolute(path))
    return error("cannot resolve '" + libraryPath + "': " + ec.message(),
                 kUsageError);
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return error(llvm::Twine("cannot load '") + libraryPath + "': " + dlerror(),
                 kUsageError);
  auto getInfo = reinterpret_cast<const mc_model_info_t *(*)()>(
      dlsym(library, "mc_model_info"));
  auto runModel =
      reinterpret_cast<int (*)(const void *const *, void *const *, int64_t)>(
          dlsym(library, "mc_model_run"));
  auto lastError =
      reinterpret_cast<const char *(*)()>(dlsym(library, "mc_last_error"));
  if (!getInfo || !runModel || !lastError)
    return error("'" + libraryPath +
                     "' is not a model library built by mc-compile (it lacks "
                     "mc_model_info, mc_model_run or mc_last_error)",
                 kUsageError);
  const mc_model_info_t &info = *getInfo();
  if (info.abi_version != MC_ABI_VERSION)
    return error("'" + libraryPath + "' has runtime ABI version " +
                     llvm::Twine(info.abi_version) + ", mc-run speaks " +
                     llvm::Twine(MC_ABI_VERSION),
                 kUsageError);
  if (printInfo) {
    printModel(info);
    return kSuccess;
  }

  // Inputs.
  if (inputPaths.size() != static_cast<size_t>(info.num_inputs))
    return error("model '" + llvm::Twine(info.name) + "' takes " +
                     llvm::Twine(info.num_inputs) + " input(s), got " +
                     llvm::Twine(inputPaths.size()) +
                     " --input file(s); see --print-info",
                 kMismatch);
  if (!outputPaths.empty() &&
      outputPaths.size() != static_cast<size_t>(info.num_outputs))
    return error("model '" + llvm::Twine(info.name) + "' has " +
                     llvm::Twine(info.num_outputs) + " output(s), got " +
                     llvm::Twine(outputPaths.size()) + " --output file(s)",
                 kMismatch);
  std::vector<NpyArray> inputs;
  int64_t batch = info.batch;
  for (auto [i, path] : llvm::enumerate(inputPaths)) {
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return error(llvm::toString(array.takeError()), kUsageError);
    if (int status = checkInput(info.inputs[i], i, *array, path, batch))
      return status;
    inputs.push_back(std::move(*array));
  }
  if (batch < 0)
    batch = 1; // no input has a dynamic batch; outputs all static too

  // Outputs.
  std::vector<NpyArray> outputs;
  for (int32_t i = 0; i < info.num_outputs; ++i) {
    const mc_tensor_info &tensor = info.outputs[i];
    std::vector<int64_t> shape(tensor.shape, tensor.shape + tensor.rank);
    for (int64_t &size : shape)
      if (size < 0)
        size = batch;
    llvm::Expected<NpyArray> array = NpyArray::allocate(tensor.dtype, shape);
    if (!array)
      return error("output " + llvm::Twine(i) + " ('" + tensor.name +
                       "'): " + llvm::toString(array.takeError()),
                   kUsageError);
    outputs.push_back(std::move(*array));
  }

  std::vector<const void *> inputPointers;
  for (NpyArray &array : inputs)
    inputPointers.push_back(array.getData());
  std::vector<void *> outputPointers;
  for (NpyArray &array : outputs)
    outputPointers.push_back(array.getData());
  auto runOnce = [&]() {
    return runModel(inputPointers.data(), outputPointers.data(), batch);
  };
  if (runOnce() != MC_OK)
    return error(llvm::Twine("mc_model_run failed: ") + lastError(), kRunError);

  if (benchRuns > 0) {
    for (unsigned i = 0; i < warmupRuns; ++i)
      runOnce();
    std::vector<double> times;
    for (unsigned i = 0; i < benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      runOnce();
      auto end = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(times.begin(), times.end());
    double median =
        times.size() % 2
            ? times[times.size() / 2]
            : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
    llvm::outs() << llvm::format(
        "latency: median %.4f ms, min %.4f ms, max %.4f ms over %u runs "
        "(batch %lld, %u warm-up); %.1f samples/s\n",
        median, times.front(), times.back(), benchRuns.getValue(),
        static_cast<long long>(batch), warmupRuns.getValue(),
        batch * 1000.0 / median);
  }

  for (auto [i, array] : llvm::enumerate(outputs)) {
    if (outputPaths.empty()) {
      if (benchRuns == 0)
        printOutput(info.outputs[i], i, array);
      continue;
    }
    if (llvm::Error err = writeNpy(array, outputPaths[i]))
      return error(llvm::toString(std::move(err)), kUsageError);
  }
  return kSuccess;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "mc-run: run a model library built by "
                              "mc-compile on .npy files\n");
  return run();
}
