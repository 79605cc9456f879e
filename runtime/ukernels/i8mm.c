/*===- i8mm.c - int8 matrix-multiply microkernel --------------*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc_ukernel_i8mm_u8s8: C[m][n] += sum_k A[m][k] * B[k][n] with unsigned
// 8-bit A, signed 8-bit B and int32 C, for one cache block of a larger
// product. Generated code (mc-cpu-int8-gemm-to-ukernel) drives it: it loops
// over the blocks, prepares A (offset to unsigned, K padded to a multiple of
// 4) and initializes C (bias and zero-point correction), and requantizes C
// afterwards. The weights B were packed at compile time by
// mc-cpu-pack-int8-weights into panels of 32 columns:
//
//   packed[p][g][j][r] = B[4 g + r][32 p + j]    (zero outside B)
//
// so that one 64-byte vector holds 4 consecutive k of 16 columns, the
// operand layout of vpdpbusd. Every result is exact modulo 2^32 (the
// products and the 4-term sums of vpdpbusd fit int32; the accumulation
// wraps like the generated scalar code), so both implementations below give
// the same bits.
//
// The AVX-512 VNNI kernel is chosen at run time (cpuid) when the CPU and the
// OS support it, so a library built on a VNNI machine still runs elsewhere;
// MC_UKERNEL_PORTABLE=1 in the environment forces the portable C kernel
// (used by the tests to check both).
//
//===----------------------------------------------------------------------===*/

#include "vnni.h"

#include <stdlib.h>
#include <string.h>

enum { PANEL = 32, MR = 8 };
#ifndef MC_I8MM_KC
#define MC_I8MM_KC 128
#endif
enum { KC = MC_I8MM_KC };

static int32_t load_i32(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/*===----------------------------------------------------------------------===
 * Portable kernel
 *===----------------------------------------------------------------------===*/

static void i8mm_portable(const uint8_t *a, int64_t lda, const int8_t *b,
                          int32_t *c, int64_t ldc, int64_t m, int64_t n,
                          int64_t k4) {
  for (int64_t p = 0; p * PANEL < n; ++p) {
    const int8_t *panel = b + p * k4 * PANEL * 4;
    int64_t cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
    for (int64_t i = 0; i < m; ++i) {
      /* Unsigned arithmetic: wraps exactly like the int32 accumulators. */
      uint32_t acc[PANEL] = {0};
      const uint8_t *row = a + i * lda;
      for (int64_t g = 0; g < k4; ++g)
        for (int64_t j = 0; j < PANEL; ++j)
          for (int64_t r = 0; r < 4; ++r)
            acc[j] += (uint32_t)((int32_t)row[4 * g + r] *
                                 (int32_t)panel[(g * PANEL + j) * 4 + r]);
      int32_t *out = c + i * ldc + p * PANEL;
      for (int64_t j = 0; j < cols; ++j)
        out[j] = (int32_t)((uint32_t)out[j] + acc[j]);
    }
  }
}

/*===----------------------------------------------------------------------===
 * AVX-512 VNNI kernel
 *===----------------------------------------------------------------------===*/

#ifdef MC_HAVE_VNNI_KERNEL

/* One register tile: ROWS (compile-time after inlining) rows of A times one
 * 32-column panel, accumulated in ROWS x 2 zmm registers. Small tiles
 * split k over UNROLL independent accumulator sets so that the latency of
 * vpdpbusd is hidden. */
static inline __attribute__((always_inline)) VNNI_TARGET void
tile(const uint8_t *a, int64_t lda, const int8_t *panel, int32_t *c,
     int64_t ldc, int64_t k4, __mmask16 mask0, __mmask16 mask1, int rows,
     int unroll) {
  __m512i acc[4][MR][2];
  _Pragma("GCC unroll 8")
  for (int u = 0; u < unroll; ++u)
    _Pragma("GCC unroll 8")
    for (int i = 0; i < rows; ++i)
      acc[u][i][0] = acc[u][i][1] = _mm512_setzero_si512();
  int64_t g = 0;
  for (; g + unroll <= k4; g += unroll) {
    _Pragma("GCC unroll 8")
    for (int u = 0; u < unroll; ++u) {
      const int8_t *bp = panel + (g + u) * PANEL * 4;
      __m512i b0 = _mm512_loadu_si512((const void *)bp);
      __m512i b1 = _mm512_loadu_si512((const void *)(bp + 64));
      _Pragma("GCC unroll 8")
      for (int i = 0; i < rows; ++i) {
        __m512i av = _mm512_set1_epi32(load_i32(a + i * lda + 4 * (g + u)));
        acc[u][i][0] = dpbusd(acc[u][i][0], av, b0);
        acc[u][i][1] = dpbusd(acc[u][i][1], av, b1);
      }
    }
  }
  for (; g < k4; ++g) {
    const int8_t *bp = panel + g * PANEL * 4;
    __m512i b0 = _mm512_loadu_si512((const void *)bp);
    __m512i b1 = _mm512_loadu_si512((const void *)(bp + 64));
    _Pragma("GCC unroll 8")
    for (int i = 0; i < rows; ++i) {
      __m512i av = _mm512_set1_epi32(load_i32(a + i * lda + 4 * g));
      acc[0][i][0] = dpbusd(acc[0][i][0], av, b0);
      acc[0][i][1] = dpbusd(acc[0][i][1], av, b1);
    }
  }
  _Pragma("GCC unroll 8")
  for (int i = 0; i < rows; ++i) {
    __m512i s0 = acc[0][i][0], s1 = acc[0][i][1];
    _Pragma("GCC unroll 8")
    for (int u = 1; u < unroll; ++u) {
      s0 = _mm512_add_epi32(s0, acc[u][i][0]);
      s1 = _mm512_add_epi32(s1, acc[u][i][1]);
    }
    int32_t *out = c + i * ldc;
    s0 = _mm512_add_epi32(s0, _mm512_maskz_loadu_epi32(mask0, out));
    s1 = _mm512_add_epi32(s1, _mm512_maskz_loadu_epi32(mask1, out + 16));
    _mm512_mask_storeu_epi32(out, mask0, s0);
    _mm512_mask_storeu_epi32(out + 16, mask1, s1);
  }
}

#define TILE_CASE(R, U)                                                        \
  case R:                                                                      \
    tile(a, lda, panel, c, ldc, k4, mask0, mask1, R, U);                       \
    break;

/* One slice of the reduction (k4 groups) for a block: every 32-column
 * panel (panels panelStride bytes apart), every 8-row tile. */
static VNNI_TARGET void i8mm_vnni_slice(const uint8_t *a, int64_t lda,
                                        const int8_t *b, int64_t panelStride,
                                        int32_t *c, int64_t ldc, int64_t m,
                                        int64_t n, int64_t k4) {
  for (int64_t p = 0; p * PANEL < n; ++p) {
    const int8_t *panel = b + p * panelStride;
    int64_t cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
    __mmask16 mask0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 mask1 =
        cols >= 32 ? 0xFFFF
                   : (cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1));
    for (int64_t i0 = 0; i0 < m; i0 += MR) {
      const uint8_t *ai = a + i0 * lda;
      int32_t *ci = c + i0 * ldc + p * PANEL;
      int64_t rows = m - i0 < MR ? m - i0 : MR;
      {
        const uint8_t *a = ai;
        int32_t *c = ci;
        switch (rows) {
          TILE_CASE(1, 4)
          TILE_CASE(2, 2)
          TILE_CASE(3, 2)
          TILE_CASE(4, 2)
          TILE_CASE(5, 1)
          TILE_CASE(6, 1)
          TILE_CASE(7, 1)
        default:
          tile(a, lda, panel, c, ldc, k4, mask0, mask1, MR, 1);
          break;
        }
      }
    }
  }
}

static VNNI_TARGET void i8mm_vnni(const uint8_t *a, int64_t lda,
                                  const int8_t *b, int32_t *c, int64_t ldc,
                                  int64_t m, int64_t n, int64_t k4) {
  /* The reduction in slices of KC groups: a slice of a panel (KC * 128
   * bytes) stays in L1 while every row tile of the block uses it. */
  for (int64_t k0 = 0; k0 < k4; k0 += KC)
    i8mm_vnni_slice(a + 4 * k0, lda, b + k0 * PANEL * 4, k4 * PANEL * 4, c,
                    ldc, m, n, k4 - k0 < KC ? k4 - k0 : KC);
}
#endif

/*===----------------------------------------------------------------------===
 * Dispatch
 *===----------------------------------------------------------------------===*/

typedef void (*i8mm_fn)(const uint8_t *, int64_t, const int8_t *, int32_t *,
                        int64_t, int64_t, int64_t, int64_t);

static i8mm_fn select_i8mm(void) {
  const char *force = getenv("MC_UKERNEL_PORTABLE");
  if (force && force[0] && strcmp(force, "0") != 0)
    return i8mm_portable;
#ifdef MC_HAVE_VNNI_KERNEL
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vnni"))
    return i8mm_vnni;
#endif
  return i8mm_portable;
}

void mc_ukernel_i8mm_u8s8(intptr_t a, int64_t lda, intptr_t b, intptr_t c,
                          int64_t ldc, int64_t m, int64_t n, int64_t k4) {
  /* Resolved once; racing first calls store the same pointer. */
  static i8mm_fn selected;
  i8mm_fn fn = __atomic_load_n(&selected, __ATOMIC_RELAXED);
  if (!fn) {
    fn = select_i8mm();
    __atomic_store_n(&selected, fn, __ATOMIC_RELAXED);
  }
  fn((const uint8_t *)a, lda, (const int8_t *)b, (int32_t *)c, ldc, m, n, k4);
}

int mc_ukernel_i8mm_uses_vnni(void) {
#ifdef MC_HAVE_VNNI_KERNEL
  return select_i8mm() == i8mm_vnni;
#else
  return 0;
#endif
}
