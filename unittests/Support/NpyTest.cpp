//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Byte-exact headers as NumPy writes them, round trips of every element
// type, and each malformed-file diagnostic.
//
//===----------------------------------------------------------------------===//

#include "mc/Support/Npy.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir::mc;

namespace {

/// A .npy file with `header` (padded as NumPy pads it) and `data`.
std::string makeNpy(const std::string &dict, const std::string &data,
                    char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += major;
  bytes += '\0';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  if (major != 1)
    bytes += std::string(2, '\0');
  return bytes + header + data;
}

std::string errorOf(llvm::Expected<NpyArray> array) {
  if (array)
    return "";
  return llvm::toString(array.takeError());
}

TEST(NpyTest, WritesWhatNumPyWrites) {
  // np.save of np.array([[1, 2, 3], [4, 5, 6]], np.float32), byte for byte.
  llvm::Expected<NpyArray> array = NpyArray::allocate(1, {2, 3});
  ASSERT_TRUE(static_cast<bool>(array));
  float values[] = {1, 2, 3, 4, 5, 6};
  std::memcpy(array->getData(), values, sizeof(values));
  std::string bytes = serializeNpy(*array);
  std::string data(reinterpret_cast<const char *>(values), sizeof(values));
  EXPECT_EQ(bytes, makeNpy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2, 3), }",
                           data));
  EXPECT_EQ((bytes.size() - data.size()) % 64, 0u);
}

TEST(NpyTest, RoundTripsEveryType) {
  for (int32_t dtype : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13}) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {5}, {2, 0, 3}, {1, 2, 3, 4}}) {
      llvm::Expected<NpyArray> array = NpyArray::allocate(dtype, shape);
      ASSERT_TRUE(static_cast<bool>(array));
      auto *bytes = static_cast<unsigned char *>(array->getData());
      for (int64_t i = 0; i < array->getNumBytes(); ++i)
        bytes[i] = static_cast<unsigned char>(i * 7 + dtype);
      llvm::Expected<NpyArray> back = parseNpy(serializeNpy(*array), "t");
      ASSERT_TRUE(static_cast<bool>(back)) << errorOf(std::move(back));
      EXPECT_EQ(back->getDType(), dtype);
      EXPECT_EQ(back->getShape(), llvm::ArrayRef<int64_t>(shape));
      ASSERT_EQ(back->getNumBytes(), array->getNumBytes());
      EXPECT_EQ(
          std::memcmp(back->getData(), array->getData(), array->getNumBytes()),
          0);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(back->getData()) % 64, 0u);
    }
  }
}

TEST(NpyTest, ReadsOtherSpellings) {
  // Version 2.0, double quotes, keys in another order, no trailing comma,
  // native byte order, a Python 2 long.
  std::string data(8, '\1');
  llvm::Expected<NpyArray> array =
      parseNpy(makeNpy("{\"shape\": (2L,), \"fortran_order\": False, "
                       "\"descr\": \"=i4\"}",
                       data, 2),
               "t");
  ASSERT_TRUE(static_cast<bool>(array)) << errorOf(std::move(array));
  EXPECT_EQ(array->getDType(), 6);
  EXPECT_EQ(array->getShape(), llvm::ArrayRef<int64_t>({2}));
  // Single-byte types may say '|'; bool is 'b1'.
  array = parseNpy(makeNpy("{'descr': '|b1', 'fortran_order': False, "
                           "'shape': (3,), }",
                           std::string("\1\0\1", 3)),
                   "t");
  ASSERT_TRUE(static_cast<bool>(array)) << errorOf(std::move(array));
  EXPECT_EQ(array->getDType(), 9);
}

TEST(NpyTest, RejectsWhatItCannotRead) {
  auto parse = [](const std::string &dict, const std::string &data) {
    return errorOf(parseNpy(makeNpy(dict, data), "x.npy"));
  };
  EXPECT_EQ(errorOf(parseNpy("hello", "x.npy")),
            "x.npy: not a .npy file (no \\x93NUMPY magic)");
  EXPECT_EQ(parse("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                  std::string(4, '\0')),
            "x.npy: big-endian data ('>f4') is not supported; save "
            "x.astype('<f4') instead");
  EXPECT_EQ(parse("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                  std::string(4, '\0')),
            "x.npy: Fortran-order arrays are not supported; save "
            "np.ascontiguousarray(x) instead");
  EXPECT_EQ(parse("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                  std::string(8, '\0')),
            "x.npy: unsupported element type '<c8' (supported: "
            "float16/32/64, int8/16/32/64, uint8/16/32/64, bool)");
  EXPECT_EQ(parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                  std::string(8, '\0')),
            "x.npy: expected 12 bytes of data for float32 (3,), found 8");
  EXPECT_EQ(parse("{'descr': '<f4', 'shape': (3,), }", std::string(12, '\0')),
            "x.npy: the .npy header lacks 'descr', 'fortran_order' or "
            "'shape': {'descr': '<f4', 'shape': (3,), }");
  EXPECT_NE(parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, ", ""),
            "");
  EXPECT_NE(parse("{'descr': '<f4', 'fortran_order': False, 'shape': "
                  "(99999999999, 99999999999), }",
                  ""),
            "");
  std::string truncated =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "");
  EXPECT_EQ(errorOf(parseNpy(truncated.substr(0, 12), "x.npy")),
            "x.npy: truncated .npy header");
}

TEST(NpyTest, FormatsShapesAsNumPy) {
  EXPECT_EQ(formatNpyShape({}), "()");
  EXPECT_EQ(formatNpyShape({3}), "(3,)");
  EXPECT_EQ(formatNpyShape({2, 1, 28, 28}), "(2, 1, 28, 28)");
}

} // namespace
