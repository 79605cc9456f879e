/*===- i8mm_sparse.c - int8 microkernel for 4-of-8 sparse weights -*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc_ukernel_i8mm_u8s8_sparse48: the product of mc_ukernel_i8mm_u8s8 (u8
// activations, s8 weights, int32 accumulators wrapping modulo 2^32) for
// weights with at most 4 non-zeros in every aligned block of 8 reduction
// steps of an output column: 2:4 and 4:8 sparsity (docs/Rationale/
// Int8Kernels.md, "Sparse weights"). mc-cpu-int8-gemm-to-ukernel packs such
// weights at compile time into the compressed layout of ukernel.h: per
// panel of 32 columns and block of 8 k, 128 bytes of kept values (4 per
// column, zero-filled) and 64 bytes of 4-bit positions, 192 bytes instead
// of the 256 of the dense panels.
//
// VNNI kernel, per block and half panel (16 columns, one zmm):
//   ctrl = the 64 positions, unpacked from 32 bytes of nibbles by one
//          variable shift (the low half keeps the low nibbles, the high half
//          shifts right by 4; vpshufb reads bits 0-3 and 7, and bit 7 is
//          always 0 because positions are < 8);
//   per row: av = 8 activation bytes broadcast to every qword;
//            sel = vpshufb(av, ctrl)   (lane c gets the 4 activations its
//                                       kept weights multiply);
//            acc = vpdpbusd(acc, sel, values).
// One vpdpbusd covers 8 k instead of 4, for one extra shuffle. The sums are
// the dense kernel's sums without the zero terms, so the results are the
// same integers modulo 2^32, bit for bit.
//
// Dispatch as in i8mm.c: AVX-512 VNNI (+BW) by cpuid, portable C otherwise,
// MC_UKERNEL_PORTABLE=1 forces the portable kernel.
//
//===----------------------------------------------------------------------===*/

#include "vnni.h"

#include <stdlib.h>
#include <string.h>

enum { PANEL = 32, MR = 8, VALUE_BYTES = 128 };

/* The two compressed layouts (ukernel.h): positions in nibbles (4 of 8, any
 * place in the block) or in 2-bit fields (2 of each 4). */
enum { FORMAT_48 = 0, FORMAT_24 = 1 };

static inline int64_t block_bytes(int format) {
  return format == FORMAT_24 ? 160 : 192;
}

#ifndef MC_I8MM_SPARSE_KC
#define MC_I8MM_SPARSE_KC 64
#endif
/* Blocks of 8 k per slice of the reduction: 64 blocks (at most 12 KiB of a
 * panel) stay in L1 while every row tile of the block uses them. */
enum { KC8 = MC_I8MM_SPARSE_KC };

/* The 8 activation bytes at p of block h (of the whole reduction); the
 * last block of an odd number of 4-groups has 4, the rest reads as 0 (and
 * is never multiplied by a non-zero weight: that half is padding). */
static inline uint64_t load_a8(const uint8_t *p, int64_t h, int64_t k4) {
  if (2 * h + 1 < k4) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
  }
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* The position (0..7) in its block of the weight in byte q (< 64) of half
 * v of a block's values. */
static inline unsigned position(const int8_t *blk, int format, int64_t v,
                                int64_t q) {
  if (format == FORMAT_24) {
    uint8_t bits = (uint8_t)blk[VALUE_BYTES + 16 * v + q % 16];
    return ((bits >> (2 * (q / 16))) & 3) + (q % 4 >= 2 ? 4 : 0);
  }
  uint8_t nib = (uint8_t)blk[VALUE_BYTES + 32 * v + q % 32];
  return (q < 32 ? nib : nib >> 4) & 7;
}

/*===----------------------------------------------------------------------===
 * Portable kernel
 *===----------------------------------------------------------------------===*/

static void sparse_portable(const uint8_t *a, int64_t lda, const int8_t *b,
                            int32_t *c, int64_t ldc, int64_t m, int64_t n,
                            int64_t k4, int format) {
  int64_t k8 = (k4 + 1) / 2, bytes = block_bytes(format);
  for (int64_t p = 0; p * PANEL < n; ++p) {
    const int8_t *panel = b + p * k8 * bytes;
    int64_t cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
    for (int64_t i = 0; i < m; ++i) {
      /* Unsigned arithmetic: wraps exactly like the int32 accumulators. */
      uint32_t acc[PANEL] = {0};
      const uint8_t *row = a + i * lda;
      for (int64_t h = 0; h < k8; ++h) {
        const int8_t *blk = panel + h * bytes;
        uint64_t av = load_a8(row + 8 * h, h, k4);
        for (int64_t j = 0; j < cols; ++j) {
          int64_t v = j / 16;
          for (int64_t q = 4 * (j % 16); q < 4 * (j % 16) + 4; ++q) {
            uint32_t x = (uint32_t)(av >> (8 * position(blk, format, v, q))) &
                         0xFF;
            acc[j] += (uint32_t)((int32_t)x * (int32_t)blk[64 * v + q]);
          }
        }
      }
      int32_t *out = c + i * ldc + p * PANEL;
      for (int64_t j = 0; j < cols; ++j)
        out[j] = (int32_t)((uint32_t)out[j] + acc[j]);
    }
  }
}

static void sparse48_portable(const uint8_t *a, int64_t lda, const int8_t *b,
                              int32_t *c, int64_t ldc, int64_t m, int64_t n,
                              int64_t k4) {
  sparse_portable(a, lda, b, c, ldc, m, n, k4, FORMAT_48);
}

static void sparse24_portable(const uint8_t *a, int64_t lda, const int8_t *b,
                              int32_t *c, int64_t ldc, int64_t m, int64_t n,
                              int64_t k4) {
  sparse_portable(a, lda, b, c, ldc, m, n, k4, FORMAT_24);
}

/*===----------------------------------------------------------------------===
 * AVX-512 VNNI kernel
 *===----------------------------------------------------------------------===*/

#ifdef MC_HAVE_VNNI_KERNEL

/* The vpshufb control of half v of a block: byte q = the position of the
 * weight in value byte q (bit 7 clear; vpshufb reads bits 0-3, and bit 3
 * does not matter since the 8 activation bytes fill both halves of every
 * 128-bit lane).
 * - 4-of-8: 32 bytes of nibbles in both 256-bit halves, the high half
 *   shifted right by 4 (bit 7 then comes from a position < 8: clear).
 * - 2:4: 16 bytes of 2-bit fields in all four lanes, lane L shifted right
 *   by 2 L, the low 2 bits kept and bit 2 set for the slots of the second
 *   group (one vpternlogd). */
static inline __attribute__((always_inline)) VNNI_TARGET __m512i
control(const int8_t *blk, int64_t v, int format) {
  if (format == FORMAT_24) {
    const __m512i shifts = _mm512_set_epi64(6, 6, 4, 4, 2, 2, 0, 0);
    const __m512i low2 = _mm512_set1_epi8(3);
    const __m512i group = _mm512_set1_epi32(0x04040000);
    __m512i bits = _mm512_srlv_epi64(
        _mm512_broadcast_i32x4(
            _mm_loadu_si128((const __m128i *)(blk + VALUE_BYTES + 16 * v))),
        shifts);
    /* (bits & low2) | group */
    return _mm512_ternarylogic_epi32(bits, low2, group, 0xEA);
  }
  const __m512i shifts = _mm512_set_epi64(4, 4, 4, 4, 0, 0, 0, 0);
  return _mm512_srlv_epi64(
      _mm512_broadcast_i64x4(
          _mm256_loadu_si256((const __m256i *)(blk + VALUE_BYTES + 32 * v))),
      shifts);
}

/* One register tile: ROWS rows of A times one 32-column panel over `blocks`
 * blocks of 8 k (the last one possibly half, see load_a8), in ROWS x 2 zmm
 * accumulators; small tiles split the blocks over UNROLL accumulator sets.
 * `h0` is the index of the first block in the whole reduction. */
static inline __attribute__((always_inline)) VNNI_TARGET void
sparse_tile(const uint8_t *a, int64_t lda, const int8_t *panel, int32_t *c,
            int64_t ldc, int64_t h0, int64_t blocks, int64_t k4,
            __mmask16 mask0, __mmask16 mask1, int rows, int unroll,
            int format) {
  const int64_t bytes = block_bytes(format);
  __m512i acc[4][MR][2];
  _Pragma("GCC unroll 8")
  for (int u = 0; u < unroll; ++u)
    _Pragma("GCC unroll 8")
    for (int i = 0; i < rows; ++i)
      acc[u][i][0] = acc[u][i][1] = _mm512_setzero_si512();
  /* Whole blocks (8 activation bytes); a half last block goes below. */
  int64_t full = blocks;
  if (2 * (h0 + blocks) > k4)
    --full;
  int64_t h = 0;
  for (; h + unroll <= full; h += unroll) {
    _Pragma("GCC unroll 8")
    for (int u = 0; u < unroll; ++u) {
      const int8_t *blk = panel + (h + u) * bytes;
      __m512i v0 = _mm512_loadu_si512((const void *)blk);
      __m512i v1 = _mm512_loadu_si512((const void *)(blk + 64));
      __m512i s0 = control(blk, 0, format), s1 = control(blk, 1, format);
      _Pragma("GCC unroll 8")
      for (int i = 0; i < rows; ++i) {
        int64_t x;
        memcpy(&x, a + i * lda + 8 * (h + u), 8);
        __m512i av = _mm512_set1_epi64(x);
        acc[u][i][0] =
            dpbusd(acc[u][i][0], _mm512_shuffle_epi8(av, s0), v0);
        acc[u][i][1] =
            dpbusd(acc[u][i][1], _mm512_shuffle_epi8(av, s1), v1);
      }
    }
  }
  for (; h < blocks; ++h) {
    const int8_t *blk = panel + h * bytes;
    __m512i v0 = _mm512_loadu_si512((const void *)blk);
    __m512i v1 = _mm512_loadu_si512((const void *)(blk + 64));
    __m512i s0 = control(blk, 0, format), s1 = control(blk, 1, format);
    _Pragma("GCC unroll 8")
    for (int i = 0; i < rows; ++i) {
      __m512i av = _mm512_set1_epi64(
          (int64_t)load_a8(a + i * lda + 8 * h, h0 + h, k4));
      acc[0][i][0] =
          dpbusd(acc[0][i][0], _mm512_shuffle_epi8(av, s0), v0);
      acc[0][i][1] =
          dpbusd(acc[0][i][1], _mm512_shuffle_epi8(av, s1), v1);
    }
  }
  _Pragma("GCC unroll 8")
  for (int i = 0; i < rows; ++i) {
    __m512i t0 = acc[0][i][0], t1 = acc[0][i][1];
    _Pragma("GCC unroll 8")
    for (int u = 1; u < unroll; ++u) {
      t0 = _mm512_add_epi32(t0, acc[u][i][0]);
      t1 = _mm512_add_epi32(t1, acc[u][i][1]);
    }
    int32_t *out = c + i * ldc;
    t0 = _mm512_add_epi32(t0, _mm512_maskz_loadu_epi32(mask0, out));
    t1 = _mm512_add_epi32(t1, _mm512_maskz_loadu_epi32(mask1, out + 16));
    _mm512_mask_storeu_epi32(out, mask0, t0);
    _mm512_mask_storeu_epi32(out + 16, mask1, t1);
  }
}

#define SPARSE_TILE_CASE(R, U)                                                 \
  case R:                                                                      \
    sparse_tile(a, lda, panel, c, ldc, h0, blocks, k4, mask0, mask1, R, U,     \
                format);                                                       \
    break;

/* Blocks [h0, h0 + blocks) of the reduction for every panel (panelStride
 * bytes apart) and every 8-row tile; `a` points at block h0 of row 0 and
 * `b` at block h0 of panel 0. */
static inline __attribute__((always_inline)) VNNI_TARGET void
sparse_vnni_slice(const uint8_t *a, int64_t lda, const int8_t *b,
                  int64_t panelStride, int32_t *c, int64_t ldc, int64_t m,
                  int64_t n, int64_t h0, int64_t blocks, int64_t k4,
                  int format) {
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
          SPARSE_TILE_CASE(1, 4)
          SPARSE_TILE_CASE(2, 2)
          SPARSE_TILE_CASE(3, 2)
          SPARSE_TILE_CASE(4, 2)
          SPARSE_TILE_CASE(5, 1)
          SPARSE_TILE_CASE(6, 1)
          SPARSE_TILE_CASE(7, 1)
        default:
          sparse_tile(a, lda, panel, c, ldc, h0, blocks, k4, mask0, mask1, MR,
                      1, format);
          break;
        }
      }
    }
  }
}

static inline __attribute__((always_inline)) VNNI_TARGET void
sparse_vnni(const uint8_t *a, int64_t lda, const int8_t *b, int32_t *c,
            int64_t ldc, int64_t m, int64_t n, int64_t k4, int format) {
  int64_t k8 = (k4 + 1) / 2, bytes = block_bytes(format);
  for (int64_t h0 = 0; h0 < k8; h0 += KC8)
    sparse_vnni_slice(a + 8 * h0, lda, b + h0 * bytes, k8 * bytes, c, ldc, m,
                      n, h0, k8 - h0 < KC8 ? k8 - h0 : KC8, k4, format);
}

static VNNI_TARGET void sparse48_vnni(const uint8_t *a, int64_t lda,
                                      const int8_t *b, int32_t *c,
                                      int64_t ldc, int64_t m, int64_t n,
                                      int64_t k4) {
  sparse_vnni(a, lda, b, c, ldc, m, n, k4, FORMAT_48);
}

static VNNI_TARGET void sparse24_vnni(const uint8_t *a, int64_t lda,
                                      const int8_t *b, int32_t *c,
                                      int64_t ldc, int64_t m, int64_t n,
                                      int64_t k4) {
  sparse_vnni(a, lda, b, c, ldc, m, n, k4, FORMAT_24);
}
#endif

/*===----------------------------------------------------------------------===
 * Dispatch
 *===----------------------------------------------------------------------===*/

typedef void (*sparse_fn)(const uint8_t *, int64_t, const int8_t *, int32_t *,
                          int64_t, int64_t, int64_t, int64_t);

static sparse_fn select_sparse(int format) {
#ifdef MC_HAVE_VNNI_KERNEL
  if (mc_ukernel_i8mm_uses_vnni())
    return format == FORMAT_24 ? sparse24_vnni : sparse48_vnni;
#endif
  return format == FORMAT_24 ? sparse24_portable : sparse48_portable;
}

void mc_ukernel_i8mm_u8s8_sparse48(intptr_t a, int64_t lda, intptr_t b,
                                   intptr_t c, int64_t ldc, int64_t m,
                                   int64_t n, int64_t k4) {
  /* Resolved once; racing first calls store the same pointer. */
  static sparse_fn selected;
  sparse_fn fn = __atomic_load_n(&selected, __ATOMIC_RELAXED);
  if (!fn) {
    fn = select_sparse(FORMAT_48);
    __atomic_store_n(&selected, fn, __ATOMIC_RELAXED);
  }
  fn((const uint8_t *)a, lda, (const int8_t *)b, (int32_t *)c, ldc, m, n, k4);
}

void mc_ukernel_i8mm_u8s8_sparse24(intptr_t a, int64_t lda, intptr_t b,
                                   intptr_t c, int64_t ldc, int64_t m,
                                   int64_t n, int64_t k4) {
  static sparse_fn selected;
  sparse_fn fn = __atomic_load_n(&selected, __ATOMIC_RELAXED);
  if (!fn) {
    fn = select_sparse(FORMAT_24);
    __atomic_store_n(&selected, fn, __ATOMIC_RELAXED);
  }
  fn((const uint8_t *)a, lda, (const int8_t *)b, (int32_t *)c, ldc, m, n, k4);
}
