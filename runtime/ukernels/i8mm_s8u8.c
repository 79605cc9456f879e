/*===- i8mm_s8u8.c - int8 microkernel with the weights on the left -*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc_ukernel_i8mm_s8u8: C[m][n] += sum_k A[m][k] * B[k][n] with signed 8-bit
// A (constant weights, packed at compile time), unsigned 8-bit B in plain
// rows and int32 C. It is the product of a convolution in channels-first
// form, out[f][p] = sum_k W[f][k] patches[k][p]: the output comes out in
// NCHW order with no transpose (mc-cpu-pack-int8-weights builds it, one
// call per image).
//
// A is packed by groups of 4 k:
//
//   packed[g][i][r] = A[i][4 g + r]    (zero outside A)
//
// so that the 4 weights of one row for one group are one dword, the
// broadcast operand of vpdpbusd, and the rows of a group are contiguous. B is reordered by the kernel itself, one
// block of 48 columns at a time, into the vpdpbusd layout (4 consecutive k
// of one column in each dword; rows past k read as zero); C is accumulated
// in 8 x 3 zmm registers per 8 rows x 48 columns.
//
// Every result is exact modulo 2^32, like i8mm.c's kernel: both
// implementations give the same bits. The VNNI kernel is chosen at run time
// (cpuid); MC_UKERNEL_PORTABLE=1 forces the portable one.
//
//===----------------------------------------------------------------------===*/

#include "vnni.h"

#include <stdlib.h>
#include <string.h>

enum { ROWS = 8, COLS = 48, KC = 64 /* groups of 4 k per reordered slice */ };

/*===----------------------------------------------------------------------===
 * Portable kernel
 *===----------------------------------------------------------------------===*/

static void i8mm_s8u8_portable(const int8_t *a, const uint8_t *b, int64_t ldb,
                               int32_t *c, int64_t ldc, int64_t m, int64_t n,
                               int64_t k) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      /* Unsigned arithmetic: wraps exactly like the int32 accumulators. */
      uint32_t acc = 0;
      for (int64_t kk = 0; kk < k; ++kk)
        acc += (uint32_t)((int32_t)a[((kk / 4) * m + i) * 4 + kk % 4] *
                          (int32_t)b[kk * ldb + j]);
      c[i * ldc + j] = (int32_t)((uint32_t)c[i * ldc + j] + acc);
    }
  }
}

/*===----------------------------------------------------------------------===
 * AVX-512 VNNI kernel
 *===----------------------------------------------------------------------===*/

#ifdef MC_HAVE_VNNI_KERNEL

/* Reorders rows [4 g0, 4 (g0 + groups)) x columns [j0, j0 + cols) of B
 * into out[g][j][r] = B[4 (g0 + g) + r][j0 + j], j < COLS (zero past cols
 * and past k). */
static VNNI_TARGET void reorder(const uint8_t *b, int64_t ldb, int64_t k,
                                int64_t g0, int64_t groups, int64_t j0,
                                int64_t cols, uint8_t *out) {
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t *rows[4];
    int present[4];
    for (int r = 0; r < 4; ++r) {
      int64_t kk = 4 * (g0 + g) + r;
      present[r] = kk < k;
      rows[r] = b + (present[r] ? kk : 0) * ldb + j0;
    }
    uint8_t *dst = out + g * COLS * 4;
    for (int64_t j = 0; j < COLS; j += 16) {
      int64_t left = cols - j;
      __mmask16 mask = left >= 16 ? 0xFFFF
                                  : (left <= 0 ? 0 : (__mmask16)((1u << left) - 1));
      __m128i r0 = present[0] ? _mm_maskz_loadu_epi8(mask, rows[0] + j)
                              : _mm_setzero_si128();
      __m128i r1 = present[1] ? _mm_maskz_loadu_epi8(mask, rows[1] + j)
                              : _mm_setzero_si128();
      __m128i r2 = present[2] ? _mm_maskz_loadu_epi8(mask, rows[2] + j)
                              : _mm_setzero_si128();
      __m128i r3 = present[3] ? _mm_maskz_loadu_epi8(mask, rows[3] + j)
                              : _mm_setzero_si128();
      /* Interleave bytes of rows 0/1 and 2/3, then 16-bit pairs: dword j
       * holds (r0[j], r1[j], r2[j], r3[j]). */
      __m128i t0 = _mm_unpacklo_epi8(r0, r1), t1 = _mm_unpackhi_epi8(r0, r1);
      __m128i t2 = _mm_unpacklo_epi8(r2, r3), t3 = _mm_unpackhi_epi8(r2, r3);
      _mm_storeu_si128((__m128i *)(dst + 4 * j), _mm_unpacklo_epi16(t0, t2));
      _mm_storeu_si128((__m128i *)(dst + 4 * j + 16),
                       _mm_unpackhi_epi16(t0, t2));
      _mm_storeu_si128((__m128i *)(dst + 4 * j + 32),
                       _mm_unpacklo_epi16(t1, t3));
      _mm_storeu_si128((__m128i *)(dst + 4 * j + 48),
                       _mm_unpackhi_epi16(t1, t3));
    }
  }
}

/* Rows [0, rows) of A (packed, groups `gstride` bytes apart) times `vecs`
 * vectors of 16 columns of a reordered slice of `groups` groups, added to
 * C (rows <= 8 and vecs <= 3 are constants after inlining). The
 * accumulators start from C. */
static inline __attribute__((always_inline)) VNNI_TARGET void
tile(const int8_t *block, int64_t gstride, const uint8_t *slice,
     int64_t groups, int32_t *c, int64_t ldc, const __mmask16 *masks, int rows,
     int vecs) {
  __m512i acc[ROWS][3];
  _Pragma("GCC unroll 8")
  for (int i = 0; i < rows; ++i)
    _Pragma("GCC unroll 3")
    for (int v = 0; v < vecs; ++v)
      acc[i][v] = _mm512_maskz_loadu_epi32(masks[v], c + i * ldc + 16 * v);
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t *bp = slice + g * COLS * 4;
    __m512i bv[3];
    _Pragma("GCC unroll 3")
    for (int v = 0; v < vecs; ++v)
      bv[v] = _mm512_loadu_si512((const void *)(bp + 64 * v));
    const int8_t *ap = block + g * gstride;
    _Pragma("GCC unroll 8")
    for (int i = 0; i < rows; ++i) {
      int32_t w;
      memcpy(&w, ap + 4 * i, sizeof w);
      __m512i wv = _mm512_set1_epi32(w);
      _Pragma("GCC unroll 3")
      for (int v = 0; v < vecs; ++v)
        acc[i][v] = dpbusd(acc[i][v], bv[v], wv);
    }
  }
  _Pragma("GCC unroll 8")
  for (int i = 0; i < rows; ++i)
    _Pragma("GCC unroll 3")
    for (int v = 0; v < vecs; ++v)
      _mm512_mask_storeu_epi32(c + i * ldc + 16 * v, masks[v], acc[i][v]);
}

/* The full tile, 8 rows x 3 vectors, with its 24 accumulators in named
 * variables: the generic tile above, instantiated for it, keeps its array
 * of accumulators on the stack. */
#define MC_LOAD_ROW(i)                                                         \
  __m512i c##i##0 = _mm512_loadu_si512((const void *)(c + (i) * ldc));         \
  __m512i c##i##1 = _mm512_loadu_si512((const void *)(c + (i) * ldc + 16));    \
  __m512i c##i##2 = _mm512_loadu_si512((const void *)(c + (i) * ldc + 32));
/* vpdpbusd with the 4 weights of row i broadcast from memory; inline
 * assembly because GCC 12 surrounds the intrinsic with register copies of
 * the accumulator. */
#define MC_DPBUSD_BCST(acc, b, w)                                              \
  __asm__("vpdpbusd %[wp]%{1to16%}, %[bv], %[av]"                              \
          : [av] "+v"(acc)                                                     \
          : [bv] "v"(b), [wp] "m"(*(const int32_t *)(w)))
#define MC_STEP_ROW(i)                                                         \
  {                                                                            \
    MC_DPBUSD_BCST(c##i##0, b0, ap + 4 * (i));                                 \
    MC_DPBUSD_BCST(c##i##1, b1, ap + 4 * (i));                                 \
    MC_DPBUSD_BCST(c##i##2, b2, ap + 4 * (i));                                 \
  }
#define MC_STORE_ROW(i)                                                        \
  _mm512_storeu_si512((void *)(c + (i) * ldc), c##i##0);                       \
  _mm512_storeu_si512((void *)(c + (i) * ldc + 16), c##i##1);                  \
  _mm512_storeu_si512((void *)(c + (i) * ldc + 32), c##i##2);

static VNNI_TARGET void full_tile(const int8_t *block, int64_t gstride,
                                  const uint8_t *slice, int64_t groups,
                                  int32_t *c, int64_t ldc) {
  MC_LOAD_ROW(0) MC_LOAD_ROW(1) MC_LOAD_ROW(2) MC_LOAD_ROW(3)
  MC_LOAD_ROW(4) MC_LOAD_ROW(5) MC_LOAD_ROW(6) MC_LOAD_ROW(7)
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t *bp = slice + g * COLS * 4;
    __m512i b0 = _mm512_loadu_si512((const void *)bp);
    __m512i b1 = _mm512_loadu_si512((const void *)(bp + 64));
    __m512i b2 = _mm512_loadu_si512((const void *)(bp + 128));
    const int8_t *ap = block + g * gstride;
    MC_STEP_ROW(0) MC_STEP_ROW(1) MC_STEP_ROW(2) MC_STEP_ROW(3)
    MC_STEP_ROW(4) MC_STEP_ROW(5) MC_STEP_ROW(6) MC_STEP_ROW(7)
  }
  MC_STORE_ROW(0) MC_STORE_ROW(1) MC_STORE_ROW(2) MC_STORE_ROW(3)
  MC_STORE_ROW(4) MC_STORE_ROW(5) MC_STORE_ROW(6) MC_STORE_ROW(7)
}

static __mmask16 lane_mask(int64_t left) {
  return left >= 16 ? 0xFFFF : (left <= 0 ? 0 : (__mmask16)((1u << left) - 1));
}

#define TILE_ROWS(V)                                                           \
  switch (m - i0 < ROWS ? m - i0 : ROWS) {                                     \
  case 1: tile(block, 4 * m, slice, groups, ci, ldc, masks, 1, V); break;             \
  case 2: tile(block, 4 * m, slice, groups, ci, ldc, masks, 2, V); break;             \
  case 3: tile(block, 4 * m, slice, groups, ci, ldc, masks, 3, V); break;             \
  case 4: tile(block, 4 * m, slice, groups, ci, ldc, masks, 4, V); break;             \
  case 5: tile(block, 4 * m, slice, groups, ci, ldc, masks, 5, V); break;             \
  case 6: tile(block, 4 * m, slice, groups, ci, ldc, masks, 6, V); break;             \
  case 7: tile(block, 4 * m, slice, groups, ci, ldc, masks, 7, V); break;             \
  default: tile(block, 4 * m, slice, groups, ci, ldc, masks, ROWS, V); break;         \
  }

static VNNI_TARGET void i8mm_s8u8_vnni(const int8_t *a, const uint8_t *b,
                                       int64_t ldb, int32_t *c, int64_t ldc,
                                       int64_t m, int64_t n, int64_t k) {
  int64_t k4 = (k + 3) / 4;
  uint8_t slice[KC * COLS * 4] __attribute__((aligned(64)));
  for (int64_t j0 = 0; j0 < n; j0 += COLS) {
    int64_t cols = n - j0 < COLS ? n - j0 : COLS;
    __mmask16 masks[3] = {lane_mask(cols), lane_mask(cols - 16),
                          lane_mask(cols - 32)};
    int vecs = (int)((cols + 15) / 16);
    for (int64_t g0 = 0; g0 < k4; g0 += KC) {
      int64_t groups = k4 - g0 < KC ? k4 - g0 : KC;
      reorder(b, ldb, k, g0, groups, j0, cols, slice);
      for (int64_t i0 = 0; i0 < m; i0 += ROWS) {
        const int8_t *block = a + (g0 * m + i0) * 4;
        int32_t *ci = c + i0 * ldc + j0;
        if (vecs == 3 && m - i0 >= ROWS && cols == COLS) {
          full_tile(block, 4 * m, slice, groups, ci, ldc);
        } else if (vecs == 3) {
          TILE_ROWS(3)
        } else if (vecs == 2) {
          TILE_ROWS(2)
        } else {
          TILE_ROWS(1)
        }
      }
    }
  }
}
#endif

/*===----------------------------------------------------------------------===
 * Dispatch
 *===----------------------------------------------------------------------===*/

typedef void (*i8mm_s8u8_fn)(const int8_t *, const uint8_t *, int64_t,
                             int32_t *, int64_t, int64_t, int64_t, int64_t);

static i8mm_s8u8_fn select_kernel(void) {
#ifdef MC_HAVE_VNNI_KERNEL
  if (mc_ukernel_i8mm_uses_vnni())
    return i8mm_s8u8_vnni;
#endif
  return i8mm_s8u8_portable;
}

void mc_ukernel_i8mm_s8u8(intptr_t a, intptr_t b, int64_t ldb, intptr_t c,
                          int64_t ldc, int64_t m, int64_t n, int64_t k) {
  /* Resolved once; racing first calls store the same pointer. */
  static i8mm_s8u8_fn selected;
  i8mm_s8u8_fn fn = __atomic_load_n(&selected, __ATOMIC_RELAXED);
  if (!fn) {
    fn = select_kernel();
    __atomic_store_n(&selected, fn, __ATOMIC_RELAXED);
  }
  fn((const int8_t *)a, (const uint8_t *)b, ldb, (int32_t *)c, ldc, m, n, k);
}
