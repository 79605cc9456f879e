/*===- mc_runtime.c - The runtime linked into every model library -*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements the ABI of include/mc/runtime.h (docs/RuntimeABI.md) for any
// model: it reads the info table that mc-compile emitted into the library
// (`mc_generated_model_info`), checks the caller's arguments, builds one
// memref descriptor per input and output, and calls the generated
// `_mlir_ciface_main`, which takes one descriptor pointer per tensor (inputs,
// then outputs). Nothing here is specific to a model.
//
// Built as a position-independent static library (libmc_runtime.a).
//
//===----------------------------------------------------------------------===*/

#include "mc/runtime.h"

#include <stdarg.h>
#include <stdio.h>

/* Emitted by mc-compile (mc-emit-runtime-abi) into every model library. */
extern const struct mc_model_info mc_generated_model_info;
/* The model function after mc-to-llvm{out-params=1}; its real type is
 * void(void *, ..., void *) with one parameter per input and output. */
extern void _mlir_ciface_main(void);

/* A ranked memref descriptor as MLIR's LLVM lowering lays it out:
 * {allocated, aligned, offset, sizes[rank], strides[rank]}. Sizes and
 * strides are consecutive int64_t, so one layout with room for
 * MC_MAX_RANK serves every rank. */
typedef struct mc_memref {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes_and_strides[2 * MC_MAX_RANK];
} mc_memref;

static _Thread_local char last_error[512];

const struct mc_model_info *mc_model_info(void) {
  return &mc_generated_model_info;
}

const char *mc_last_error(void) { return last_error; }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fail(int status, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(last_error, sizeof(last_error), format, args);
  va_end(args);
  return status;
}

/* Fills `desc` for `tensor` at `data` with the batch substituted; checks
 * that the element count fits in int64_t. */
static int describe(mc_memref *desc, const mc_tensor_info *tensor,
                    const char *kind, int32_t index, void *data,
                    int64_t batch) {
  int32_t rank = tensor->rank, d;
  int64_t stride = 1;
  if (rank < 0 || rank > MC_MAX_RANK || (rank > 0 && !tensor->shape))
    return fail(MC_ERROR_INTERNAL, "%s %d ('%s') has an invalid rank %d", kind,
                (int)index, tensor->name, (int)rank);
  desc->allocated = data;
  desc->aligned = data;
  desc->offset = 0;
  for (d = rank - 1; d >= 0; --d) {
    int64_t size = tensor->shape[d] < 0 ? batch : tensor->shape[d];
    desc->sizes_and_strides[d] = size;
    desc->sizes_and_strides[rank + d] = stride;
    if (size != 0 && stride > INT64_MAX / size)
      return fail(MC_ERROR_TOO_LARGE,
                  "%s %d ('%s') has too many elements at batch %lld "
                  "(the count overflows int64_t)",
                  kind, (int)index, tensor->name, (long long)batch);
    stride *= size;
  }
  return MC_OK;
}

/* Calls the model with `count` descriptor pointers. */
static void call_model(void (*entry)(void), void **a, int count) {
  /* One case per arity, since C cannot build a call of run-time arity.
   * Generated: for n in 1..MC_MAX_TENSORS. */
  typedef void *P;
  switch (count) {
  case 1:
    ((void (*)(P))entry)(a[0]);
    return;
  case 2:
    ((void (*)(P, P))entry)(a[0], a[1]);
    return;
  case 3:
    ((void (*)(P, P, P))entry)(a[0], a[1], a[2]);
    return;
  case 4:
    ((void (*)(P, P, P, P))entry)(a[0], a[1], a[2], a[3]);
    return;
  case 5:
    ((void (*)(P, P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4]);
    return;
  case 6:
    ((void (*)(P, P, P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4], a[5]);
    return;
  case 7:
    ((void (*)(P, P, P, P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4], a[5],
                                           a[6]);
    return;
  case 8:
    ((void (*)(P, P, P, P, P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4],
                                              a[5], a[6], a[7]);
    return;
  case 9:
    ((void (*)(P, P, P, P, P, P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4],
                                                 a[5], a[6], a[7], a[8]);
    return;
  case 10:
    ((void (*)(P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    return;
  case 11:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
    return;
  case 12:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11]);
    return;
  case 13:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12]);
    return;
  case 14:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13]);
    return;
  case 15:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14]);
    return;
  case 16:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15]);
    return;
  case 17:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16]);
    return;
  case 18:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17]);
    return;
  case 19:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18]);
    return;
  case 20:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                         a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                         a[17], a[18], a[19]);
    return;
  case 21:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                         a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                         a[17], a[18], a[19], a[20]);
    return;
  case 22:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                         a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                         a[17], a[18], a[19], a[20], a[21]);
    return;
  case 23:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                         a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                         a[17], a[18], a[19], a[20], a[21], a[22]);
    return;
  case 24:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                            a[8], a[9], a[10], a[11], a[12], a[13], a[14],
                            a[15], a[16], a[17], a[18], a[19], a[20], a[21],
                            a[22], a[23]);
    return;
  case 25:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                               a[8], a[9], a[10], a[11], a[12], a[13], a[14],
                               a[15], a[16], a[17], a[18], a[19], a[20], a[21],
                               a[22], a[23], a[24]);
    return;
  case 26:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P))entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                                  a[7], a[8], a[9], a[10], a[11], a[12], a[13],
                                  a[14], a[15], a[16], a[17], a[18], a[19],
                                  a[20], a[21], a[22], a[23], a[24], a[25]);
    return;
  case 27:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26]);
    return;
  case 28:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26], a[27]);
    return;
  case 29:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28]);
    return;
  case 30:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28], a[29]);
    return;
  case 31:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28], a[29], a[30]);
    return;
  case 32:
    ((void (*)(P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
               P, P, P, P, P, P, P, P, P, P))entry)(
        a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
        a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20],
        a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28], a[29], a[30],
        a[31]);
    return;
  default:
    return; /* excluded by mc_model_run's checks */
  }
}

/* Checks a call of mc_model_run and fills one descriptor per tensor
 * (`descs`) and the argument array of _mlir_ciface_main (`args`). */
static int prepare_call(const void *const *inputs, void *const *outputs,
                        int64_t batch, mc_memref *descs, void **args) {
  const struct mc_model_info *info = &mc_generated_model_info;
  int32_t i, count = info->num_inputs + info->num_outputs;
  int status;

  last_error[0] = '\0';
  if (info->abi_version != MC_ABI_VERSION || info->num_inputs < 0 ||
      info->num_outputs < 0 || count < 1 || count > MC_MAX_TENSORS)
    return fail(MC_ERROR_INTERNAL,
                "the library's info table is invalid (ABI version %d, %d "
                "inputs, %d outputs; this runtime is ABI version %d)",
                (int)info->abi_version, (int)info->num_inputs,
                (int)info->num_outputs, MC_ABI_VERSION);
  if (info->num_inputs > 0 && !inputs)
    return fail(MC_ERROR_NULL_POINTER,
                "inputs is null; the model takes %d input(s)",
                (int)info->num_inputs);
  if (info->num_outputs > 0 && !outputs)
    return fail(MC_ERROR_NULL_POINTER,
                "outputs is null; the model has %d output(s)",
                (int)info->num_outputs);
  /* A static model runs at its own batch, which is 0 when its first input
     has an empty leading dimension; a dynamic one at any positive batch. */
  if (info->batch < 0 && batch <= 0)
    return fail(MC_ERROR_BAD_BATCH, "batch must be positive, got %lld",
                (long long)batch);
  if (info->batch >= 0 && batch != info->batch)
    return fail(MC_ERROR_BAD_BATCH,
                "the model was compiled for batch %lld only, got batch %lld",
                (long long)info->batch, (long long)batch);

  for (i = 0; i < info->num_inputs; ++i) {
    if (!inputs[i])
      return fail(MC_ERROR_NULL_POINTER, "inputs[%d] ('%s') is null", (int)i,
                  info->inputs[i].name);
    /* The generated code never writes inputs (they are marked
     * bufferization.writable = false), so dropping const is safe. */
    status = describe(&descs[i], &info->inputs[i], "input", i,
                      (void *)(uintptr_t)inputs[i], batch);
    if (status != MC_OK)
      return status;
    args[i] = &descs[i];
  }
  for (i = 0; i < info->num_outputs; ++i) {
    int32_t k = info->num_inputs + i;
    if (!outputs[i])
      return fail(MC_ERROR_NULL_POINTER, "outputs[%d] ('%s') is null", (int)i,
                  info->outputs[i].name);
    status =
        describe(&descs[k], &info->outputs[i], "output", i, outputs[i], batch);
    if (status != MC_OK)
      return status;
    args[k] = &descs[k];
  }
  return MC_OK;
}

int mc_model_run(const void *const *inputs, void *const *outputs,
                 int64_t batch) {
  const struct mc_model_info *info = &mc_generated_model_info;
  mc_memref descs[MC_MAX_TENSORS];
  void *args[MC_MAX_TENSORS];
  int status = prepare_call(inputs, outputs, batch, descs, args);
  if (status != MC_OK)
    return status;
  call_model(_mlir_ciface_main, args, info->num_inputs + info->num_outputs);
  return MC_OK;
}
