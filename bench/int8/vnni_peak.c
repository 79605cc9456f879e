/*===- vnni_peak.c - Peak vpdpbusd throughput of one core ------*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Built and run by bench/int8_gemm.py with the system C compiler: 16
// independent chains of vpdpbusd on zmm registers (inline assembly, so that
// the compiler cannot fold or reorder them), 200 runs of 1M iterations
// (about 2 ms each), the fastest: on a shared machine the least disturbed. One vpdpbusd is 64 multiply-adds, counted as 128 integer operations,
// the same convention as the GEMM figures (2 M N K operations). Prints
// "peak: X Gop/s".
//
//===----------------------------------------------------------------------===*/

#include <stdio.h>
#include <time.h>
__attribute__((target("avx512f,avx512vnni"))) static void loop(long iters) {
  __asm__ volatile(
      "vpxord %%zmm0, %%zmm0, %%zmm0\n\t"
      "vpternlogd $0xff, %%zmm30, %%zmm30, %%zmm30\n\t"
      "vpternlogd $0xff, %%zmm31, %%zmm31, %%zmm31\n\t"
      "1:\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm0\n\t"  "vpdpbusd %%zmm30, %%zmm31, %%zmm1\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm2\n\t"  "vpdpbusd %%zmm30, %%zmm31, %%zmm3\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm4\n\t"  "vpdpbusd %%zmm30, %%zmm31, %%zmm5\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm6\n\t"  "vpdpbusd %%zmm30, %%zmm31, %%zmm7\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm8\n\t"  "vpdpbusd %%zmm30, %%zmm31, %%zmm9\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm10\n\t" "vpdpbusd %%zmm30, %%zmm31, %%zmm11\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm12\n\t" "vpdpbusd %%zmm30, %%zmm31, %%zmm13\n\t"
      "vpdpbusd %%zmm30, %%zmm31, %%zmm14\n\t" "vpdpbusd %%zmm30, %%zmm31, %%zmm15\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      :
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm30",
        "xmm31", "cc");
}
int main(void) {
  long it = 1000000;
  double best = 0;
  for (int r = 0; r < 200; ++r) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    loop(it);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    double ops = it * 16.0 * 64 * 2 / s;
    if (ops > best) best = ops;
  }
  printf("peak: %.1f Gop/s\n", best / 1e9);
  return 0;
}
