//===- QuantizedReference.cpp - Compiled int8 ops vs. a C++ reference -----===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Layer-by-layer bit-exactness of the quantized code mc generates. Each case
// is a small model (`@main` in mc IR) with one quantized layer as
// mc-quantize or mc-fold-qdq writes it (mc.qlinear / mc.qconv2d / mc.qmatmul
// followed by mc.requantize, or the raw int32 accumulators; mc.requantize,
// mc.quantize, mc.dequantize and int8 max pooling alone; one small CNN
// chained from those), with seeded random weights and inputs of odd shapes.
// The model is compiled once by `mc-compile` (its normal pipeline, so
// whatever lowering it uses for these ops), loaded with dlopen through the
// runtime ABI (mc_model_info / mc_model_run), run at batch 1 and 37, and
// every output value is compared with a straightforward C++ evaluation of
// the documented integer math:
//
//   acc = sum (x - zp_x) * (w - zp_w[c]) + bias[c]          (int64, exact)
//   y   = clamp(floor(acc * M[c] * 2^-n[c] + 1/2) + zp_y, qmin, qmax)
//
// (docs/Rationale/Requantization.md; here evaluated as an exact rational in
// 128 bits, independently of QuantMath.cpp's 64-bit steps). M and n come
// from the IR: either the case writes `multiplier` / `shift` itself, or it
// writes a float `scale` and the reference encodes it with mc's
// quantizeMultiplier, as mc-fixed-point does. mc.quantize is
// round_half_even(x / s) + zp in f32 with saturation (NaN to the minimum),
// mc.dequantize (q - zp) * s in f32 (docs/Rationale/Quantization.md); float
// outputs are compared bit for bit.
//
//   QuantizedReference [--mc-compile PATH] [--jobs N] --workdir DIR
//                      [gtest flags]
//
// Prints one line per case and batch, "CASE batch B: N values, M
// mismatches", and fails the case's test on any mismatch (printing the
// first few). mc-compile is found on PATH unless given; each test runs N
// compilers at once (default 2).
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/QuantMath.h"
#include "mc/runtime.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Program.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <dlfcn.h>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace mlir::mc;

namespace {

std::string gWorkdir;
std::string gCompiler;
unsigned gJobs = 2;

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

enum class Kind { I8, U8, I32, F32 };

int64_t kindMin(Kind k) { return k == Kind::I8 ? -128 : 0; }
int64_t kindMax(Kind k) { return k == Kind::I8 ? 127 : 255; }

/// Element type at the model boundary (a storage type).
const char *boundaryElem(Kind k) {
  switch (k) {
  case Kind::I8:
    return "i8";
  case Kind::U8:
    return "ui8";
  case Kind::I32:
    return "i32";
  case Kind::F32:
    return "f32";
  }
  return "?";
}

/// Storage name inside !quant.uniform.
const char *storageName(Kind k) { return k == Kind::I8 ? "i8" : "u8"; }

int32_t kindDtype(Kind k) {
  switch (k) {
  case Kind::I8:
    return MC_DTYPE_INT8;
  case Kind::U8:
    return MC_DTYPE_UINT8;
  case Kind::I32:
    return MC_DTYPE_INT32;
  case Kind::F32:
    return MC_DTYPE_FLOAT32;
  }
  return 0;
}

size_t kindBytes(Kind k) { return k == Kind::I8 || k == Kind::U8 ? 1 : 4; }

/// A dense tensor: integers in `ints` (any integer kind) or floats in `f`.
struct Tensor {
  Kind kind = Kind::I8;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<float> f;

  static Tensor make(Kind kind, std::vector<int64_t> shape) {
    Tensor t;
    t.kind = kind;
    t.shape = std::move(shape);
    if (kind == Kind::F32)
      t.f.assign(t.numel(), 0.0f);
    else
      t.ints.assign(t.numel(), 0);
    return t;
  }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  /// The bytes the runtime ABI exchanges.
  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> out(numel() * kindBytes(kind));
    for (int64_t i = 0, e = numel(); i < e; ++i) {
      switch (kind) {
      case Kind::I8:
      case Kind::U8:
        out[i] = static_cast<uint8_t>(ints[i] & 0xff);
        break;
      case Kind::I32: {
        int32_t v = static_cast<int32_t>(ints[i]);
        std::memcpy(&out[4 * i], &v, 4);
        break;
      }
      case Kind::F32:
        std::memcpy(&out[4 * i], &f[i], 4);
        break;
      }
    }
    return out;
  }
  static Tensor fromBytes(Kind kind, std::vector<int64_t> shape,
                          const uint8_t *data) {
    Tensor t = make(kind, std::move(shape));
    for (int64_t i = 0, e = t.numel(); i < e; ++i) {
      switch (kind) {
      case Kind::I8:
        t.ints[i] = static_cast<int8_t>(data[i]);
        break;
      case Kind::U8:
        t.ints[i] = data[i];
        break;
      case Kind::I32: {
        int32_t v;
        std::memcpy(&v, data + 4 * i, 4);
        t.ints[i] = v;
        break;
      }
      case Kind::F32:
        std::memcpy(&t.f[i], data + 4 * i, 4);
        break;
      }
    }
    return t;
  }
};

using Rng = std::mt19937_64;

int64_t uniformInt(Rng &rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

Tensor randomStorage(Rng &rng, Kind kind, std::vector<int64_t> shape) {
  Tensor t = Tensor::make(kind, std::move(shape));
  for (int64_t &v : t.ints)
    v = uniformInt(rng, kindMin(kind), kindMax(kind));
  return t;
}

//===----------------------------------------------------------------------===//
// IR text
//===----------------------------------------------------------------------===//

/// `tensor<?x3x17xi8>`: a -1 dimension prints as `?`.
std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &elem) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + elem + ">";
}

/// A double that parses back to exactly the same value.
std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos)
    s += ".0";
  return s;
}

std::string quantType(Kind k, double scale, int64_t zp) {
  return "!quant.uniform<" + std::string(storageName(k)) + ":f32, " +
         exact(scale) + ":" + std::to_string(zp) + ">";
}

std::string quantTypeAxis(Kind k, int axis, const std::vector<double> &scales,
                          const std::vector<int64_t> &zps) {
  std::string s = "!quant.uniform<" + std::string(storageName(k)) +
                  ":f32:" + std::to_string(axis) + ", {";
  for (size_t i = 0; i < scales.size(); ++i)
    s += (i ? "," : "") + exact(scales[i]) + ":" + std::to_string(zps[i]);
  return s + "}>";
}

/// `dense<"0x...">` with the little-endian bytes of an integer tensor.
std::string hexDense(const Tensor &t) {
  static const char *digits = "0123456789ABCDEF";
  std::vector<uint8_t> b = t.bytes();
  std::string s = "dense<\"0x";
  s.reserve(s.size() + 2 * b.size() + 2);
  for (uint8_t v : b) {
    s += digits[v >> 4];
    s += digits[v & 15];
  }
  return s + "\">";
}

template <typename T>
std::string arrayAttr(const char *elem, const std::vector<T> &v) {
  std::string s = "array<" + std::string(elem) + ": ";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i)
      s += ", ";
    if constexpr (std::is_floating_point_v<T>)
      s += exact(v[i]);
    else
      s += std::to_string(static_cast<int64_t>(v[i]));
  }
  return s + ">";
}

/// Builds the body of `@main` line by line.
struct Func {
  std::vector<std::string> args, argTypes, lines;
  std::string retName, retType;

  std::string arg(const std::string &type) {
    std::string name = "%arg" + std::to_string(args.size());
    args.push_back(name);
    argTypes.push_back(type);
    return name;
  }
  std::string op(const std::string &rhs) {
    std::string name = "%v" + std::to_string(lines.size());
    lines.push_back("  " + name + " = " + rhs);
    return name;
  }
  std::string text() const {
    std::string s = "func.func @main(";
    for (size_t i = 0; i < args.size(); ++i)
      s += (i ? ", " : "") + args[i] + ": " + argTypes[i];
    s += ") -> " + retType + " {\n";
    for (const std::string &l : lines)
      s += l + "\n";
    return s + "  return " + retName + " : " + retType + "\n}\n";
  }
};

//===----------------------------------------------------------------------===//
// The reference integer math
//===----------------------------------------------------------------------===//

using Int128 = __int128;

Int128 floorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if (a % b != 0 && a < 0)
    --q;
  return q;
}

/// clamp(floor(acc * M * 2^-n + 1/2) + zp, qmin, qmax), the rounding taken
/// exactly as floor((2 acc M + 2^n) / 2^(n+1)) for n >= 0 and as the exact
/// product acc * M * 2^-n for n < 0.
int64_t refRequantize(int64_t acc, int64_t m, int n, int64_t zp, int64_t qmin,
                      int64_t qmax) {
  Int128 p = Int128(acc) * m;
  Int128 r = n >= 0 ? floorDiv(2 * p + (Int128(1) << n), Int128(1) << (n + 1))
                    : p * (Int128(1) << -n);
  r += zp;
  return r < qmin ? qmin : (r > qmax ? qmax : static_cast<int64_t>(r));
}

/// Per-channel requantization parameters, as the compiled code sees them.
struct Requant {
  std::vector<int64_t> multiplier;
  std::vector<int> shift;
  // Float scales when the IR gives `scale` (mc-fixed-point encodes them).
  std::vector<double> scale;
  Kind out = Kind::I8;
  int64_t zpOut = 0;
  double outScale = 0.05;
};

void encodeScales(Requant &rq) {
  rq.multiplier.clear();
  rq.shift.clear();
  for (double s : rq.scale) {
    FixedPointScale fp;
    ScaleError err = quantizeMultiplier(s, fp);
    if (err != ScaleError::None) {
      ADD_FAILURE() << "scale " << s << " " << describeScaleError(err);
      fp.multiplier = 1 << 30;
      fp.shift = 31;
    }
    rq.multiplier.push_back(fp.multiplier);
    rq.shift.push_back(fp.shift);
  }
}

/// Requantizes `acc` whose channel is dimension `axis` (or one channel).
Tensor refRequantizeTensor(const Tensor &acc, const Requant &rq, int axis) {
  Tensor y = Tensor::make(rq.out, acc.shape);
  int64_t inner = 1, channels = 1;
  if (rq.multiplier.size() > 1) {
    channels = acc.shape[axis];
    for (size_t d = axis + 1; d < acc.shape.size(); ++d)
      inner *= acc.shape[d];
  }
  for (int64_t i = 0, e = acc.numel(); i < e; ++i) {
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    y.ints[i] = refRequantize(acc.ints[i], rq.multiplier[c], rq.shift[c],
                              rq.zpOut, kindMin(rq.out), kindMax(rq.out));
  }
  return y;
}

/// The generated code accumulates in int32 (wrapping, like ONNX); the cases
/// keep every exact sum inside int32 so that the reference needs no wrap.
void checkFitsInt32(const Tensor &acc) {
  for (int64_t v : acc.ints)
    if (v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max()) {
      ADD_FAILURE() << "a reference accumulator leaves int32: " << v;
      return;
    }
}

struct ConvGeom {
  int64_t kh = 1, kw = 1;
  int64_t strides[2] = {1, 1};
  int64_t pads[4] = {0, 0, 0, 0}; // top, left, bottom, right
  int64_t dil[2] = {1, 1};
  int64_t groups = 1;

  int64_t outH(int64_t h) const {
    return (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) / strides[0] + 1;
  }
  int64_t outW(int64_t w) const {
    return (w + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) / strides[1] + 1;
  }
};

/// sum (x - zx) * (w - zw[f]) + bias[f] over the convolution windows; a
/// padded position contributes nothing (x - zx = 0 there).
Tensor refConv(const Tensor &x, int64_t zx, const Tensor &w,
               const std::vector<int64_t> &zw, const Tensor *bias,
               const ConvGeom &g) {
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  int64_t f = w.shape[0], cg = w.shape[1];
  int64_t oh = g.outH(h), ow = g.outW(wd), fg = f / g.groups;
  Tensor y = Tensor::make(Kind::I32, {n, f, oh, ow});
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < f; ++o) {
      int64_t grp = o / fg;
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          int64_t acc = bias ? bias->ints[o] : 0;
          for (int64_t ci = 0; ci < cg; ++ci) {
            int64_t cin = grp * cg + ci;
            for (int64_t ki = 0; ki < g.kh; ++ki) {
              int64_t r = i * g.strides[0] - g.pads[0] + ki * g.dil[0];
              if (r < 0 || r >= h)
                continue;
              for (int64_t kj = 0; kj < g.kw; ++kj) {
                int64_t s = j * g.strides[1] - g.pads[1] + kj * g.dil[1];
                if (s < 0 || s >= wd)
                  continue;
                int64_t xv = x.ints[((b * c + cin) * h + r) * wd + s] - zx;
                int64_t wv =
                    w.ints[((o * cg + ci) * g.kh + ki) * g.kw + kj] - zw[o];
                acc += xv * wv;
              }
            }
          }
          y.ints[((b * f + o) * oh + i) * ow + j] = acc;
        }
    }
  checkFitsInt32(y);
  return y;
}

/// x [..., K] times w [N, K]^T: sum_k (x - zx) * (w[o] - zw[o]) + bias[o].
Tensor refLinear(const Tensor &x, int64_t zx, const Tensor &w,
                 const std::vector<int64_t> &zw, const Tensor *bias) {
  int64_t k = w.shape[1], nOut = w.shape[0];
  int64_t rows = x.numel() / k;
  std::vector<int64_t> shape = x.shape;
  shape.back() = nOut;
  Tensor y = Tensor::make(Kind::I32, shape);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < nOut; ++o) {
      int64_t acc = bias ? bias->ints[o] : 0;
      for (int64_t i = 0; i < k; ++i)
        acc += (x.ints[r * k + i] - zx) * (w.ints[o * k + i] - zw[o]);
      y.ints[r * nOut + o] = acc;
    }
  checkFitsInt32(y);
  return y;
}

/// a [B..., M, K] times b [B'..., K, N] where b's leading dims are either
/// absent (a constant matrix) or equal to a's; zb per output column.
Tensor refMatmul(const Tensor &a, int64_t za, const Tensor &b,
                 const std::vector<int64_t> &zb) {
  size_t ra = a.shape.size(), rb = b.shape.size();
  int64_t m = a.shape[ra - 2], k = a.shape[ra - 1], n = b.shape[rb - 1];
  int64_t batches = a.numel() / (m * k);
  bool shared = rb == 2;
  std::vector<int64_t> shape = a.shape;
  shape.back() = n;
  Tensor y = Tensor::make(Kind::I32, shape);
  for (int64_t bt = 0; bt < batches; ++bt)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int64_t acc = 0;
        for (int64_t l = 0; l < k; ++l) {
          int64_t av = a.ints[(bt * m + i) * k + l] - za;
          int64_t bv = b.ints[((shared ? 0 : bt) * k + l) * n + j] - zb[j];
          acc += av * bv;
        }
        y.ints[(bt * m + i) * n + j] = acc;
      }
  checkFitsInt32(y);
  return y;
}

/// Max pooling of stored integers (NCHW); padding never wins.
Tensor refMaxPool(const Tensor &x, int64_t k, int64_t stride, int64_t pad,
                  bool ceilMode, int64_t &oh, int64_t &ow) {
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  auto out = [&](int64_t size) {
    int64_t span = size + 2 * pad - k;
    int64_t o = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
    // The last window must start inside the input or its leading padding.
    if (ceilMode && (o - 1) * stride >= size + pad)
      --o;
    return o;
  };
  oh = out(h);
  ow = out(w);
  Tensor y = Tensor::make(x.kind, {n, c, oh, ow});
  for (int64_t b = 0; b < n * c; ++b)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        int64_t best = std::numeric_limits<int64_t>::min();
        for (int64_t di = 0; di < k; ++di)
          for (int64_t dj = 0; dj < k; ++dj) {
            int64_t r = i * stride - pad + di, s = j * stride - pad + dj;
            if (r >= 0 && r < h && s >= 0 && s < w)
              best = std::max(best, x.ints[(b * h + r) * w + s]);
          }
        y.ints[(b * oh + i) * ow + j] = best;
      }
  return y;
}

/// round_half_even(x / s) + zp in f32, saturated; NaN gives the minimum.
int64_t refQuantize(float x, float s, int64_t zp, Kind k) {
  float v = std::nearbyint(x / s) + static_cast<float>(zp);
  if (std::isnan(v))
    return kindMin(k);
  if (v <= static_cast<float>(kindMin(k)))
    return kindMin(k);
  if (v >= static_cast<float>(kindMax(k)))
    return kindMax(k);
  return static_cast<int64_t>(v);
}

float refDequantize(int64_t q, float s, int64_t zp) {
  return static_cast<float>(static_cast<int32_t>(q - zp)) * s;
}

//===----------------------------------------------------------------------===//
// Compiling and running
//===----------------------------------------------------------------------===//

/// A compiled model library, loaded.
struct Model {
  void *handle = nullptr;
  const mc_model_info_t *(*info)() = nullptr;
  int (*run)(const void *const *, void *const *, int64_t) = nullptr;
  const char *(*lastError)() = nullptr;
  ~Model() {
    if (handle)
      dlclose(handle);
  }
};

/// Loads WORKDIR/libNAME.so, built by compileAll, once per run of this
/// program. Null (with a test failure) when it is missing or broken.
Model *load(const std::string &name) {
  static std::map<std::string, std::unique_ptr<Model>> cache;
  auto it = cache.find(name);
  if (it != cache.end())
    return it->second.get();
  std::string lib = gWorkdir + "/lib" + name + ".so";
  auto model = std::make_unique<Model>();
  model->handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!model->handle) {
    ADD_FAILURE() << "dlopen " << lib << ": " << dlerror();
    return nullptr;
  }
  model->info = reinterpret_cast<decltype(model->info)>(
      dlsym(model->handle, "mc_model_info"));
  model->run = reinterpret_cast<decltype(model->run)>(
      dlsym(model->handle, "mc_model_run"));
  model->lastError = reinterpret_cast<decltype(model->lastError)>(
      dlsym(model->handle, "mc_last_error"));
  if (!model->info || !model->run || !model->lastError) {
    ADD_FAILURE() << lib << " lacks the runtime ABI";
    return nullptr;
  }
  return (cache[name] = std::move(model)).get();
}

/// One model: its IR, how to make inputs for a batch, and the reference.
struct Case {
  std::string name;
  std::string ir;
  std::function<std::vector<Tensor>(int64_t batch, Rng &rng)> inputs;
  std::function<Tensor(const std::vector<Tensor> &)> reference;
};

bool sameValue(const Tensor &got, const Tensor &want, int64_t i) {
  if (want.kind == Kind::F32) {
    uint32_t a, b;
    std::memcpy(&a, &got.f[i], 4);
    std::memcpy(&b, &want.f[i], 4);
    return a == b;
  }
  return got.ints[i] == want.ints[i];
}

std::string valueString(const Tensor &t, int64_t i) {
  if (t.kind == Kind::F32) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.9g", t.f[i]);
    return buf;
  }
  return std::to_string(t.ints[i]);
}

/// Compares the compiled `c` with the reference at batch 1 and 37.
void check(const Case &c) {
  SCOPED_TRACE(c.name);
  Model *model = load(c.name);
  if (!model)
    return;
  const mc_model_info_t *info = model->info();
  ASSERT_EQ(info->num_outputs, 1);
  for (int64_t batch : {int64_t(1), int64_t(37)}) {
    Rng rng(0x5eed0000u + batch * 7919 +
            std::hash<std::string>()(c.name) % 1000);
    std::vector<Tensor> xs = c.inputs(batch, rng);
    Tensor want = c.reference(xs);
    ASSERT_EQ(static_cast<size_t>(info->num_inputs), xs.size());
    // The output's description must match the reference's.
    const mc_tensor_info &out = info->outputs[0];
    ASSERT_EQ(out.dtype, kindDtype(want.kind));
    ASSERT_EQ(static_cast<size_t>(out.rank), want.shape.size());
    for (int32_t d = 0; d < out.rank; ++d)
      ASSERT_EQ(out.shape[d] < 0 ? batch : out.shape[d], want.shape[d]);
    for (size_t i = 0; i < xs.size(); ++i)
      ASSERT_EQ(info->inputs[i].dtype, kindDtype(xs[i].kind));
    std::vector<std::vector<uint8_t>> inBytes;
    std::vector<const void *> inPtrs;
    for (const Tensor &x : xs)
      inBytes.push_back(x.bytes());
    for (const auto &b : inBytes)
      inPtrs.push_back(b.data());
    // Filled with a pattern, not zeros, so that elements the code never
    // writes (a missed tile edge) show up as mismatches.
    std::vector<uint8_t> outBytes(want.numel() * kindBytes(want.kind) + 1,
                                  0xA5);
    void *outPtr = outBytes.data();
    int rc = model->run(inPtrs.data(), &outPtr, batch);
    ASSERT_EQ(rc, MC_OK) << model->lastError();
    Tensor got = Tensor::fromBytes(want.kind, want.shape, outBytes.data());
    int64_t bad = 0;
    for (int64_t i = 0, e = want.numel(); i < e; ++i) {
      if (sameValue(got, want, i))
        continue;
      if (bad < 5)
        ADD_FAILURE() << c.name << " batch " << batch << ": element " << i
                      << " is " << valueString(got, i) << ", expected "
                      << valueString(want, i);
      ++bad;
    }
    std::printf("%s batch %" PRId64 ": %" PRId64 " values, %" PRId64
                " mismatches\n",
                c.name.c_str(), batch, want.numel(), bad);
    std::fflush(stdout);
  }
}

/// Writes each case's IR to WORKDIR/NAME.mlir and compiles it with
/// mc-compile into WORKDIR/libNAME.so, gJobs compilers at a time; a failure
/// (the compiler's output is in WORKDIR/NAME.log) fails the test.
void compileAll(const std::vector<Case> &cases) {
  std::deque<std::pair<std::string, llvm::sys::ProcessInfo>> running;
  auto finishOldest = [&]() {
    auto [name, pi] = running.front();
    running.pop_front();
    std::string err;
    llvm::sys::ProcessInfo done = llvm::sys::Wait(pi, std::nullopt, &err);
    if (done.ReturnCode != 0)
      ADD_FAILURE() << "mc-compile failed on " << gWorkdir << "/" << name
                    << ".mlir (" << done.ReturnCode << ") " << err << "; see "
                    << gWorkdir << "/" << name << ".log";
  };
  for (const Case &c : cases) {
    std::string src = gWorkdir + "/" + c.name + ".mlir";
    std::string lib = gWorkdir + "/lib" + c.name + ".so";
    std::string log = gWorkdir + "/" + c.name + ".log";
    FILE *f = std::fopen(src.c_str(), "w");
    if (!f) {
      ADD_FAILURE() << "cannot write " << src;
      continue;
    }
    std::fwrite(c.ir.data(), 1, c.ir.size(), f);
    std::fclose(f);
    llvm::StringRef argv[] = {gCompiler, src, "-o", lib};
    std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
    std::string err;
    bool failed = false;
    llvm::sys::ProcessInfo pi = llvm::sys::ExecuteNoWait(
        gCompiler, argv, std::nullopt, redirects, 0, &err, &failed);
    if (failed) {
      ADD_FAILURE() << "cannot run " << gCompiler << ": " << err;
      continue;
    }
    running.emplace_back(c.name, pi);
    if (running.size() >= gJobs)
      finishOldest();
  }
  while (!running.empty())
    finishOldest();
}

/// Compiles all cases, then checks each.
void checkAll(const std::vector<Case> &cases) {
  compileAll(cases);
  for (const Case &c : cases)
    check(c);
}

//===----------------------------------------------------------------------===//
// Cases
//===----------------------------------------------------------------------===//

/// Requantization scales that spread a layer's outputs over the 8-bit range
/// (with some saturation): 40 / rms(acc[c]) times a random factor in
/// [0.5, 2], the rms measured on a sample batch; some are powers of two.
std::vector<double> spreadScales(const Tensor &acc, int axis, int64_t channels,
                                 Rng &rng) {
  std::vector<double> sum(channels, 0.0);
  std::vector<int64_t> count(channels, 0);
  int64_t inner = 1;
  for (size_t d = axis + 1; d < acc.shape.size(); ++d)
    inner *= acc.shape[d];
  for (int64_t i = 0, e = acc.numel(); i < e; ++i) {
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    sum[c] += double(acc.ints[i]) * double(acc.ints[i]);
    ++count[c];
  }
  std::vector<double> scales(channels);
  std::uniform_real_distribution<double> factor(0.5, 2.0);
  for (int64_t c = 0; c < channels; ++c) {
    double rms = count[c] ? std::sqrt(sum[c] / count[c]) : 0.0;
    scales[c] = (rms > 1.0 ? 40.0 / rms : 1.0 / 64) * factor(rng);
    // Every fourth channel gets a power of two (M = 2^30), as mc-quantize
    // often produces: acc * S then hits exact ties, which only the exact
    // rounding rule (half up) gets right.
    if (c % 4 == 1 || channels == 1)
      scales[c] = std::exp2(std::round(std::log2(scales[c])));
  }
  return scales;
}

/// What a layer case returns.
enum class Output {
  Acc,     // the raw int32 accumulators
  Requant, // mc.requantize with per-channel float scales (mc-fixed-point)
};

struct LayerSpec {
  std::string name;
  Kind x = Kind::I8;
  int64_t zx = 0;
  Kind w = Kind::I8;
  /// One zero point (per tensor) or one per output channel.
  std::vector<int64_t> zw = {0};
  /// Symmetric [-127, 127] weights (mc-quantize) rather than the full range.
  bool symmetric = true;
  /// Pruned weights: "" (dense), "N:M" or "unstructured" (90% zeros); the
  /// layer then carries `mc.sparsity` as mc-prune writes it, so that a
  /// sparse kernel chosen from it is exercised too.
  std::string sparsity;
  bool bias = true;
  Output output = Output::Requant;
  Kind out = Kind::I8;
  int64_t zpOut = 0;
};

/// Per tensor for a single zero point on u8 weights (as ONNX writes them),
/// otherwise per output channel (as mc-quantize writes them).
std::string weightQuantType(const LayerSpec &s, int64_t channels) {
  if (s.zw.size() == 1 && s.w == Kind::U8)
    return quantType(s.w, 0.01, s.zw[0]);
  std::vector<double> scales(channels);
  for (int64_t c = 0; c < channels; ++c)
    scales[c] = 0.01 * (1 + c % 3);
  std::vector<int64_t> zps =
      s.zw.size() == 1 ? std::vector<int64_t>(channels, s.zw[0]) : s.zw;
  return quantTypeAxis(s.w, 0, scales, zps);
}

Tensor makeWeights(Rng &rng, const LayerSpec &s, std::vector<int64_t> shape) {
  Tensor w = randomStorage(rng, s.w, std::move(shape));
  if (s.symmetric && s.w == Kind::I8)
    for (int64_t &v : w.ints)
      v = std::max<int64_t>(v, -127);
  if (s.sparsity.empty())
    return w;
  // Zeros along the reduction (each output row is contiguous): N:M keeps
  // at most N non-zeros in every group of M (the last group of a row may
  // be shorter), unstructured keeps 10%. Zero means the zero point.
  int64_t rows = w.shape[0], k = w.numel() / rows;
  int64_t keep = 0, group = 0;
  bool nm = s.sparsity != "unstructured";
  if (nm)
    std::sscanf(s.sparsity.c_str(), "%" SCNd64 ":%" SCNd64, &keep, &group);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t zero = s.zw.size() == 1 ? s.zw[0] : s.zw[r];
    for (int64_t g0 = 0; g0 < k; g0 += nm ? group : k) {
      int64_t len = nm ? std::min(group, k - g0) : k;
      std::vector<int64_t> idx(len);
      for (int64_t i = 0; i < len; ++i)
        idx[i] = g0 + i;
      std::shuffle(idx.begin(), idx.end(), rng);
      int64_t kept = nm ? keep : len / 10;
      for (int64_t i = kept; i < len; ++i)
        w.ints[r * k + idx[i]] = zero;
    }
  }
  return w;
}

/// `mc.sparsity = {...}` for a pruned layer's weights, or "".
std::string sparsityAttr(const LayerSpec &s, const Tensor &w) {
  if (s.sparsity.empty())
    return "";
  int64_t zeros = 0, k = w.numel() / w.shape[0];
  for (int64_t i = 0, e = w.numel(); i < e; ++i)
    zeros += w.ints[i] == (s.zw.size() == 1 ? s.zw[0] : s.zw[i / k]);
  return "mc.sparsity = {pattern = \"" + s.sparsity +
         "\", sparsity = " + exact(double(zeros) / w.numel()) + " : f64}";
}

Tensor makeBias(Rng &rng, int64_t channels, int64_t reduction) {
  Tensor b = Tensor::make(Kind::I32, {channels});
  int64_t r = static_cast<int64_t>(3000 * std::sqrt(double(reduction)));
  for (int64_t &v : b.ints)
    v = uniformInt(rng, -r, r);
  return b;
}

std::vector<int64_t> perChannel(const std::vector<int64_t> &zw,
                                int64_t channels) {
  return zw.size() == 1 ? std::vector<int64_t>(channels, zw[0]) : zw;
}

/// Appends `%acc -> requantize -> storage_cast` (or returns %acc) and sets
/// the result; `rq` receives the scales and is encoded.
void finishLayer(Func &fn, const LayerSpec &s, const std::string &acc,
                 const std::vector<int64_t> &accShape, int axis, Requant &rq) {
  std::string accT = tensorType(accShape, "i32");
  if (s.output == Output::Acc) {
    fn.retName = acc;
    fn.retType = accT;
    return;
  }
  rq.out = s.out;
  rq.zpOut = s.zpOut;
  std::string qT = tensorType(accShape, quantType(s.out, rq.outScale, s.zpOut));
  std::string attrs = "{";
  if (rq.scale.size() > 1)
    attrs += "axis = " + std::to_string(axis) + " : i64, ";
  attrs += "scale = " + arrayAttr("f64", rq.scale) + "}";
  std::string y =
      fn.op("mc.requantize " + acc + " " + attrs + " : " + accT + " -> " + qT);
  std::string outT = tensorType(accShape, boundaryElem(s.out));
  fn.retName = fn.op("mc.storage_cast " + y + " : " + qT + " -> " + outT);
  fn.retType = outT;
  encodeScales(rq);
}

/// mc.qlinear on an input [batch, lead..., K] with weight [N, K].
Case linearCase(LayerSpec s, std::vector<int64_t> lead, int64_t k, int64_t n) {
  Rng rng(std::hash<std::string>()(s.name));
  auto w = std::make_shared<Tensor>(makeWeights(rng, s, {n, k}));
  auto bias = std::make_shared<Tensor>(makeBias(rng, n, k));
  auto zw = perChannel(s.zw, n);
  std::vector<int64_t> inShape = {-1};
  inShape.insert(inShape.end(), lead.begin(), lead.end());
  inShape.push_back(k);
  std::vector<int64_t> accShape = inShape;
  accShape.back() = n;
  auto rq = std::make_shared<Requant>();
  if (s.output == Output::Requant) {
    std::vector<int64_t> sample = inShape;
    sample[0] = 4;
    Tensor acc = refLinear(randomStorage(rng, s.x, sample), s.zx, *w, zw,
                           s.bias ? bias.get() : nullptr);
    rq->scale = spreadScales(acc, accShape.size() - 1, n, rng);
  }

  Func fn;
  std::string xT = tensorType(inShape, boundaryElem(s.x));
  std::string xqT = tensorType(inShape, quantType(s.x, 0.05, s.zx));
  std::string x = fn.arg(xT);
  std::string xq = fn.op("mc.storage_cast " + x + " : " + xT + " -> " + xqT);
  std::string wT = tensorType({n, k}, boundaryElem(s.w));
  std::string wqT = tensorType({n, k}, weightQuantType(s, n));
  std::string wc = fn.op("mc.constant " + hexDense(*w) + " : " + wT);
  std::string wq = fn.op("mc.storage_cast " + wc + " : " + wT + " -> " + wqT);
  std::string operands = xq + ", " + wq, types = xqT + ", " + wqT;
  if (s.bias) {
    std::string bT = tensorType({n}, "i32");
    operands += ", " + fn.op("mc.constant " + hexDense(*bias) + " : " + bT);
    types += ", " + bT;
  }
  std::string accT = tensorType(accShape, "i32");
  std::string sp = sparsityAttr(s, *w);
  std::string acc =
      fn.op("mc.qlinear " + operands + (sp.empty() ? "" : " {" + sp + "}") +
            " : (" + types + ") -> " + accT);
  finishLayer(fn, s, acc, accShape, accShape.size() - 1, *rq);

  Case c;
  c.name = s.name;
  c.ir = fn.text();
  c.inputs = [s, inShape](int64_t batch, Rng &r) {
    std::vector<int64_t> shape = inShape;
    shape[0] = batch;
    return std::vector<Tensor>{randomStorage(r, s.x, shape)};
  };
  c.reference = [s, w, bias, zw, rq](const std::vector<Tensor> &xs) {
    Tensor acc = refLinear(xs[0], s.zx, *w, zw, s.bias ? bias.get() : nullptr);
    if (s.output == Output::Acc)
      return acc;
    return refRequantizeTensor(acc, *rq, acc.shape.size() - 1);
  };
  return c;
}

/// mc.qconv2d on [batch, C, H, W] with weight [F, C/groups, KH, KW].
Case convCase(LayerSpec s, int64_t ch, int64_t h, int64_t wd, int64_t f,
              ConvGeom g) {
  Rng rng(std::hash<std::string>()(s.name));
  auto w = std::make_shared<Tensor>(
      makeWeights(rng, s, {f, ch / g.groups, g.kh, g.kw}));
  auto bias =
      std::make_shared<Tensor>(makeBias(rng, f, ch / g.groups * g.kh * g.kw));
  auto zw = perChannel(s.zw, f);
  std::vector<int64_t> inShape = {-1, ch, h, wd};
  std::vector<int64_t> accShape = {-1, f, g.outH(h), g.outW(wd)};
  auto rq = std::make_shared<Requant>();
  if (s.output == Output::Requant) {
    Tensor acc = refConv(randomStorage(rng, s.x, {4, ch, h, wd}), s.zx, *w, zw,
                         s.bias ? bias.get() : nullptr, g);
    rq->scale = spreadScales(acc, 1, f, rng);
  }

  Func fn;
  std::string xT = tensorType(inShape, boundaryElem(s.x));
  std::string xqT = tensorType(inShape, quantType(s.x, 0.05, s.zx));
  std::string x = fn.arg(xT);
  std::string xq = fn.op("mc.storage_cast " + x + " : " + xT + " -> " + xqT);
  std::string wT = tensorType(w->shape, boundaryElem(s.w));
  std::string wqT = tensorType(w->shape, weightQuantType(s, f));
  std::string wc = fn.op("mc.constant " + hexDense(*w) + " : " + wT);
  std::string wq = fn.op("mc.storage_cast " + wc + " : " + wT + " -> " + wqT);
  std::string operands = xq + ", " + wq, types = xqT + ", " + wqT;
  if (s.bias) {
    std::string bT = tensorType({f}, "i32");
    operands += ", " + fn.op("mc.constant " + hexDense(*bias) + " : " + bT);
    types += ", " + bT;
  }
  char attrs[256];
  std::snprintf(attrs, sizeof(attrs),
                "{dilations = array<i64: %" PRId64 ", %" PRId64
                ">, groups = %" PRId64 " : i64, pads = array<i64: %" PRId64
                ", %" PRId64 ", %" PRId64 ", %" PRId64
                ">, strides = array<i64: %" PRId64 ", %" PRId64 ">",
                g.dil[0], g.dil[1], g.groups, g.pads[0], g.pads[1], g.pads[2],
                g.pads[3], g.strides[0], g.strides[1]);
  std::string accT = tensorType(accShape, "i32");
  std::string sp = sparsityAttr(s, *w);
  std::string acc =
      fn.op("mc.qconv2d " + operands + " " + attrs +
            (sp.empty() ? "" : ", " + sp) + "} : (" + types + ") -> " + accT);
  finishLayer(fn, s, acc, accShape, 1, *rq);

  Case c;
  c.name = s.name;
  c.ir = fn.text();
  c.inputs = [s, inShape](int64_t batch, Rng &r) {
    std::vector<int64_t> shape = inShape;
    shape[0] = batch;
    return std::vector<Tensor>{randomStorage(r, s.x, shape)};
  };
  c.reference = [s, w, bias, zw, rq, g](const std::vector<Tensor> &xs) {
    Tensor acc = refConv(xs[0], s.zx, *w, zw, s.bias ? bias.get() : nullptr, g);
    if (s.output == Output::Acc)
      return acc;
    return refRequantizeTensor(acc, *rq, 1);
  };
  return c;
}

ConvGeom geom(int64_t kh, int64_t kw, std::vector<int64_t> strides = {1, 1},
              std::vector<int64_t> pads = {0, 0, 0, 0},
              std::vector<int64_t> dil = {1, 1}, int64_t groups = 1) {
  ConvGeom g;
  g.kh = kh;
  g.kw = kw;
  std::copy(strides.begin(), strides.end(), g.strides);
  std::copy(pads.begin(), pads.end(), g.pads);
  std::copy(dil.begin(), dil.end(), g.dil);
  g.groups = groups;
  return g;
}

LayerSpec spec(std::string name, Kind x, int64_t zx, Output output,
               Kind out = Kind::I8, int64_t zpOut = 0) {
  LayerSpec s;
  s.name = std::move(name);
  s.x = x;
  s.zx = zx;
  s.output = output;
  s.out = out;
  s.zpOut = zpOut;
  return s;
}

//===----------------------------------------------------------------------===//
// Tests
//===----------------------------------------------------------------------===//

// mc.qlinear + mc.requantize as mc-quantize writes them (i8 activations with
// a zero point, symmetric per-channel i8 weights, int32 bias, per-channel
// requantization), over K and N of 1, 3, 17, 1000 and sizes just off the
// multiples of 4/16/32 that vector kernels tile by; plus the ONNX forms (u8
// activations, weight zero points per channel) and raw accumulators.
TEST(QuantizedReference, QLinear) {
  std::vector<Case> cases;
  cases.push_back(linearCase(
      spec("qlinear_k1_n1", Kind::I8, -5, Output::Requant), {}, 1, 1));
  cases.push_back(linearCase(
      spec("qlinear_k3_n17", Kind::I8, 7, Output::Requant), {}, 3, 17));
  cases.push_back(linearCase(
      spec("qlinear_k17_n3", Kind::I8, -128, Output::Requant), {}, 17, 3));
  cases.push_back(linearCase(
      spec("qlinear_k1000_n17", Kind::I8, 3, Output::Requant, Kind::I8, -9), {},
      1000, 17));
  cases.push_back(linearCase(
      spec("qlinear_k17_n1000", Kind::I8, -30, Output::Requant, Kind::I8, 11),
      {}, 17, 1000));
  // ReLU folded by mc-quantize: output zero point -128, saturation is the
  // ReLU.
  cases.push_back(linearCase(spec("qlinear_k1000_n1000_relu", Kind::I8, 1,
                                  Output::Requant, Kind::I8, -128),
                             {}, 1000, 1000));
  cases.push_back(linearCase(
      spec("qlinear_k33_n65", Kind::I8, 0, Output::Requant), {}, 33, 65));
  cases.push_back(linearCase(
      spec("qlinear_k63_n31", Kind::I8, 100, Output::Requant), {}, 63, 31));
  cases.push_back(linearCase(
      spec("qlinear_k64_n32", Kind::I8, -1, Output::Requant), {}, 64, 32));
  cases.push_back(linearCase(
      spec("qlinear_k129_n47_3d", Kind::I8, 4, Output::Requant), {5}, 129, 47));
  {
    LayerSpec s = spec("qlinear_k100_n50_u8out", Kind::I8, -2, Output::Requant,
                       Kind::U8, 0);
    s.bias = false;
    cases.push_back(linearCase(s, {}, 100, 50));
  }
  {
    // The ONNX QLinearMatMul/MatMulInteger form: u8 activations, full-range
    // i8 weights with a zero point per output channel, raw accumulators.
    LayerSpec s = spec("qlinear_u8_zw_acc_k17_n3", Kind::U8, 128, Output::Acc);
    s.zw = {0, 2, -3};
    s.symmetric = false;
    cases.push_back(linearCase(s, {}, 17, 3));
  }
  {
    LayerSpec s = spec("qlinear_u8w_acc_k1000_n33", Kind::U8, 17, Output::Acc);
    s.w = Kind::U8;
    s.zw = {131};
    s.symmetric = false;
    s.bias = false;
    cases.push_back(linearCase(s, {}, 1000, 33));
  }
  {
    LayerSpec s = spec("qlinear_u8_k31_n17_u8out", Kind::U8, 128,
                       Output::Requant, Kind::U8, 128);
    cases.push_back(linearCase(s, {}, 31, 17));
  }
  checkAll(cases);
}

// mc.qconv2d: plain, pointwise, 1000 channels in and out, depthwise (17 and
// 1000 channels, channel multiplier 2), grouped, strided, padded
// (asymmetrically) and dilated; requantized or raw.
TEST(QuantizedReference, QConv2D) {
  std::vector<Case> cases;
  cases.push_back(
      convCase(spec("qconv_c1_f3_k3_pad1", Kind::I8, -7, Output::Requant), 1, 8,
               8, 3, geom(3, 3, {1, 1}, {1, 1, 1, 1})));
  cases.push_back(convCase(spec("qconv_c3_f17_s21_asympad_dil12", Kind::I8, 20,
                                Output::Requant, Kind::I8, -128),
                           3, 9, 8, 17,
                           geom(3, 3, {2, 1}, {1, 0, 2, 1}, {1, 2})));
  cases.push_back(
      convCase(spec("qconv_c17_f3_1x1", Kind::I8, 0, Output::Requant), 17, 5, 5,
               3, geom(1, 1)));
  cases.push_back(convCase(
      spec("qconv_c1000_f17_1x1", Kind::I8, -100, Output::Requant, Kind::I8, 5),
      1000, 3, 3, 17, geom(1, 1)));
  cases.push_back(convCase(spec("qconv_c17_f1000_k3_pad1", Kind::I8, 9,
                                Output::Requant, Kind::I8, -128),
                           17, 3, 3, 1000, geom(3, 3, {1, 1}, {1, 1, 1, 1})));
  cases.push_back(
      convCase(spec("qconv_c3_f8_k5_s3_pad2", Kind::I8, 1, Output::Requant), 3,
               11, 11, 8, geom(5, 5, {3, 3}, {2, 2, 2, 2})));
  cases.push_back(convCase(spec("qconv_dw_c17_s2_pad1", Kind::I8, -3,
                                Output::Requant, Kind::I8, -128),
                           17, 7, 7, 17,
                           geom(3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, 17)));
  cases.push_back(
      convCase(spec("qconv_dw_c1000_pad1", Kind::I8, 12, Output::Requant), 1000,
               4, 4, 1000, geom(3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1000)));
  cases.push_back(
      convCase(spec("qconv_dw_mult2_c3_f6", Kind::I8, 5, Output::Requant), 3, 6,
               5, 6, geom(2, 3, {1, 2}, {0, 1, 1, 0}, {2, 1}, 3)));
  cases.push_back(convCase(spec("qconv_grouped_c34_g2_s2", Kind::I8, -60,
                                Output::Requant, Kind::I8, -128),
                           34, 6, 6, 34,
                           geom(3, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, 2)));
  {
    // The ONNX ConvInteger / QLinearConv form: u8 input and u8 weights with
    // zero points per channel, grouped, raw accumulators.
    LayerSpec s =
        spec("qconv_grouped_u8_acc_c6_g3_f9", Kind::U8, 17, Output::Acc);
    s.w = Kind::U8;
    s.symmetric = false;
    s.bias = false;
    s.zw = {120, 121, 122, 123, 124, 125, 126, 127, 128};
    cases.push_back(
        convCase(s, 6, 5, 5, 9, geom(3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 3)));
  }
  {
    LayerSpec s = spec("qconv_u8_zw_acc_c3_f17", Kind::U8, 128, Output::Acc);
    s.symmetric = false;
    s.zw.clear();
    for (int i = 0; i < 17; ++i)
      s.zw.push_back((i * 5) % 11 - 5);
    cases.push_back(convCase(s, 3, 7, 6, 17, geom(3, 2, {1, 1}, {2, 1, 0, 2})));
  }
  {
    LayerSpec s = spec("qconv_u8_c3_f5_u8out", Kind::U8, 128, Output::Requant,
                       Kind::U8, 0);
    cases.push_back(convCase(s, 3, 6, 6, 5, geom(3, 3, {1, 1}, {1, 1, 1, 1})));
  }
  checkAll(cases);
}

/// mc.qmatmul of two activations ([batch, heads, M, K] x [batch, heads, K,
/// N], per-tensor requantization) or of an activation and a constant
/// matrix with per-column zero points.
Case matmulCase(std::string name, Kind ka, int64_t za, Kind kb,
                std::vector<int64_t> zb, std::vector<int64_t> lead, int64_t m,
                int64_t k, int64_t n, bool constRhs, bool requant) {
  Rng rng(std::hash<std::string>()(name));
  std::vector<int64_t> aShape = {-1}, bShape;
  aShape.insert(aShape.end(), lead.begin(), lead.end());
  aShape.push_back(m);
  aShape.push_back(k);
  if (constRhs) {
    bShape = {k, n};
  } else {
    bShape = aShape;
    bShape[bShape.size() - 2] = k;
    bShape.back() = n;
  }
  std::vector<int64_t> accShape = aShape;
  accShape.back() = n;
  auto zbs = std::make_shared<std::vector<int64_t>>(perChannel(zb, n));
  auto rhs = std::make_shared<Tensor>();
  if (constRhs)
    *rhs = randomStorage(rng, kb, bShape);
  auto rq = std::make_shared<Requant>();
  rq->zpOut = -7;
  if (requant) {
    std::vector<int64_t> sa = aShape, sb = bShape;
    sa[0] = 3;
    if (!constRhs)
      sb[0] = 3;
    Tensor acc = refMatmul(randomStorage(rng, ka, sa), za,
                           constRhs ? *rhs : randomStorage(rng, kb, sb), *zbs);
    rq->scale = spreadScales(acc, 0, 1, rng);
  }

  Func fn;
  std::string aT = tensorType(aShape, boundaryElem(ka));
  std::string aqT = tensorType(aShape, quantType(ka, 0.05, za));
  std::string a = fn.arg(aT);
  std::string aq = fn.op("mc.storage_cast " + a + " : " + aT + " -> " + aqT);
  std::string bT = tensorType(bShape, boundaryElem(kb));
  std::string bqT =
      zb.size() > 1
          ? tensorType(bShape,
                       quantTypeAxis(kb, bShape.size() - 1,
                                     std::vector<double>(n, 0.02), *zbs))
          : tensorType(bShape, quantType(kb, 0.02, zb[0]));
  std::string b = constRhs ? fn.op("mc.constant " + hexDense(*rhs) + " : " + bT)
                           : fn.arg(bT);
  std::string bq = fn.op("mc.storage_cast " + b + " : " + bT + " -> " + bqT);
  std::string accT = tensorType(accShape, "i32");
  std::string acc = fn.op("mc.qmatmul " + aq + ", " + bq + " : (" + aqT + ", " +
                          bqT + ") -> " + accT);
  LayerSpec s;
  s.output = requant ? Output::Requant : Output::Acc;
  s.zpOut = rq->zpOut;
  finishLayer(fn, s, acc, accShape, 0, *rq);

  Case c;
  c.name = name;
  c.ir = fn.text();
  c.inputs = [=](int64_t batch, Rng &r) {
    std::vector<int64_t> sa = aShape, sb = bShape;
    sa[0] = batch;
    std::vector<Tensor> xs = {randomStorage(r, ka, sa)};
    if (!constRhs) {
      sb[0] = batch;
      xs.push_back(randomStorage(r, kb, sb));
    }
    return xs;
  };
  c.reference = [=](const std::vector<Tensor> &xs) {
    Tensor acc = refMatmul(xs[0], za, constRhs ? *rhs : xs[1], *zbs);
    if (!requant)
      return acc;
    return refRequantizeTensor(acc, *rq, 0);
  };
  return c;
}

TEST(QuantizedReference, QMatMul) {
  std::vector<Case> cases;
  // Attention-like: scores of [batch, 3 heads, 17, 33] x [.., 33, 17].
  cases.push_back(matmulCase("qmatmul_heads3_m17_k33_n17", Kind::I8, -4,
                             Kind::I8, {6}, {3}, 17, 33, 17, false, true));
  cases.push_back(matmulCase("qmatmul_m1_k1000_n3", Kind::I8, 10, Kind::I8,
                             {-2}, {}, 1, 1000, 3, false, true));
  std::vector<int64_t> zcol;
  for (int j = 0; j < 1000; ++j)
    zcol.push_back((j * 7) % 13 - 6);
  cases.push_back(matmulCase("qmatmul_const_u8_zcol_acc_k33_n1000", Kind::U8,
                             128, Kind::I8, zcol, {}, 5, 33, 1000, true,
                             false));
  cases.push_back(matmulCase("qmatmul_const_k64_n17", Kind::I8, 0, Kind::I8,
                             {0}, {}, 3, 64, 17, true, true));
  checkAll(cases);
}

// Pruned weights (2:4, 4:8, 90% unstructured) with `mc.sparsity`, as
// mc-prune + mc-quantize leave them: whatever sparse kernel the lowering
// picks from the attribute must give the dense result.
TEST(QuantizedReference, Sparse) {
  std::vector<Case> cases;
  {
    LayerSpec s = spec("qlinear_2of4_k1000_n17", Kind::I8, 5, Output::Requant);
    s.sparsity = "2:4";
    cases.push_back(linearCase(s, {}, 1000, 17));
  }
  {
    LayerSpec s = spec("qlinear_2of4_k66_n33", Kind::I8, -9, Output::Requant,
                       Kind::I8, -128);
    s.sparsity = "2:4";
    cases.push_back(linearCase(s, {}, 66, 33));
  }
  {
    LayerSpec s = spec("qlinear_4of8_k64_n1000", Kind::I8, 0, Output::Requant);
    s.sparsity = "4:8";
    cases.push_back(linearCase(s, {}, 64, 1000));
  }
  {
    LayerSpec s =
        spec("qlinear_unstructured_k1000_n65", Kind::I8, 3, Output::Requant);
    s.sparsity = "unstructured";
    cases.push_back(linearCase(s, {3}, 1000, 65));
  }
  {
    LayerSpec s = spec("qconv_2of4_c16_f33_k3_pad1", Kind::I8, -20,
                       Output::Requant, Kind::I8, -128);
    s.sparsity = "2:4";
    cases.push_back(
        convCase(s, 16, 6, 5, 33, geom(3, 3, {1, 1}, {1, 1, 1, 1})));
  }
  {
    LayerSpec s =
        spec("qconv_unstructured_c17_f17_k3_s2", Kind::I8, 7, Output::Requant);
    s.sparsity = "unstructured";
    cases.push_back(
        convCase(s, 17, 7, 7, 17, geom(3, 3, {2, 2}, {1, 1, 1, 1})));
  }
  checkAll(cases);
}

// mc.requantize alone on int32 inputs that include INT32_MIN / INT32_MAX,
// zero and small values: explicit multipliers and shifts covering every
// shift from 63 down to -31 (one channel each), multipliers 2^30 (where
// acc * M * 2^-n hits exact ties for odd accumulators), 2^31 - 1 and
// random; i8 and u8 outputs; and float scales per tensor and per channel
// encoded by mc-fixed-point.
Case requantizeCase(std::string name, std::vector<int64_t> shape, int axis,
                    std::shared_ptr<Requant> rq, bool explicitParams) {
  Func fn;
  std::string inT = tensorType(shape, "i32");
  std::string x = fn.arg(inT);
  std::string qT = tensorType(shape, quantType(rq->out, 0.1, rq->zpOut));
  std::string attrs = "{";
  bool perChannel =
      (explicitParams ? rq->multiplier.size() : rq->scale.size()) > 1;
  if (perChannel)
    attrs += "axis = " + std::to_string(axis) + " : i64, ";
  if (explicitParams)
    attrs += "multiplier = " + arrayAttr("i32", rq->multiplier) +
             ", shift = " + arrayAttr("i8", rq->shift) + "}";
  else
    attrs += "scale = " + arrayAttr("f64", rq->scale) + "}";
  std::string y =
      fn.op("mc.requantize " + x + " " + attrs + " : " + inT + " -> " + qT);
  std::string outT = tensorType(shape, boundaryElem(rq->out));
  fn.retName = fn.op("mc.storage_cast " + y + " : " + qT + " -> " + outT);
  fn.retType = outT;
  if (!explicitParams)
    encodeScales(*rq);

  Case c;
  c.name = name;
  c.ir = fn.text();
  c.inputs = [shape](int64_t batch, Rng &r) {
    std::vector<int64_t> s = shape;
    s[0] = batch;
    Tensor t = Tensor::make(Kind::I32, s);
    const int64_t special[] = {std::numeric_limits<int32_t>::min(),
                               std::numeric_limits<int32_t>::max(),
                               std::numeric_limits<int32_t>::min() + 1,
                               0,
                               1,
                               -1,
                               2,
                               -2,
                               3,
                               -3,
                               1 << 20,
                               -(1 << 20)};
    for (int64_t &v : t.ints) {
      switch (uniformInt(r, 0, 3)) {
      case 0:
        v = special[uniformInt(r, 0, 11)];
        break;
      case 1: // uniform over int32
        v = uniformInt(r, std::numeric_limits<int32_t>::min(),
                       std::numeric_limits<int32_t>::max());
        break;
      default: { // log-uniform magnitude, either sign
        int bits = static_cast<int>(uniformInt(r, 0, 31));
        v = uniformInt(r, -(int64_t(1) << bits), (int64_t(1) << bits) - 1);
        break;
      }
      }
    }
    return std::vector<Tensor>{t};
  };
  c.reference = [rq, axis](const std::vector<Tensor> &xs) {
    return refRequantizeTensor(xs[0], *rq, axis);
  };
  return c;
}

TEST(QuantizedReference, Requantize) {
  std::vector<Case> cases;
  for (Kind out : {Kind::I8, Kind::U8}) {
    // One channel per shift in [-31, 63]; multipliers 2^30, 2^31 - 1 and
    // random in [2^30, 2^31).
    Rng rng(out == Kind::I8 ? 11 : 12);
    auto rq = std::make_shared<Requant>();
    rq->out = out;
    rq->zpOut = out == Kind::I8 ? -3 : 131;
    for (int n = kMaxRequantShift; n >= kMinRequantShift; --n) {
      int64_t m = n % 3 == 0   ? (int64_t(1) << 30)
                  : n % 3 == 1 ? (int64_t(1) << 31) - 1
                               : uniformInt(rng, int64_t(1) << 30,
                                            (int64_t(1) << 31) - 1);
      rq->multiplier.push_back(m);
      rq->shift.push_back(n);
    }
    int64_t channels = rq->multiplier.size();
    cases.push_back(requantizeCase(out == Kind::I8 ? "requantize_all_shifts_i8"
                                                   : "requantize_all_shifts_u8",
                                   {-1, channels, 7}, 1, rq, true));
  }
  {
    // Per tensor, float scale (mc-fixed-point), ReLU-style zero point.
    auto rq = std::make_shared<Requant>();
    rq->scale = {0.00123456789};
    rq->zpOut = -128;
    cases.push_back(requantizeCase("requantize_per_tensor_scale",
                                   {-1, 17, 3, 3}, 1, rq, false));
  }
  {
    // Per channel over 1000 channels, float scales log-uniform in
    // [2^-33, 2^8): tiny, typical and above 1.
    Rng rng(13);
    auto rq = std::make_shared<Requant>();
    rq->zpOut = 9;
    std::uniform_real_distribution<double> e(-32.9, 8.0);
    for (int i = 0; i < 1000; ++i)
      rq->scale.push_back(std::exp2(e(rng)));
    cases.push_back(
        requantizeCase("requantize_c1000_scales", {-1, 1000}, 1, rq, false));
  }
  checkAll(cases);
}

/// f32 [batch, rows, cols] -> mc.quantize (per tensor, or per axis 1) ->
/// storage. Inputs mix normal values, exact halves of the scale (ties go to
/// even), huge values, infinities and NaN.
Case quantizeCase(std::string name, Kind k, int64_t rows, int64_t cols,
                  std::vector<float> scales, std::vector<int64_t> zps) {
  std::vector<int64_t> shape = {-1, rows, cols};
  std::string q =
      scales.size() == 1
          ? quantType(k, scales[0], zps[0])
          : quantTypeAxis(
                k, 1, std::vector<double>(scales.begin(), scales.end()), zps);
  Func fn;
  std::string inT = tensorType(shape, "f32");
  std::string x = fn.arg(inT);
  std::string qT = tensorType(shape, q);
  std::string y = fn.op("mc.quantize " + x + " : " + inT + " -> " + qT);
  std::string outT = tensorType(shape, boundaryElem(k));
  fn.retName = fn.op("mc.storage_cast " + y + " : " + qT + " -> " + outT);
  fn.retType = outT;

  Case c;
  c.name = name;
  c.ir = fn.text();
  c.inputs = [=](int64_t batch, Rng &r) {
    Tensor t = Tensor::make(Kind::F32, {batch, rows, cols});
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int64_t i = 0, e = t.numel(); i < e; ++i) {
      float s = scales.size() == 1 ? scales[0] : scales[(i / cols) % rows];
      switch (uniformInt(r, 0, 5)) {
      case 0: // an exact half of the scale: a tie
        t.f[i] = (static_cast<float>(uniformInt(r, -300, 300)) + 0.5f) * s;
        break;
      case 1: {
        const float special[] = {std::numeric_limits<float>::infinity(),
                                 -std::numeric_limits<float>::infinity(),
                                 std::numeric_limits<float>::quiet_NaN(),
                                 1e30f,
                                 -1e30f,
                                 0.0f,
                                 -0.0f,
                                 std::numeric_limits<float>::denorm_min()};
        t.f[i] = special[uniformInt(r, 0, 7)];
        break;
      }
      default:
        t.f[i] = normal(r) * 80.0f * s;
      }
    }
    return std::vector<Tensor>{t};
  };
  c.reference = [=](const std::vector<Tensor> &xs) {
    Tensor y = Tensor::make(k, xs[0].shape);
    for (int64_t i = 0, e = y.numel(); i < e; ++i) {
      size_t ch = scales.size() == 1 ? 0 : (i / cols) % rows;
      y.ints[i] = refQuantize(xs[0].f[i], scales[ch], zps[ch], k);
    }
    return y;
  };
  return c;
}

/// storage [batch, rows, cols] -> mc.dequantize (per tensor or axis 1).
Case dequantizeCase(std::string name, Kind k, int64_t rows, int64_t cols,
                    std::vector<float> scales, std::vector<int64_t> zps) {
  std::vector<int64_t> shape = {-1, rows, cols};
  std::string q =
      scales.size() == 1
          ? quantType(k, scales[0], zps[0])
          : quantTypeAxis(
                k, 1, std::vector<double>(scales.begin(), scales.end()), zps);
  Func fn;
  std::string inT = tensorType(shape, boundaryElem(k));
  std::string x = fn.arg(inT);
  std::string qT = tensorType(shape, q);
  std::string xq = fn.op("mc.storage_cast " + x + " : " + inT + " -> " + qT);
  std::string outT = tensorType(shape, "f32");
  fn.retName = fn.op("mc.dequantize " + xq + " : " + qT + " -> " + outT);
  fn.retType = outT;

  Case c;
  c.name = name;
  c.ir = fn.text();
  c.inputs = [=](int64_t batch, Rng &r) {
    return std::vector<Tensor>{randomStorage(r, k, {batch, rows, cols})};
  };
  c.reference = [=](const std::vector<Tensor> &xs) {
    Tensor y = Tensor::make(Kind::F32, xs[0].shape);
    for (int64_t i = 0, e = y.numel(); i < e; ++i) {
      size_t ch = scales.size() == 1 ? 0 : (i / cols) % rows;
      y.f[i] = refDequantize(xs[0].ints[i], scales[ch], zps[ch]);
    }
    return y;
  };
  return c;
}

/// Random f32 scales in [2^-10, 2^2) and zero points over the storage range.
void randomParams(Rng &rng, Kind k, int64_t n, std::vector<float> &scales,
                  std::vector<int64_t> &zps) {
  std::uniform_real_distribution<float> e(-10.0f, 2.0f);
  for (int64_t i = 0; i < n; ++i) {
    scales.push_back(std::exp2(e(rng)));
    zps.push_back(uniformInt(rng, kindMin(k), kindMax(k)));
  }
}

TEST(QuantizedReference, QuantizeDequantize) {
  std::vector<Case> cases;
  Rng rng(21);
  std::vector<float> s;
  std::vector<int64_t> z;
  cases.push_back(
      quantizeCase("quantize_i8_per_tensor", Kind::I8, 17, 5, {0.0371f}, {-3}));
  cases.push_back(
      quantizeCase("quantize_u8_per_tensor", Kind::U8, 3, 17, {0.25f}, {128}));
  randomParams(rng, Kind::I8, 17, s, z);
  cases.push_back(quantizeCase("quantize_i8_axis_c17", Kind::I8, 17, 3, s, z));
  s.clear();
  z.clear();
  randomParams(rng, Kind::U8, 1000, s, z);
  cases.push_back(
      quantizeCase("quantize_u8_axis_c1000", Kind::U8, 1000, 1, s, z));
  cases.push_back(dequantizeCase("dequantize_i8_per_tensor", Kind::I8, 17, 5,
                                 {0.0371f}, {-3}));
  cases.push_back(
      dequantizeCase("dequantize_u8_axis_c1000", Kind::U8, 1000, 1, s, z));
  s.clear();
  z.clear();
  randomParams(rng, Kind::I8, 3, s, z);
  cases.push_back(
      dequantizeCase("dequantize_i8_axis_c3", Kind::I8, 3, 17, s, z));
  checkAll(cases);
}

/// storage [batch, C, H, W] -> mc.max_pool2d (k x k, stride, pads) ->
/// storage, on quantized values.
Case maxPoolCase(std::string name, Kind k, int64_t ch, int64_t h, int64_t w,
                 int64_t kernel, int64_t stride, int64_t pad, bool ceilMode) {
  int64_t oh, ow;
  refMaxPool(Tensor::make(k, {1, ch, h, w}), kernel, stride, pad, ceilMode, oh,
             ow);
  std::vector<int64_t> inShape = {-1, ch, h, w}, outShape = {-1, ch, oh, ow};
  std::string q = quantType(k, 0.1, k == Kind::I8 ? 5 : 133);
  Func fn;
  std::string inT = tensorType(inShape, boundaryElem(k));
  std::string qT = tensorType(inShape, q);
  std::string pT = tensorType(outShape, q);
  std::string outT = tensorType(outShape, boundaryElem(k));
  std::string x = fn.arg(inT);
  std::string xq = fn.op("mc.storage_cast " + x + " : " + inT + " -> " + qT);
  std::string attrs =
      "{ceil_mode = " + std::string(ceilMode ? "true" : "false") +
      ", kernel = array<i64: " + std::to_string(kernel) + ", " +
      std::to_string(kernel) + ">, pads = array<i64: " + std::to_string(pad) +
      ", " + std::to_string(pad) + ", " + std::to_string(pad) + ", " +
      std::to_string(pad) +
      ">, strides = array<i64: " + std::to_string(stride) + ", " +
      std::to_string(stride) + ">}";
  std::string p =
      fn.op("mc.max_pool2d " + xq + " " + attrs + " : (" + qT + ") -> " + pT);
  fn.retName = fn.op("mc.storage_cast " + p + " : " + pT + " -> " + outT);
  fn.retType = outT;

  Case c;
  c.name = name;
  c.ir = fn.text();
  c.inputs = [=](int64_t batch, Rng &r) {
    return std::vector<Tensor>{randomStorage(r, k, {batch, ch, h, w})};
  };
  c.reference = [=](const std::vector<Tensor> &xs) {
    int64_t a, b;
    return refMaxPool(xs[0], kernel, stride, pad, ceilMode, a, b);
  };
  return c;
}

TEST(QuantizedReference, MaxPool) {
  std::vector<Case> cases;
  cases.push_back(maxPoolCase("maxpool_i8_c17_k3_s2_pad1", Kind::I8, 17, 9, 9,
                              3, 2, 1, false));
  cases.push_back(maxPoolCase("maxpool_u8_c3_k3_s2_pad1_ceil", Kind::U8, 3, 7,
                              6, 3, 2, 1, true));
  cases.push_back(maxPoolCase("maxpool_i8_c1000_k2_s2", Kind::I8, 1000, 4, 4, 2,
                              2, 0, false));
  cases.push_back(
      maxPoolCase("maxpool_i8_c1_k2_s1", Kind::I8, 1, 5, 7, 2, 1, 0, false));
  checkAll(cases);
}

// A whole small CNN in the form mc-quantize gives it: f32 input ->
// mc.quantize -> qconv2d (3 -> 17, 3x3, pad 1, bias) -> requantize with a
// folded ReLU -> int8 max pooling -> flatten -> qlinear (272 -> 10, bias)
// -> requantize -> mc.dequantize -> f32, compared bit for bit with the
// reference layers chained.
TEST(QuantizedReference, Chain) {
  std::vector<Case> cases;
  Rng rng(31);
  const int64_t c = 3, h = 8, f = 17, classes = 10;
  const float inScale = 0.02f;
  const int64_t inZp = -6, hidZp = -128, outZp = 3;
  const float outScale = 0.1f;
  LayerSpec sym = spec("chain", Kind::I8, 0, Output::Requant);
  auto wc = std::make_shared<Tensor>(makeWeights(rng, sym, {f, c, 3, 3}));
  auto bc = std::make_shared<Tensor>(makeBias(rng, f, c * 9));
  ConvGeom g = geom(3, 3, {1, 1}, {1, 1, 1, 1});
  int64_t flat = f * (h / 2) * (h / 2);
  auto wl = std::make_shared<Tensor>(makeWeights(rng, sym, {classes, flat}));
  auto bl = std::make_shared<Tensor>(makeBias(rng, classes, flat));
  std::vector<int64_t> zf(f, 0), zl(classes, 0);
  auto rqc = std::make_shared<Requant>(), rql = std::make_shared<Requant>();
  rqc->zpOut = hidZp;
  rql->zpOut = outZp;
  auto quantizeInput = [=](const Tensor &x) {
    Tensor q = Tensor::make(Kind::I8, x.shape);
    for (int64_t i = 0, e = x.numel(); i < e; ++i)
      q.ints[i] = refQuantize(x.f[i], inScale, inZp, Kind::I8);
    return q;
  };
  auto makeInput = [=](int64_t batch, Rng &r) {
    Tensor x = Tensor::make(Kind::F32, {batch, c, h, h});
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float &v : x.f)
      v = normal(r);
    return x;
  };
  {
    // Calibrate the two requantizations on a sample.
    Tensor xq = quantizeInput(makeInput(4, rng));
    Tensor a = refConv(xq, inZp, *wc, zf, bc.get(), g);
    rqc->scale = spreadScales(a, 1, f, rng);
    encodeScales(*rqc);
    int64_t oh, ow;
    Tensor p =
        refMaxPool(refRequantizeTensor(a, *rqc, 1), 2, 2, 0, false, oh, ow);
    p.shape = {4, flat};
    Tensor l = refLinear(p, hidZp, *wl, zl, bl.get());
    rql->scale = spreadScales(l, 1, classes, rng);
  }

  Func fn;
  std::string xT = tensorType({-1, c, h, h}, "f32");
  std::string qInT =
      tensorType({-1, c, h, h}, quantType(Kind::I8, inScale, inZp));
  std::string x = fn.arg(xT);
  std::string xq = fn.op("mc.quantize " + x + " : " + xT + " -> " + qInT);
  std::string wcT = tensorType(wc->shape, "i8");
  std::string wcqT = tensorType(wc->shape, weightQuantType(sym, f));
  std::string w1 = fn.op("mc.constant " + hexDense(*wc) + " : " + wcT);
  std::string w1q =
      fn.op("mc.storage_cast " + w1 + " : " + wcT + " -> " + wcqT);
  std::string b1T = tensorType({f}, "i32");
  std::string b1 = fn.op("mc.constant " + hexDense(*bc) + " : " + b1T);
  std::string a1T = tensorType({-1, f, h, h}, "i32");
  std::string a1 = fn.op("mc.qconv2d " + xq + ", " + w1q + ", " + b1 +
                         " {pads = array<i64: 1, 1, 1, 1>} : (" + qInT + ", " +
                         wcqT + ", " + b1T + ") -> " + a1T);
  std::string hq = quantType(Kind::I8, 0.05, hidZp);
  std::string y1T = tensorType({-1, f, h, h}, hq);
  std::string y1 =
      fn.op("mc.requantize " + a1 + " {axis = 1 : i64, scale = " +
            arrayAttr("f64", rqc->scale) + "} : " + a1T + " -> " + y1T);
  std::string pT = tensorType({-1, f, h / 2, h / 2}, hq);
  std::string p = fn.op("mc.max_pool2d " + y1 +
                        " {kernel = array<i64: 2, 2>, strides = array<i64: 2, "
                        "2>} : (" +
                        y1T + ") -> " + pT);
  std::string flT = tensorType({-1, flat}, hq);
  std::string fl =
      fn.op("mc.flatten " + p + " {axis = 1 : i64} : (" + pT + ") -> " + flT);
  std::string wlT = tensorType(wl->shape, "i8");
  std::string wlqT = tensorType(wl->shape, weightQuantType(sym, classes));
  std::string w2 = fn.op("mc.constant " + hexDense(*wl) + " : " + wlT);
  std::string w2q =
      fn.op("mc.storage_cast " + w2 + " : " + wlT + " -> " + wlqT);
  std::string b2T = tensorType({classes}, "i32");
  std::string b2 = fn.op("mc.constant " + hexDense(*bl) + " : " + b2T);
  std::string a2T = tensorType({-1, classes}, "i32");
  std::string a2 = fn.op("mc.qlinear " + fl + ", " + w2q + ", " + b2 + " : (" +
                         flT + ", " + wlqT + ", " + b2T + ") -> " + a2T);
  std::string oq = quantType(Kind::I8, outScale, outZp);
  std::string y2T = tensorType({-1, classes}, oq);
  std::string y2 =
      fn.op("mc.requantize " + a2 + " {axis = 1 : i64, scale = " +
            arrayAttr("f64", rql->scale) + "} : " + a2T + " -> " + y2T);
  std::string outT = tensorType({-1, classes}, "f32");
  fn.retName = fn.op("mc.dequantize " + y2 + " : " + y2T + " -> " + outT);
  fn.retType = outT;
  encodeScales(*rql);

  Case cs;
  cs.name = "chain_cnn";
  cs.ir = fn.text();
  cs.inputs = [=](int64_t batch, Rng &r) {
    return std::vector<Tensor>{makeInput(batch, r)};
  };
  cs.reference = [=](const std::vector<Tensor> &xs) {
    Tensor q = quantizeInput(xs[0]);
    Tensor a = refConv(q, inZp, *wc, zf, bc.get(), g);
    int64_t oh, ow;
    Tensor pool =
        refMaxPool(refRequantizeTensor(a, *rqc, 1), 2, 2, 0, false, oh, ow);
    pool.shape = {xs[0].shape[0], flat};
    Tensor l = refLinear(pool, hidZp, *wl, zl, bl.get());
    Tensor y = refRequantizeTensor(l, *rql, 1);
    Tensor out = Tensor::make(Kind::F32, y.shape);
    for (int64_t i = 0, e = y.numel(); i < e; ++i)
      out.f[i] = refDequantize(y.ints[i], outScale, outZp);
    return out;
  };
  cases.push_back(cs);
  checkAll(cases);
}

} // namespace

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef a = argv[i];
    if (a == "--workdir" && i + 1 < argc)
      gWorkdir = argv[++i];
    else if (a == "--mc-compile" && i + 1 < argc)
      gCompiler = argv[++i];
    else if (a == "--jobs" && i + 1 < argc &&
             !llvm::StringRef(argv[i + 1]).getAsInteger(10, gJobs) && gJobs > 0)
      ++i;
    else {
      std::fprintf(stderr,
                   "usage: %s [--mc-compile PATH] [--jobs N] --workdir DIR "
                   "[gtest flags]\nbad argument: %s\n",
                   argv[0], argv[i]);
      return 2;
    }
  }
  if (gWorkdir.empty()) {
    std::fprintf(stderr, "%s: --workdir is required\n", argv[0]);
    return 2;
  }
  if (gCompiler.empty()) {
    llvm::ErrorOr<std::string> found =
        llvm::sys::findProgramByName("mc-compile");
    if (!found) {
      std::fprintf(stderr, "%s: mc-compile is not on PATH (use --mc-compile)\n",
                   argv[0]);
      return 2;
    }
    gCompiler = *found;
  }
  return RUN_ALL_TESTS();
}
