//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The format (numpy/lib/format.py): the magic "\x93NUMPY", a major and minor
// version byte, the header length (uint16 little-endian for 1.0, uint32 for
// 2.0 and 3.0), then the header, a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ending in '\n' so that the data starts at a
// multiple of 64 bytes, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "mc/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

using namespace mlir::mc;
using llvm::StringRef;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr int64_t kAlignment = 64;

/// Element types: mc_dtype code, NumPy kind character, size, name.
struct DTypeInfo {
  int32_t code;
  char kind;
  int64_t size;
  const char *name;
};
constexpr DTypeInfo kDTypes[] = {
    {1, 'f', 4, "float32"},  {2, 'u', 1, "uint8"},   {3, 'i', 1, "int8"},
    {4, 'u', 2, "uint16"},   {5, 'i', 2, "int16"},   {6, 'i', 4, "int32"},
    {7, 'i', 8, "int64"},    {9, 'b', 1, "bool"},    {10, 'f', 2, "float16"},
    {11, 'f', 8, "float64"}, {12, 'u', 4, "uint32"}, {13, 'u', 8, "uint64"},
};

const DTypeInfo *lookup(int32_t code) {
  for (const DTypeInfo &info : kDTypes)
    if (info.code == code)
      return &info;
  return nullptr;
}

llvm::Error fail(StringRef name, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + message);
}

/// Recursive-descent parser of the header's dict literal.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  bool consume(char c) {
    skipSpace();
    if (text.empty() || text.front() != c)
      return false;
    text = text.drop_front();
    return true;
  }
  bool atEnd() {
    skipSpace();
    return text.empty();
  }
  /// A '...' or "..." string without escapes (NumPy writes none).
  bool parseString(std::string &value) {
    skipSpace();
    if (text.empty() || (text.front() != '\'' && text.front() != '"'))
      return false;
    char quote = text.front();
    size_t end = text.find(quote, 1);
    if (end == StringRef::npos)
      return false;
    value = text.substr(1, end - 1).str();
    text = text.drop_front(end + 1);
    return true;
  }
  bool parseBool(bool &value) {
    skipSpace();
    if (text.consume_front("True"))
      return value = true, true;
    if (text.consume_front("False"))
      return value = false, true;
    return false;
  }
  /// A tuple of non-negative integers: (), (3,), (2, 3).
  bool parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpace();
      size_t digits = 0;
      while (digits < text.size() && llvm::isDigit(text[digits]))
        ++digits;
      int64_t size;
      if (digits == 0 || digits > 18 ||
          text.substr(0, digits).getAsInteger(10, size))
        return false;
      text = text.drop_front(digits);
      text.consume_front("L"); // Python 2 longs
      shape.push_back(size);
      if (!consume(',')) {
        if (!consume(')'))
          return false;
        break;
      }
    }
    return true;
  }

private:
  void skipSpace() { text = text.ltrim(" \t\r\n"); }
  StringRef text;
};

} // namespace

int64_t mlir::mc::getNpyElementSize(int32_t dtype) {
  const DTypeInfo *info = lookup(dtype);
  return info ? info->size : 0;
}

StringRef mlir::mc::getNpyDTypeName(int32_t dtype) {
  const DTypeInfo *info = lookup(dtype);
  return info ? info->name : "unknown";
}

std::string mlir::mc::formatNpyShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (auto [i, size] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(size);
  return text + (shape.size() == 1 ? ",)" : ")");
}

void NpyArray::Free::operator()(void *pointer) const { std::free(pointer); }

int64_t NpyArray::getNumElements() const {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

llvm::Expected<NpyArray> NpyArray::allocate(int32_t dtype,
                                            llvm::ArrayRef<int64_t> shape) {
  int64_t bytes = getNpyElementSize(dtype);
  if (!bytes)
    return fail("npy", "unsupported element type code " + llvm::Twine(dtype));
  for (int64_t size : shape) {
    if (size < 0 || (size && bytes > INT64_MAX / 2 / size))
      return fail("npy", "the shape " + formatNpyShape(shape) +
                             " is negative or too large");
    bytes *= size;
  }
  NpyArray array;
  array.dtype = dtype;
  array.shape.assign(shape.begin(), shape.end());
  array.numBytes = bytes;
  // aligned_alloc wants a multiple of the alignment, and at least one byte.
  int64_t allocated = std::max<int64_t>(
      kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  void *data = std::aligned_alloc(kAlignment, allocated);
  if (!data)
    return fail("npy",
                "out of memory allocating " + llvm::Twine(bytes) + " bytes");
  std::memset(data, 0, allocated);
  array.data.reset(static_cast<char *>(data));
  return array;
}

llvm::Expected<NpyArray> mlir::mc::parseNpy(StringRef bytes, StringRef name) {
  if (bytes.size() < kMagicSize + 2 ||
      bytes.substr(0, kMagicSize) != StringRef(kMagic, kMagicSize))
    return fail(name, "not a .npy file (no \\x93NUMPY magic)");
  unsigned major = static_cast<unsigned char>(bytes[kMagicSize]);
  unsigned minor = static_cast<unsigned char>(bytes[kMagicSize + 1]);
  size_t lengthSize = major == 1 ? 2 : 4;
  if (major < 1 || major > 3 || minor != 0)
    return fail(name, "unsupported .npy format version " + llvm::Twine(major) +
                          "." + llvm::Twine(minor));
  size_t offset = kMagicSize + 2;
  if (bytes.size() < offset + lengthSize)
    return fail(name, "truncated .npy header");
  uint64_t headerSize = 0;
  for (size_t i = 0; i < lengthSize; ++i)
    headerSize |=
        static_cast<uint64_t>(static_cast<unsigned char>(bytes[offset + i]))
        << (8 * i);
  offset += lengthSize;
  if (bytes.size() - offset < headerSize)
    return fail(name, "truncated .npy header");
  StringRef header = bytes.substr(offset, headerSize);
  offset += headerSize;

  // The dict.
  HeaderParser parser(header);
  std::string descr;
  bool fortranOrder = false, haveDescr = false, haveOrder = false,
       haveShape = false;
  llvm::SmallVector<int64_t> shape;
  if (!parser.consume('{'))
    return fail(name, "malformed .npy header: " + header.trim());
  while (!parser.consume('}')) {
    std::string key;
    if (!parser.parseString(key) || !parser.consume(':'))
      return fail(name, "malformed .npy header: " + header.trim());
    bool ok;
    if (key == "descr")
      ok = haveDescr = parser.parseString(descr);
    else if (key == "fortran_order")
      ok = haveOrder = parser.parseBool(fortranOrder);
    else if (key == "shape")
      ok = haveShape = parser.parseShape(shape);
    else
      return fail(name, "unexpected key '" + key + "' in the .npy header");
    if (!ok)
      return fail(name, "malformed value of '" + key +
                            "' in the .npy header: " + header.trim());
    if (!parser.consume(',')) {
      if (!parser.consume('}'))
        return fail(name, "malformed .npy header: " + header.trim());
      break;
    }
  }
  if (!parser.atEnd())
    return fail(name, "malformed .npy header: " + header.trim());
  if (!haveDescr || !haveOrder || !haveShape)
    return fail(name, "the .npy header lacks 'descr', 'fortran_order' or "
                      "'shape': " +
                          header.trim());
  if (fortranOrder)
    return fail(name, "Fortran-order arrays are not supported; save "
                      "np.ascontiguousarray(x) instead");

  // The element type: byte order, kind, size.
  const DTypeInfo *info = nullptr;
  if (descr.size() >= 3) {
    char order = descr[0], kind = descr[1];
    int64_t size;
    if (!StringRef(descr).drop_front(2).getAsInteger(10, size)) {
      for (const DTypeInfo &candidate : kDTypes)
        if (candidate.kind == kind && candidate.size == size)
          info = &candidate;
      if (info && order == '>' && size > 1)
        return fail(name, "big-endian data ('" + descr +
                              "') is not supported; save x.astype('<" +
                              descr.substr(1) + "') instead");
      if (order != '<' && order != '|' && order != '=' && order != '>')
        info = nullptr;
    }
  }
  if (!info)
    return fail(name, "unsupported element type '" + descr +
                          "' (supported: float16/32/64, int8/16/32/64, "
                          "uint8/16/32/64, bool)");

  llvm::Expected<NpyArray> array = NpyArray::allocate(info->code, shape);
  if (!array) {
    llvm::consumeError(array.takeError());
    return fail(name, "the shape " + formatNpyShape(shape) + " is too large");
  }
  uint64_t available = bytes.size() - offset;
  if (available != static_cast<uint64_t>(array->getNumBytes()))
    return fail(name, "expected " + llvm::Twine(array->getNumBytes()) +
                          " bytes of data for " + info->name + " " +
                          formatNpyShape(shape) + ", found " +
                          llvm::Twine(available));
  std::memcpy(array->getData(), bytes.data() + offset, array->getNumBytes());
  return array;
}

llvm::Expected<NpyArray> mlir::mc::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

std::string mlir::mc::serializeNpy(const NpyArray &array) {
  const DTypeInfo *info = lookup(array.getDType());
  std::string descr = info->size == 1 ? "|" : "<";
  descr += info->kind;
  descr += std::to_string(info->size);
  std::string dict = "{'descr': '" + descr +
                     "', 'fortran_order': False, 'shape': " +
                     formatNpyShape(array.getShape()) + ", }";
  // Pad with spaces and a final '\n' to a multiple of 64 bytes in all.
  size_t prefix = kMagicSize + 2 + 2;
  bool version2 = false;
  size_t total =
      (prefix + dict.size() + 1 + kAlignment - 1) / kAlignment * kAlignment;
  if (total - prefix > 65535) {
    version2 = true;
    prefix += 2;
    total =
        (prefix + dict.size() + 1 + kAlignment - 1) / kAlignment * kAlignment;
  }
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';

  std::string bytes(kMagic, kMagicSize);
  bytes += static_cast<char>(version2 ? 2 : 1);
  bytes += '\0';
  uint64_t length = dict.size();
  for (size_t i = 0; i < (version2 ? 4u : 2u); ++i)
    bytes += static_cast<char>((length >> (8 * i)) & 0xff);
  bytes += dict;
  bytes.append(static_cast<const char *>(array.getData()), array.getNumBytes());
  return bytes;
}

llvm::Error mlir::mc::writeNpy(const NpyArray &array, StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(path, "cannot write: " + ec.message());
  os << serializeNpy(array);
  os.close();
  if (os.has_error())
    return fail(path, "cannot write: " + os.error().message());
  return llvm::Error::success();
}
