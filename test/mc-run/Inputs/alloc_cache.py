"""Runs a compiled wide-mlp library from several threads at once, each call
at another batch, and checks every output against NumPy.

The generated code takes its intermediate buffers from the runtime's
per-thread cache (runtime/mc_alloc.c): a buffer freed by one call is handed
to a later call of the same size class, possibly at another batch. A buffer
handed out twice, or one whose old contents leaked into a result, makes an
output differ.
Usage: alloc_cache.py LIB THREADS CALLS_PER_THREAD
"""
import sys
import threading

import numpy as np

from mc.runtime import Model

lib, threads, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
model = Model(lib)
errors = []


def worker(seed):
    rng = np.random.default_rng(seed)
    for i in range(calls):
        # Batches 1..300: the hidden buffer spans 8 KiB .. 2.4 MiB.
        batch = int(rng.integers(1, 301))
        x = rng.uniform(-1, 2, size=(batch, 256)).astype(np.float32)
        y = model.run({"x": x})["y"]
        expected = 2.048 * np.maximum(0, 0.01 * x.sum(1, dtype=np.float64) - 0.5) + 0.25
        if y.shape != (batch, 8) or not np.allclose(y, expected[:, None], rtol=1e-4, atol=1e-4):
            errors.append(f"thread {seed} call {i} batch {batch}: max error "
                          f"{np.abs(y - expected[:, None]).max()}")
            return


pool = [threading.Thread(target=worker, args=(s,)) for s in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"{threads * calls} calls ok")
