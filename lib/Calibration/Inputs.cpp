//===- Inputs.cpp - Reading calibration inputs ----------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// loadCalibrationData: .npy files (lib/Support/Npy.cpp), serialized ONNX
// TensorProto .pb files, and folders of either, checked against the model's
// inputs and stacked along the batch dimension.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Calibrate.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace mlir::mc;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(message);
}

/// Reads one serialized onnx.TensorProto.
static llvm::Expected<NpyArray> readTensorProto(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  onnx::TensorProto tensor;
  StringRef bytes = (*buffer)->getBuffer();
  if (!tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return makeError("'" + path + "' is not a serialized onnx.TensorProto");
  int32_t dtype = tensor.data_type();
  int64_t elementSize = getNpyElementSize(dtype);
  if (!elementSize || dtype == onnx::TensorProto::BFLOAT16)
    return makeError("'" + path + "' holds ONNX data type " + Twine(dtype) +
                     ", which calibration does not read");
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    return makeError("'" + path + "' uses external data, which is "
                                  "unsupported");
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return makeError("'" + path + "' has a negative dimension");
  llvm::Expected<NpyArray> array = NpyArray::allocate(dtype, shape);
  if (!array)
    return makeError("'" + path + "': " + llvm::toString(array.takeError()));
  int64_t count = array->getNumElements();
  auto wrongSize = [&](int64_t have) {
    return makeError("'" + path + "' holds " + Twine(have) +
                     " values; its shape needs " + Twine(count));
  };
  char *out = static_cast<char *>(array->getData());
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != count * elementSize)
      return wrongSize(raw.size() / elementSize);
    std::memcpy(out, raw.data(), raw.size());
    return array;
  }
  // Typed fields: ONNX stores narrow integers and float16 in int32_data.
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
    if (tensor.float_data_size() != count)
      return wrongSize(tensor.float_data_size());
    std::memcpy(out, tensor.float_data().data(), count * 4);
    break;
  case onnx::TensorProto::DOUBLE:
    if (tensor.double_data_size() != count)
      return wrongSize(tensor.double_data_size());
    std::memcpy(out, tensor.double_data().data(), count * 8);
    break;
  case onnx::TensorProto::INT64:
    if (tensor.int64_data_size() != count)
      return wrongSize(tensor.int64_data_size());
    std::memcpy(out, tensor.int64_data().data(), count * 8);
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (tensor.uint64_data_size() != count)
      return wrongSize(tensor.uint64_data_size());
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v = tensor.uint64_data(i);
      std::memcpy(out + i * elementSize, &v, elementSize);
    }
    break;
  default: // int32, int16, int8, uint16, uint8, bool, float16
    if (tensor.int32_data_size() != count)
      return wrongSize(tensor.int32_data_size());
    for (int64_t i = 0; i < count; ++i) {
      int32_t v = tensor.int32_data(i);
      std::memcpy(out + i * elementSize, &v, elementSize);
    }
    break;
  }
  return array;
}

static llvm::Expected<NpyArray> readArray(StringRef path) {
  if (llvm::sys::path::extension(path) == ".pb")
    return readTensorProto(path);
  llvm::Expected<NpyArray> array = readNpy(path);
  if (!array)
    return makeError("'" + path + "': " + llvm::toString(array.takeError()));
  return array;
}

/// "(N, 1, 28, 28)": the input's shape as calibration data must have it.
static std::string describeInput(const TensorSignature &input) {
  std::string text = "(";
  for (auto [i, size] : llvm::enumerate(input.shape)) {
    if (i)
      text += ", ";
    text += size < 0 ? std::string("N") : std::to_string(size);
  }
  return text + (input.shape.size() == 1 ? ",)" : ")");
}

/// Checks `array` against `input`; adds the batch dimension of a single
/// sample. Returns the number of samples.
static llvm::Expected<int64_t> checkArray(NpyArray &array, StringRef path,
                                          const TensorSignature &input) {
  if (array.getDType() != input.dtype)
    return makeError("calibration data '" + path + "' holds " +
                     getNpyDTypeName(array.getDType()) + "; input '" +
                     input.name + "' takes " +
                     getRuntimeDTypeName(input.dtype));
  ArrayRef<int64_t> shape = array.getShape();
  ArrayRef<int64_t> want = input.shape;
  auto mismatch = [&]() {
    return makeError("calibration data '" + path + "' has shape " +
                     formatNpyShape(shape) + "; input '" + input.name +
                     "' takes " + describeInput(input));
  };
  if (want.empty())
    return makeError("input '" + input.name +
                     "' is a scalar; calibration needs a batch dimension");
  bool dynamic = want[0] < 0;
  if (dynamic && shape == want.drop_front()) {
    // One sample without its batch dimension.
    NpyArray batched = std::move(array);
    SmallVector<int64_t> newShape = {1};
    llvm::append_range(newShape, batched.getShape());
    llvm::Expected<NpyArray> copy =
        NpyArray::allocate(batched.getDType(), newShape);
    if (!copy)
      return copy.takeError();
    std::memcpy(copy->getData(), batched.getData(), batched.getNumBytes());
    array = std::move(*copy);
    return 1;
  }
  if (shape.size() != want.size() || shape.drop_front() != want.drop_front())
    return mismatch();
  if (shape[0] == 0)
    return makeError("calibration data '" + path + "' holds no samples");
  if (!dynamic && shape[0] % want[0] != 0)
    return makeError("calibration data '" + path + "' has " +
                     Twine(shape[0]) + " samples; the model runs at a " +
                     "static batch of " + Twine(want[0]) +
                     ", which must divide it");
  return shape[0];
}

namespace {
/// One set of arrays, one per input, with the same number of samples.
struct SampleSet {
  SmallVector<NpyArray> arrays;
  int64_t numSamples = 0;
};
} // namespace

static llvm::Error collect(StringRef path, ArrayRef<TensorSignature> inputs,
                           SmallVectorImpl<SampleSet> &sets);

/// A file that feeds the single input of the model.
static llvm::Error collectFile(StringRef path,
                               ArrayRef<TensorSignature> inputs,
                               SmallVectorImpl<SampleSet> &sets) {
  if (inputs.size() != 1)
    return makeError("calibration data '" + path + "' is one file, but the " +
                     "model has " + Twine(inputs.size()) +
                     " inputs; give a folder with input_0, input_1, ... "
                     "files");
  llvm::Expected<NpyArray> array = readArray(path);
  if (!array)
    return array.takeError();
  llvm::Expected<int64_t> count = checkArray(*array, path, inputs[0]);
  if (!count)
    return count.takeError();
  SampleSet set;
  set.arrays.push_back(std::move(*array));
  set.numSamples = *count;
  sets.push_back(std::move(set));
  return llvm::Error::success();
}

static llvm::Error collectFolder(StringRef path,
                                 ArrayRef<TensorSignature> inputs,
                                 SmallVectorImpl<SampleSet> &sets) {
  std::vector<std::string> files, folders;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef entry = it->path();
    if (llvm::sys::fs::is_directory(entry))
      folders.push_back(entry.str());
    else if (llvm::sys::path::extension(entry) == ".npy" ||
             llvm::sys::path::extension(entry) == ".pb")
      files.push_back(entry.str());
  }
  if (ec)
    return makeError("cannot list calibration folder '" + path +
                     "': " + ec.message());
  llvm::sort(files);
  llvm::sort(folders);
  if (inputs.size() == 1) {
    for (const std::string &file : files)
      if (llvm::Error error = collectFile(file, inputs, sets))
        return error;
  } else if (!files.empty()) {
    // One file per input, named after its position.
    SampleSet set;
    set.arrays.resize(inputs.size());
    SmallVector<bool> seen(inputs.size(), false);
    for (const std::string &file : files) {
      StringRef stem = llvm::sys::path::stem(file);
      unsigned index;
      if (!stem.consume_front("input_") || stem.getAsInteger(10, index) ||
          index >= inputs.size())
        return makeError("calibration file '" + file + "' is not named " +
                         "input_K (K < " + Twine(inputs.size()) +
                         "), as a model with several inputs needs");
      if (seen[index])
        return makeError("calibration folder '" + path +
                         "' has two files for input_" + Twine(index));
      seen[index] = true;
      llvm::Expected<NpyArray> array = readArray(file);
      if (!array)
        return array.takeError();
      llvm::Expected<int64_t> count = checkArray(*array, file, inputs[index]);
      if (!count)
        return count.takeError();
      if (index != 0 && set.numSamples && *count != set.numSamples)
        return makeError("calibration folder '" + path + "': '" + file +
                         "' has " + Twine(*count) + " samples, input_0 has " +
                         Twine(set.numSamples));
      set.numSamples = *count;
      set.arrays[index] = std::move(*array);
    }
    for (auto [index, present] : llvm::enumerate(seen))
      if (!present)
        return makeError("calibration folder '" + path + "' has no input_" +
                         Twine(index) + " file");
    for (const NpyArray &array : set.arrays)
      if (array.getShape()[0] != set.numSamples)
        return makeError("calibration folder '" + path +
                         "': the inputs have different numbers of samples");
    sets.push_back(std::move(set));
  }
  for (const std::string &folder : folders)
    if (llvm::Error error = collect(folder, inputs, sets))
      return error;
  return llvm::Error::success();
}

static llvm::Error collect(StringRef path, ArrayRef<TensorSignature> inputs,
                           SmallVectorImpl<SampleSet> &sets) {
  if (llvm::sys::fs::is_directory(path))
    return collectFolder(path, inputs, sets);
  StringRef extension = llvm::sys::path::extension(path);
  if (extension != ".npy" && extension != ".pb")
    return makeError("calibration data '" + path +
                     "': expected a .npy file, a .pb file or a folder");
  return collectFile(path, inputs, sets);
}

llvm::Expected<CalibrationData>
mlir::mc::loadCalibrationData(StringRef path,
                              ArrayRef<TensorSignature> inputs) {
  if (!llvm::sys::fs::exists(path))
    return makeError("cannot open calibration data '" + path +
                     "': no such file or directory");
  if (inputs.empty())
    return makeError("the model has no inputs to calibrate");
  SmallVector<SampleSet> sets;
  if (llvm::Error error = collect(path, inputs, sets))
    return std::move(error);
  if (sets.empty())
    return makeError("calibration folder '" + path +
                     "' holds no .npy or .pb files");

  // Stack every set along the batch dimension.
  CalibrationData data;
  for (const SampleSet &set : sets)
    data.numSamples += set.numSamples;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    SmallVector<int64_t> shape = {data.numSamples};
    llvm::append_range(shape, sets.front().arrays[index].getShape().drop_front());
    llvm::Expected<NpyArray> stacked = NpyArray::allocate(input.dtype, shape);
    if (!stacked)
      return stacked.takeError();
    char *out = static_cast<char *>(stacked->getData());
    for (const SampleSet &set : sets) {
      const NpyArray &array = set.arrays[index];
      std::memcpy(out, array.getData(), array.getNumBytes());
      out += array.getNumBytes();
    }
    data.inputs.push_back(std::move(*stacked));
  }
  return data;
}
