/*===- runtime.h - The C ABI of a model library compiled by mc ---*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every shared library that `mc-compile` produces exports these three
// functions and nothing else. The library holds the model's code and weights;
// one .so file is the whole model. docs/RuntimeABI.md is the full contract.
//
//   const struct mc_model_info *info = mc_model_info();
//   const void *inputs[] = {x};          // info->num_inputs pointers
//   void *outputs[] = {y};               // info->num_outputs pointers
//   if (mc_model_run(inputs, outputs, batch) != MC_OK)
//     fprintf(stderr, "%s\n", mc_last_error());
//
// Tensors are dense, C order (row major), native (little) endian, aligned to
// at least their element size, and do not overlap. A shape entry of -1 is the
// dynamic batch: `batch` replaces it in every input and output.
//
// This file is C99 and C++ compatible and has no dependency beyond <stdint.h>;
// `mc-compile --header` copies it into each model's generated header.
//
//===----------------------------------------------------------------------===*/

#ifndef MC_RUNTIME_H
#define MC_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this ABI; mc_model_info()->abi_version. */
#define MC_ABI_VERSION 1

/* Limits of the ABI (mc-compile rejects larger models). */
#define MC_MAX_RANK 16
#define MC_MAX_TENSORS 32 /* inputs and outputs together */

/* Element types; the values are ONNX's TensorProto.DataType codes. */
typedef enum mc_dtype {
  MC_DTYPE_FLOAT32 = 1,
  MC_DTYPE_UINT8 = 2,
  MC_DTYPE_INT8 = 3,
  MC_DTYPE_UINT16 = 4,
  MC_DTYPE_INT16 = 5,
  MC_DTYPE_INT32 = 6,
  MC_DTYPE_INT64 = 7,
  MC_DTYPE_BOOL = 9, /* one byte per element, 0 or 1 */
  MC_DTYPE_FLOAT16 = 10,
  MC_DTYPE_FLOAT64 = 11,
  MC_DTYPE_UINT32 = 12,
  MC_DTYPE_UINT64 = 13,
  MC_DTYPE_BFLOAT16 = 16
} mc_dtype;

/* Return codes of mc_model_run. */
typedef enum mc_status {
  MC_OK = 0,
  MC_ERROR_NULL_POINTER = 1, /* inputs/outputs array or one entry is null */
  MC_ERROR_BAD_BATCH = 2,    /* dynamic: batch <= 0; static: != its batch */
  MC_ERROR_TOO_LARGE = 3,    /* an element count overflows int64_t */
  MC_ERROR_INTERNAL = 4,     /* the library is inconsistent (ABI mismatch) */
  MC_ERROR_NO_DEVICE = 5, /* --target=cuda: no CUDA driver or no GPU */
  MC_ERROR_DEVICE = 6     /* --target=cuda: a CUDA driver call failed */
} mc_status;

/* One input or output. */
typedef struct mc_tensor_info {
  const char *name;     /* the ONNX name (mc.name), NUL-terminated */
  const int64_t *shape; /* rank entries; -1 = the dynamic batch */
  int32_t dtype;        /* an mc_dtype */
  int32_t rank;
} mc_tensor_info;

/* The model. Tensors are passed to mc_model_run in this order. */
struct mc_model_info {
  int32_t abi_version; /* MC_ABI_VERSION of the compiler that built it */
  int32_t num_inputs;
  int32_t num_outputs;
  int32_t reserved; /* 0 */
  int64_t batch;    /* -1: dynamic; else the only batch mc_model_run takes */
  const mc_tensor_info *inputs;  /* num_inputs records */
  const mc_tensor_info *outputs; /* num_outputs records */
  const char *name;              /* model name, NUL-terminated */
};
typedef struct mc_model_info mc_model_info_t;

/* The model's description; static data, never null. */
const struct mc_model_info *mc_model_info(void);

/* Runs the model on `batch` samples. inputs[i] points to the data of input
 * i, outputs[i] to caller-allocated memory for output i (sizes from the
 * shapes, -1 replaced by batch). Returns MC_OK, or an mc_status with a
 * message in mc_last_error(). Reentrant: calls from several threads may run
 * at once (each with its own buffers). */
int mc_model_run(const void *const *inputs, void *const *outputs,
                 int64_t batch);

/* Libraries built with mc-compile --target=cuda only: as mc_model_run, but
 * inputs[i] and outputs[i] are CUDA device pointers (CUdeviceptr values) in
 * the primary context of the GPU the library runs on, so that no copy is
 * made. Returns when the outputs are written. */
int mc_model_run_device(const void *const *inputs, void *const *outputs,
                        int64_t batch);

/* The message of the last failed mc_model_run on this thread ("" if none). */
const char *mc_last_error(void);

/* CPU libraries: mc_model_run keeps the intermediate buffers it frees in a
 * per-thread cache (at most MC_ALLOC_CACHE_MB MiB, environment variable,
 * default 1024; 0 turns the cache off) so that later calls allocate
 * nothing. This gives the calling thread's cached buffers back to the C
 * library; a thread's cache is also released when the thread exits. */
void mc_release_cached_memory(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MC_RUNTIME_H */
