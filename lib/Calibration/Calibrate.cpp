//===- Calibrate.cpp - Run the float model over calibration data ----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// calibrate(): the observer variant of the entry function is compiled by
// mc's own CPU target into temporary shared libraries (several when the taps
// exceed the runtime ABI's tensor limit), loaded with dlopen, and run over
// the calibration inputs in batches. A first sweep gathers min / max / count
// and the column norms and keeps the tapped tensors in memory while they fit
// in CalibrationOptions::retainBytes; the histograms, whose bins span the
// final [min, max], come from the kept tensors or from a second sweep.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Calibrate.h"

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include "mc/runtime.h"

#include <chrono>
#include <ctime>
#include <cmath>
#include <dlfcn.h>
#include <limits>

using namespace mlir;
using namespace mlir::mc;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(message);
}

namespace {

/// The name of the calibration variant inside the cloned module.
constexpr llvm::StringLiteral kCalibFunction = "main_calib";

/// One compiled and loaded part of the observer variant.
struct Library {
  std::string path;
  void *handle = nullptr;
  int (*run)(const void *const *, void *const *, int64_t) = nullptr;
  const char *(*lastError)() = nullptr;
  /// The taps (indices into the manifest's tap list) it returns, in order.
  SmallVector<int64_t> taps;

  ~Library() {
    if (handle)
      dlclose(handle);
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

/// What is accumulated for one tap.
struct TapState {
  SmallVector<int64_t> shape; // -1: the batch
  /// Key of its range statistics; empty when only column norms use it.
  std::string rangeKey;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  int64_t count = 0;
  std::vector<int64_t> hist;
  /// Layers that take this tap as input and need column norms.
  SmallVector<std::pair<std::string, Operation *>> normUsers;
  /// Tensors kept for the histogram, one per batch.
  std::vector<std::vector<float>> kept;
};

/// Progress on stderr: "\r<phase>: done/total samples".
struct Progress {
  bool enabled;
  void update(StringRef phase, int64_t done, int64_t total) {
    if (!enabled)
      return;
    llvm::errs() << "\rmc-compile: " << phase << ": " << done << "/" << total
                 << " samples";
    if (done == total)
      llvm::errs() << "\n";
    llvm::errs().flush();
  }
  void note(const Twine &text) {
    if (enabled)
      llvm::errs() << "mc-compile: " << text << "\n";
  }
};

} // namespace

/// Accumulates the squared column entries of a linear layer's input.
static void accumulateLinear(const float *x, int64_t numElements,
                             std::vector<double> &sums) {
  int64_t k = sums.size();
  for (int64_t row = 0; row < numElements / k; ++row)
    for (int64_t j = 0; j < k; ++j) {
      float v = x[row * k + j];
      if (std::isfinite(v))
        sums[j] += double(v) * v;
    }
}

/// Accumulates the squared im2col column entries of a conv's input
/// [n, C, H, W]: column (c, i, j) meets input (c, oh*sh - pt + i*dh,
/// ow*sw - pl + j*dw) at every output position; padding adds zero.
static void accumulateConv(Conv2DOp conv, const float *x, int64_t batch,
                           ArrayRef<int64_t> shape, std::vector<double> &sums) {
  int64_t c = shape[1], h = shape[2], w = shape[3];
  auto weight = cast<RankedTensorType>(conv.getWeight().getType());
  int64_t kh = weight.getDimSize(2), kw = weight.getDimSize(3);
  ArrayRef<int64_t> strides = conv.getStrides(), pads = conv.getPads(),
                    dilations = conv.getDilations();
  int64_t oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) /
                   strides[0] + 1;
  int64_t ow = (w + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) /
                   strides[1] + 1;
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t ch = 0; ch < c; ++ch) {
      const float *plane = x + (n * c + ch) * h * w;
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          double sum = 0;
          for (int64_t y = 0; y < oh; ++y) {
            int64_t ih = y * strides[0] - pads[0] + i * dilations[0];
            if (ih < 0 || ih >= h)
              continue;
            for (int64_t xo = 0; xo < ow; ++xo) {
              int64_t iw = xo * strides[1] - pads[1] + j * dilations[1];
              if (iw < 0 || iw >= w)
                continue;
              float v = plane[ih * w + iw];
              if (std::isfinite(v))
                sum += double(v) * v;
            }
          }
          sums[(ch * kh + i) * kw + j] += sum;
        }
    }
}

/// Adds the finite values of `x` to the histogram of `tap`.
static void accumulateHistogram(TapState &tap, const float *x, int64_t n) {
  int64_t bins = tap.hist.size();
  double width = tap.max - tap.min;
  double scale = width > 0 ? bins / width : 0;
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i];
    if (!std::isfinite(v))
      continue;
    int64_t bin = static_cast<int64_t>((double(v) - tap.min) * scale);
    tap.hist[std::clamp<int64_t>(bin, 0, bins - 1)] += 1;
  }
}

/// Compiles `module` (its @main is one part of the observer variant) into a
/// shared library at a temporary path and loads it.
static llvm::Error buildLibrary(ModuleOp module,
                                const CalibrationOptions &options,
                                Library &library) {
  if (failed(lowerToLLVMDialect(module, options.target)))
    return makeError("compiling the calibration variant failed");
  std::string message;
  std::unique_ptr<llvm::TargetMachine> machine =
      createCPUTargetMachine(options.target, message);
  if (!machine)
    return makeError(message);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateToLLVMIR(module, llvmContext, *machine, options.target);
  if (!llvmModule)
    return makeError("translating the calibration variant to LLVM IR failed");
  SmallString<128> objectPath, libraryPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mc-calib", "o", objectPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeObject(objectPath);
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mc-calib", "so", libraryPath))
    return makeError("cannot create a temporary file: " + ec.message());
  library.path = libraryPath.str().str();
  if (failed(emitObjectFile(*llvmModule, *machine, objectPath, message)) ||
      failed(linkSharedLibrary(objectPath, libraryPath,
                               options.runtimeLibrary, options.linker,
                               message)))
    return makeError(message);
  library.handle = dlopen(library.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library.handle)
    return makeError(Twine("cannot load the calibration library: ") +
                     dlerror());
  library.run =
      reinterpret_cast<int (*)(const void *const *, void *const *, int64_t)>(
          dlsym(library.handle, "mc_model_run"));
  library.lastError = reinterpret_cast<const char *(*)()>(
      dlsym(library.handle, "mc_last_error"));
  if (!library.run || !library.lastError)
    return makeError("the calibration library lacks the runtime ABI");
  return llvm::Error::success();
}

/// Keeps only the results `taps` of @main in `module`.
static void selectResults(ModuleOp module, ArrayRef<int64_t> taps) {
  auto func = module.lookupSymbol<func::FuncOp>(kRuntimeABIFunction);
  auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<Value> results;
  SmallVector<DictionaryAttr> attrs;
  for (int64_t tap : taps) {
    results.push_back(returnOp.getOperand(tap));
    attrs.push_back(func.getResultAttrDict(tap));
  }
  returnOp->setOperands(results);
  func.setFunctionType(FunctionType::get(module.getContext(),
                                         func.getArgumentTypes(),
                                         ValueRange(results).getTypes()));
  func.setAllResultAttrs(attrs);
}

llvm::Expected<CalibrationTable>
mlir::mc::calibrate(ModuleOp module, const CalibrationData &data,
                    const CalibrationOptions &options) {
  Progress progress{options.showProgress};
  auto start = std::chrono::steady_clock::now();
  if (options.batchSize <= 0)
    return makeError("the calibration batch size must be positive");
  if (options.numBins < 0)
    return makeError("the number of histogram bins must not be negative");

  // The observer variant, renamed @main so that the runtime ABI sees it.
  OwningOpRef<ModuleOp> observed = module.clone();
  PassManager pm(module.getContext());
  MCInsertObserversPassOptions observerOptions;
  observerOptions.function = kRuntimeABIFunction.str();
  observerOptions.calibFunction = kCalibFunction.str();
  pm.addPass(createMCInsertObserversPass(observerOptions));
  if (failed(pm.run(*observed)))
    return makeError("inserting the calibration observers failed");
  auto calib = observed->lookupSymbol<func::FuncOp>(kCalibFunction);
  observed->lookupSymbol<func::FuncOp>(kRuntimeABIFunction).erase();
  calib.setSymName(kRuntimeABIFunction);

  // The taps and what each one feeds. The batch comes from the model's
  // own signature; the variant may have more results than one library can.
  FailureOr<ModelSignature> signature = getModelSignature(module);
  if (failed(signature))
    return makeError("the model does not fit the runtime ABI");
  std::vector<TapState> taps(calib.getNumResults());
  for (auto [index, tap] : llvm::enumerate(taps)) {
    auto type = cast<RankedTensorType>(calib.getResultTypes()[index]);
    for (auto [dim, size] : llvm::enumerate(type.getShape())) {
      if (ShapedType::isDynamic(size) && dim != 0)
        return makeError(
            "cannot calibrate: the tensor '" +
            cast<StringAttr>(calib.getResultAttr(index, "mc.name"))
                .getValue() +
            "' has a dynamic dimension other than the batch");
      tap.shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
    }
    if (options.numBins > 0)
      tap.hist.assign(options.numBins, 0);
  }
  llvm::StringMap<Operation *> layers;
  for (const ObservedValue &value : getObservedValues(calib))
    if (value.op)
      layers[value.key] = value.op;
  auto manifest = calib->getAttrOfType<ArrayAttr>(kCalibTapsAttrName);
  for (auto entryAttr : manifest.getAsRange<DictionaryAttr>()) {
    StringRef key = cast<StringAttr>(entryAttr.get("key")).getValue();
    StringRef stat = cast<StringAttr>(entryAttr.get("stat")).getValue();
    int64_t tap = cast<IntegerAttr>(entryAttr.get("tap")).getInt();
    if (stat == "range")
      taps[tap].rangeKey = key.str();
    else
      taps[tap].normUsers.push_back({key.str(), layers.lookup(key)});
  }

  // Parts of at most kRuntimeABIMaxTensors tensors each.
  int64_t numInputs = signature->inputs.size();
  int64_t perPart = kRuntimeABIMaxTensors - numInputs;
  if (perPart <= 0)
    return makeError("the model has too many inputs for the runtime ABI");
  std::vector<std::unique_ptr<Library>> libraries;
  int64_t numTaps = taps.size();
  int64_t numParts = (numTaps + perPart - 1) / perPart;
  for (int64_t first = 0; first < numTaps; first += perPart) {
    auto library = std::make_unique<Library>();
    for (int64_t t = first; t < std::min(numTaps, first + perPart); ++t)
      library->taps.push_back(t);
    OwningOpRef<ModuleOp> part = observed->clone();
    selectResults(*part, library->taps);
    progress.note("compiling the calibration variant" +
                  (numParts > 1 ? " (part " + Twine(libraries.size() + 1) +
                                      " of " + Twine(numParts) + ")"
                                : Twine()) +
                  ", " + Twine(library->taps.size()) + " taps");
    if (llvm::Error error = buildLibrary(*part, options, *library))
      return std::move(error);
    libraries.push_back(std::move(library));
  }

  auto compiled = std::chrono::steady_clock::now();
  std::clock_t compiledCPU = std::clock();
  progress.note("compiled in " +
                llvm::formatv("{0:f2}", std::chrono::duration<double>(
                                            compiled - start)
                                            .count()) +
                " s");

  // Batches: the static batch, or options.batchSize samples.
  int64_t batchSize = signature->batch > 0 ? signature->batch
                                           : options.batchSize;
  if (signature->batch > 0 && data.numSamples % signature->batch != 0)
    return makeError("the calibration set has " + Twine(data.numSamples) +
                     " samples; the model's static batch " +
                     Twine(signature->batch) + " must divide it");
  SmallVector<int64_t> sampleBytes;
  for (const NpyArray &input : data.inputs)
    sampleBytes.push_back(input.getNumBytes() / data.numSamples);

  auto elementsOf = [&](const TapState &tap, int64_t batch) {
    int64_t n = 1;
    for (int64_t size : tap.shape)
      n *= size < 0 ? batch : size;
    return n;
  };

  // Runs one batch; `consume(tap, data, batch)` sees each tapped tensor.
  std::vector<std::vector<float>> buffers(numTaps);
  auto runBatch = [&](int64_t first, int64_t batch,
                      llvm::function_ref<void(int64_t, std::vector<float> &,
                                              int64_t)>
                          consume) -> llvm::Error {
    SmallVector<const void *> inputs;
    for (auto [index, input] : llvm::enumerate(data.inputs))
      inputs.push_back(static_cast<const char *>(input.getData()) +
                       first * sampleBytes[index]);
    for (auto &library : libraries) {
      SmallVector<void *> outputs;
      for (int64_t tap : library->taps) {
        buffers[tap].resize(elementsOf(taps[tap], batch));
        outputs.push_back(buffers[tap].data());
      }
      if (library->run(inputs.data(), outputs.data(), batch) != MC_OK)
        return makeError(Twine("running the calibration model failed: ") +
                         library->lastError());
      for (int64_t tap : library->taps)
        consume(tap, buffers[tap], batch);
    }
    return llvm::Error::success();
  };

  // Sweep 1: ranges, column norms, and the tensors while they fit.
  llvm::StringMap<std::vector<double>> sums;
  for (TapState &tap : taps)
    for (auto &[key, op] : tap.normUsers) {
      int64_t n = 1;
      for (int64_t size : getColumnNormShape(op))
        n *= size;
      sums[key].assign(n, 0.0);
    }
  uint64_t keptBytes = 0;
  bool keep = options.numBins > 0;
  for (int64_t first = 0; first < data.numSamples; first += batchSize) {
    int64_t batch = std::min(batchSize, data.numSamples - first);
    llvm::Error error = runBatch(
        first, batch, [&](int64_t index, std::vector<float> &values,
                          int64_t batch) {
          TapState &tap = taps[index];
          if (!tap.rangeKey.empty()) {
            for (float v : values) {
              if (!std::isfinite(v))
                continue;
              tap.min = std::min(tap.min, double(v));
              tap.max = std::max(tap.max, double(v));
              ++tap.count;
            }
          }
          for (auto &[key, op] : tap.normUsers) {
            if (auto conv = dyn_cast<Conv2DOp>(op)) {
              SmallVector<int64_t> shape(tap.shape);
              shape[0] = batch;
              accumulateConv(conv, values.data(), batch, shape, sums[key]);
            } else {
              accumulateLinear(values.data(), values.size(), sums[key]);
            }
          }
          if (keep && !tap.rangeKey.empty()) {
            keptBytes += values.size() * sizeof(float);
            if (keptBytes > options.retainBytes) {
              keep = false;
              for (TapState &other : taps)
                other.kept.clear();
            } else {
              tap.kept.push_back(values);
            }
          }
        });
    if (error)
      return std::move(error);
    progress.update("calibrating", first + batch, data.numSamples);
  }
  for (TapState &tap : taps)
    if (tap.count == 0)
      tap.min = tap.max = 0;

  // Sweep 2: histograms over [min, max].
  if (options.numBins > 0) {
    if (keep) {
      for (TapState &tap : taps) {
        for (const std::vector<float> &values : tap.kept)
          accumulateHistogram(tap, values.data(), values.size());
        tap.kept.clear();
      }
    } else {
      progress.note("the tapped tensors exceed the memory budget; running "
                    "the model again for the histograms");
      for (int64_t first = 0; first < data.numSamples; first += batchSize) {
        int64_t batch = std::min(batchSize, data.numSamples - first);
        llvm::Error error = runBatch(
            first, batch,
            [&](int64_t index, std::vector<float> &values, int64_t) {
              if (!taps[index].rangeKey.empty())
                accumulateHistogram(taps[index], values.data(), values.size());
            });
        if (error)
          return std::move(error);
        progress.update("histograms", first + batch, data.numSamples);
      }
    }
  }

  CalibrationTable table;
  table.numSamples = data.numSamples;
  for (TapState &tap : taps) {
    if (tap.rangeKey.empty())
      continue;
    RangeStats &stats = table.ranges[tap.rangeKey];
    stats.min = tap.min;
    stats.max = tap.max;
    stats.count = tap.count;
    stats.hist = std::move(tap.hist);
    for (auto &[key, op] : tap.normUsers) {
      ColumnNorms &norms = table.colNorms[key];
      norms.shape = getColumnNormShape(op);
      for (double sum : sums[key])
        norms.values.push_back(static_cast<float>(std::sqrt(sum)));
    }
  }
  for (TapState &tap : taps) {
    if (!tap.rangeKey.empty())
      continue;
    for (auto &[key, op] : tap.normUsers) {
      ColumnNorms &norms = table.colNorms[key];
      norms.shape = getColumnNormShape(op);
      for (double sum : sums[key])
        norms.values.push_back(static_cast<float>(std::sqrt(sum)));
    }
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - compiled)
                       .count();
  progress.note("calibrated " + Twine(table.ranges.size()) + " tensors and " +
                Twine(table.colNorms.size()) + " layers on " +
                Twine(data.numSamples) + " samples in " +
                llvm::formatv("{0:f2}", seconds) + " s (" +
                llvm::formatv("{0:f2}", double(std::clock() - compiledCPU) /
                                            CLOCKS_PER_SEC) +
                " s of CPU)");
  return table;
}
