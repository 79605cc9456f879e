#!/usr/bin/env python3
"""int8 GEMM throughput of mc's tensor-core kernels against cuBLASLt.

Run on a machine with an NVIDIA GPU and a CUDA build of PyTorch (its
torch._int_mm calls cuBLASLt's int8 GEMM):

  python3 bench/gpu_gemm.py [--mc-compile build/bin/mc-compile]
                            [--arch sm_80] [--runs 50] [--shapes square|llm|all]
                            [--csv out.csv]

For every shape (M, N, K) it builds one model with mc-compile --target=cuda,

  func.func @main(%a: tensor<MxKxi8>, %b: tensor<KxNxi8>) -> tensor<MxNxi32>
    mc.qmatmul (zero points 0)

which mc-gpu-int8-mma turns into the mma.sync kernel, loads the library
with ctypes and calls mc_model_run_device on torch CUDA tensors (no host
copies), checks its result against torch._int_mm bit for bit, and times
both with CUDA events (median of --runs calls after 5 warm-up calls). It
prints TOPS for each and the ratio mc / cuBLASLt.

Shapes: `square` M = N = K in 1024, 2048, 4096, 8192; `llm` M in 1, 16, 64,
256 (torch._int_mm needs M > 16 on some versions: such shapes are reported
as skipped) with (N, K) = (4096, 4096), (11008, 4096), (4096, 11008).

No GPU was available when this script was written: its model for
64 x 256 x 512 was compiled (one mma.sync kernel, accepted by ptxas for
sm_90), nothing was run or timed (docs/GPU.md).
"""

import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile

SQUARE = [(n, n, n) for n in (1024, 2048, 4096, 8192)]
LLM = [(m, n, k) for m in (1, 16, 64, 256)
       for (n, k) in ((4096, 4096), (11008, 4096), (4096, 11008))]


def model_text(m, n, k):
    a = "tensor<%dx%dxi8>" % (m, k)
    b = "tensor<%dx%dxi8>" % (k, n)
    qa = "tensor<%dx%dx!quant.uniform<i8:f32, 1.0:0>>" % (m, k)
    qb = "tensor<%dx%dx!quant.uniform<i8:f32, 1.0:0>>" % (k, n)
    c = "tensor<%dx%dxi32>" % (m, n)
    return "\n".join([
        "func.func @main(%a: " + a + ", %b: " + b + ") -> " + c + " {",
        "  %qa = mc.storage_cast %a : " + a + " -> " + qa,
        "  %qb = mc.storage_cast %b : " + b + " -> " + qb,
        "  %c = mc.qmatmul %qa, %qb : (" + qa + ", " + qb + ") -> " + c,
        "  return %c : " + c,
        "}",
    ]) + "\n"


def build(mc_compile, arch, m, n, k, workdir):
    src = os.path.join(workdir, "gemm_%d_%d_%d.mlir" % (m, n, k))
    lib = os.path.join(workdir, "libgemm_%d_%d_%d.so" % (m, n, k))
    with open(src, "w") as f:
        f.write(model_text(m, n, k))
    subprocess.run([mc_compile, src, "--target=cuda", "--cuda-arch=" + arch,
                    "-o", lib], check=True)
    return lib


def time_ms(torch, fn, runs):
    for _ in range(5):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(runs):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end))
    return statistics.median(samples)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--mc-compile",
                   default=os.path.join(here, "..", "build", "bin",
                                        "mc-compile"))
    p.add_argument("--arch", default="sm_80")
    p.add_argument("--runs", type=int, default=50)
    p.add_argument("--shapes", choices=("square", "llm", "all"), default="all")
    p.add_argument("--csv")
    p.add_argument("--build-only", action="store_true",
                   help="compile the models and stop (no GPU needed)")
    a = p.parse_args()
    shapes = {"square": SQUARE, "llm": LLM, "all": SQUARE + LLM}[a.shapes]
    workdir = tempfile.mkdtemp(prefix="mc-gpu-gemm-")

    if a.build_only:
        for m, n, k in shapes:
            print(build(a.mc_compile, a.arch, m, n, k, workdir))
        return 0

    import torch
    if not torch.cuda.is_available():
        sys.exit("gpu_gemm.py: PyTorch sees no CUDA device")
    torch.cuda.init()
    device = torch.cuda.get_device_name()
    print("GPU: %s; torch %s; arch %s" % (device, torch.__version__, a.arch))
    rows = []
    for m, n, k in shapes:
        lib = ctypes.CDLL(build(a.mc_compile, a.arch, m, n, k, workdir))
        lib.mc_last_error.restype = ctypes.c_char_p
        run = lib.mc_model_run_device
        run.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        gen = torch.Generator(device="cuda").manual_seed(0)
        x = torch.randint(-128, 128, (m, k), dtype=torch.int8, device="cuda",
                          generator=gen)
        w = torch.randint(-128, 128, (k, n), dtype=torch.int8, device="cuda",
                          generator=gen)
        out = torch.empty((m, n), dtype=torch.int32, device="cuda")
        inputs = (ctypes.c_void_p * 2)(x.data_ptr(), w.data_ptr())
        outputs = (ctypes.c_void_p * 1)(out.data_ptr())

        def mc_call():
            status = run(inputs, outputs, m)
            if status != 0:
                sys.exit("mc_model_run_device: %d: %s" %
                         (status, lib.mc_last_error().decode()))

        try:
            ref = torch._int_mm(x, w)
        except RuntimeError as e:
            print("%5d %6d %6d: torch._int_mm: skipped (%s)" % (m, n, k, e))
            continue
        mc_call()
        torch.cuda.synchronize()
        if not torch.equal(out, ref):
            sys.exit("%d x %d x %d: mc differs from torch._int_mm" % (m, n, k))
        t_mc = time_ms(torch, mc_call, a.runs)
        t_ref = time_ms(torch, lambda: torch._int_mm(x, w), a.runs)
        ops = 2.0 * m * n * k
        row = (m, n, k, t_mc, t_ref, ops / t_mc / 1e9, ops / t_ref / 1e9,
               t_ref / t_mc)
        rows.append(row)
        print("%5d %6d %6d: mc %8.3f ms %7.1f TOPS | cuBLASLt %8.3f ms "
              "%7.1f TOPS | mc/cuBLASLt %.3f" %
              (m, n, k, t_mc, row[5], t_ref, row[6], row[7]))
    if a.csv:
        with open(a.csv, "w") as f:
            f.write("gpu,M,N,K,mc_ms,cublaslt_ms,mc_tops,cublaslt_tops,"
                    "ratio\n")
            for r in rows:
                f.write("%s,%d,%d,%d,%.4f,%.4f,%.2f,%.2f,%.4f\n" %
                        ((device,) + r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
