/*===- vnni.h - What the int8 microkernels share ----------------*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Internal to runtime/ukernels/: the AVX-512 VNNI target attribute, the
// vpdpbusd wrapper every kernel uses, and the run-time choice between the
// VNNI and the portable kernels (mc_ukernel_i8mm_uses_vnni in i8mm.c:
// MC_UKERNEL_PORTABLE=1 or a CPU without avx512f/bw/vl/vnni selects the
// portable ones, for every kernel alike).
//
//===----------------------------------------------------------------------===*/

#ifndef MC_UKERNELS_VNNI_H
#define MC_UKERNELS_VNNI_H

#include "mc/ukernel.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MC_HAVE_VNNI_KERNEL 1
#include <immintrin.h>

#define VNNI_TARGET                                                            \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/* acc + vpdpbusd(u, s) (u unsigned, s signed bytes): inline assembly
 * because GCC 12 surrounds the intrinsic with two register copies of the
 * accumulator per instruction in the kernels' loops. */
static inline __attribute__((always_inline)) VNNI_TARGET __m512i
dpbusd(__m512i acc, __m512i u, __m512i s) {
  __asm__("vpdpbusd %[s], %[u], %[acc]" : [acc] "+v"(acc) : [u] "v"(u),
          [s] "v"(s));
  return acc;
}
#endif

#endif /* MC_UKERNELS_VNNI_H */
