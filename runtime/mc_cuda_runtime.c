/*===- mc_cuda_runtime.c - The runtime of --target=cuda libraries -*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The runtime linked into every library that mc-compile --target=cuda
// builds (libmc_cuda_runtime.a). It provides
//
//  * the model ABI of include/mc/runtime.h: mc_model_info and mc_last_error
//    as on the CPU, mc_model_run with host pointers (the tensors are copied
//    to and from device memory) and mc_model_run_device with device
//    pointers;
//  * the mgpu* functions that MLIR's gpu-to-llvm lowering and the
//    gpu.binary translation call (module loading, kernel launch, streams,
//    events, device memory), implemented on the CUDA driver API.
//
// The driver is loaded with dlopen("libcuda.so.1") on the first call, never
// linked: the library builds and loads on machines without a GPU, and there
// mc_model_run returns MC_ERROR_NO_DEVICE ("no CUDA driver/device: ...").
// The PTX embedded in the library is registered by constructors when it is
// loaded (mgpuModuleLoadJIT) and only handed to the driver on the first
// launch.
//
//===----------------------------------------------------------------------===*/

/* The generic runtime provides the info table, argument checks, memref
 * descriptors and the call of _mlir_ciface_main; its mc_model_run becomes
 * the internal mc_run_generated, which this file wraps. */
#define mc_model_run mc_run_generated
#include "mc_runtime.c"
#undef mc_model_run

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*===----------------------------------------------------------------------===//
// The CUDA driver API, as far as it is used (types and values from cuda.h)
//===----------------------------------------------------------------------===*/

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef void *CUevent;

enum {
  CUDA_SUCCESS = 0,
  CU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
  CU_MEMORYTYPE_HOST = 1,
  CU_MEMORYTYPE_DEVICE = 2,
  CU_MEMORYTYPE_UNIFIED = 4,
  CU_STREAM_NON_BLOCKING = 1,
  CU_EVENT_DISABLE_TIMING = 2,
};

static struct {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemcpyDtoDAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuPointerGetAttribute)(void *, int, CUdeviceptr);
} cu;

/* Set once by load_driver. */
static pthread_once_t driver_once = PTHREAD_ONCE_INIT;
static char driver_error[256]; /* "" when the driver and a device are ready */
static CUcontext context;

/* The first CUDA failure of the current model call on this thread. */
static _Thread_local char cuda_error[256];

static const char *error_name(CUresult status) {
  const char *text = NULL;
  if (cu.cuGetErrorString && cu.cuGetErrorString(status, &text) == 0 && text)
    return text;
  return "unknown CUDA error";
}

/* Records the first failing driver call of this model call. */
static bool check(CUresult status, const char *call) {
  if (status == CUDA_SUCCESS)
    return true;
  if (!cuda_error[0])
    snprintf(cuda_error, sizeof(cuda_error), "%s failed: %s (CUDA error %d)",
             call, error_name(status), status);
  return false;
}

static void load_driver(void) {
  /* MC_CUDA_DRIVER replaces the driver library (tests point it at a file
   * that is not a driver); the default is the driver's soname. */
  const char *path = getenv("MC_CUDA_DRIVER");
  void *handle;
  int count = 0, ordinal = 0;
  CUdevice device;
  CUresult status;
  const char *device_env = getenv("MC_CUDA_DEVICE");

  if (!path || !*path)
    path = "libcuda.so.1";
  handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    snprintf(driver_error, sizeof(driver_error), "cannot load %s: %s", path,
             why ? why : "unknown error");
    return;
  }
#define MC_LOAD(field, symbol)                                                 \
  do {                                                                         \
    *(void **)&cu.field = dlsym(handle, symbol);                               \
    if (!cu.field) {                                                           \
      snprintf(driver_error, sizeof(driver_error), "%s has no %s", path,       \
               symbol);                                                        \
      return;                                                                  \
    }                                                                          \
  } while (0)
  MC_LOAD(cuInit, "cuInit");
  MC_LOAD(cuDeviceGetCount, "cuDeviceGetCount");
  MC_LOAD(cuDeviceGet, "cuDeviceGet");
  MC_LOAD(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  MC_LOAD(cuCtxSetCurrent, "cuCtxSetCurrent");
  MC_LOAD(cuGetErrorString, "cuGetErrorString");
  MC_LOAD(cuModuleLoadData, "cuModuleLoadData");
  MC_LOAD(cuModuleUnload, "cuModuleUnload");
  MC_LOAD(cuModuleGetFunction, "cuModuleGetFunction");
  MC_LOAD(cuLaunchKernel, "cuLaunchKernel");
  MC_LOAD(cuStreamCreate, "cuStreamCreate");
  MC_LOAD(cuStreamDestroy, "cuStreamDestroy_v2");
  MC_LOAD(cuStreamSynchronize, "cuStreamSynchronize");
  MC_LOAD(cuStreamWaitEvent, "cuStreamWaitEvent");
  MC_LOAD(cuEventCreate, "cuEventCreate");
  MC_LOAD(cuEventDestroy, "cuEventDestroy_v2");
  MC_LOAD(cuEventRecord, "cuEventRecord");
  MC_LOAD(cuEventSynchronize, "cuEventSynchronize");
  MC_LOAD(cuMemAlloc, "cuMemAlloc_v2");
  MC_LOAD(cuMemFree, "cuMemFree_v2");
  MC_LOAD(cuMemcpyHtoD, "cuMemcpyHtoD_v2");
  MC_LOAD(cuMemcpyDtoH, "cuMemcpyDtoH_v2");
  MC_LOAD(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
  MC_LOAD(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
  MC_LOAD(cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2");
  MC_LOAD(cuPointerGetAttribute, "cuPointerGetAttribute");
#undef MC_LOAD

  status = cu.cuInit(0);
  if (status != CUDA_SUCCESS) {
    snprintf(driver_error, sizeof(driver_error), "cuInit failed: %s (%d)",
             error_name(status), status);
    return;
  }
  status = cu.cuDeviceGetCount(&count);
  if (status != CUDA_SUCCESS || count <= 0) {
    snprintf(driver_error, sizeof(driver_error), "the driver sees no GPU");
    return;
  }
  if (device_env && *device_env)
    ordinal = atoi(device_env);
  if (ordinal < 0 || ordinal >= count) {
    snprintf(driver_error, sizeof(driver_error),
             "MC_CUDA_DEVICE=%s is not one of the %d GPU(s)", device_env,
             count);
    return;
  }
  status = cu.cuDeviceGet(&device, ordinal);
  if (status == CUDA_SUCCESS)
    status = cu.cuDevicePrimaryCtxRetain(&context, device);
  if (status != CUDA_SUCCESS) {
    snprintf(driver_error, sizeof(driver_error),
             "cannot open GPU %d: %s (%d)", ordinal, error_name(status),
             status);
    return;
  }
  driver_error[0] = '\0';
}

/* Loads the driver once; makes the device's context current on this
 * thread. */
static int use_device(void) {
  pthread_once(&driver_once, load_driver);
  if (driver_error[0])
    return fail(MC_ERROR_NO_DEVICE, "no CUDA driver/device: %s",
                driver_error);
  if (cu.cuCtxSetCurrent(context) != CUDA_SUCCESS)
    return fail(MC_ERROR_NO_DEVICE,
                "no CUDA driver/device: cannot make the GPU's context "
                "current");
  return MC_OK;
}

/*===----------------------------------------------------------------------===//
// The mgpu* functions called by the generated host code
//===----------------------------------------------------------------------===*/

/* One embedded kernel module: registered at load time, handed to the driver
 * on first use. */
typedef struct mc_gpu_module {
  const void *image; /* PTX (NUL-terminated) or a cubin */
  CUmodule module;
  pthread_mutex_t lock;
} mc_gpu_module;

static mc_gpu_module *register_module(const void *image) {
  mc_gpu_module *m = (mc_gpu_module *)calloc(1, sizeof(mc_gpu_module));
  if (!m)
    return NULL;
  m->image = image;
  pthread_mutex_init(&m->lock, NULL);
  return m;
}

void *mgpuModuleLoad(void *data, size_t size) {
  (void)size;
  return register_module(data);
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  (void)optLevel;
  return register_module(data);
}

void mgpuModuleUnload(void *handle) {
  mc_gpu_module *m = (mc_gpu_module *)handle;
  if (!m)
    return;
  /* At exit the driver may already be gone: unload only what was loaded
   * and ignore the result. */
  if (m->module && cu.cuModuleUnload)
    (void)cu.cuModuleUnload(m->module);
  pthread_mutex_destroy(&m->lock);
  free(m);
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  mc_gpu_module *m = (mc_gpu_module *)handle;
  CUfunction function = NULL;
  bool loaded;
  if (cuda_error[0])
    return NULL;
  if (!m) {
    snprintf(cuda_error, sizeof(cuda_error),
             "the kernel module was not registered (out of memory)");
    return NULL;
  }
  pthread_mutex_lock(&m->lock);
  loaded = m->module != NULL ||
           check(cu.cuModuleLoadData(&m->module, m->image),
                 "cuModuleLoadData (the GPU may be older than the "
                 "--cuda-arch the model was compiled for)");
  pthread_mutex_unlock(&m->lock);
  if (!loaded)
    return NULL;
  if (!check(cu.cuModuleGetFunction(&function, m->module, name),
             "cuModuleGetFunction"))
    return NULL;
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount) {
  (void)paramsCount;
  if (cuda_error[0] || !function)
    return;
  /* Empty tensors (batch 0 of a static model) launch nothing. */
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0)
    return;
  check(cu.cuLaunchKernel((CUfunction)function, (unsigned)gridX,
                          (unsigned)gridY, (unsigned)gridZ, (unsigned)blockX,
                          (unsigned)blockY, (unsigned)blockZ, (unsigned)smem,
                          (CUstream)stream, params, extra),
        "cuLaunchKernel");
}

void *mgpuStreamCreate(void) {
  CUstream stream = NULL;
  if (!cuda_error[0])
    check(cu.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
          "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  if (stream)
    check(cu.cuStreamDestroy((CUstream)stream), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  check(cu.cuStreamSynchronize((CUstream)stream), "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  if (!cuda_error[0])
    check(cu.cuStreamWaitEvent((CUstream)stream, (CUevent)event, 0),
          "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  CUevent event = NULL;
  if (!cuda_error[0])
    check(cu.cuEventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  if (event)
    check(cu.cuEventDestroy((CUevent)event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  if (event)
    check(cu.cuEventSynchronize((CUevent)event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  if (event && !cuda_error[0])
    check(cu.cuEventRecord((CUevent)event, (CUstream)stream),
          "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared) {
  CUdeviceptr ptr = 0;
  (void)stream;
  if (isHostShared) {
    if (!cuda_error[0])
      snprintf(cuda_error, sizeof(cuda_error),
               "host-shared GPU allocations are not supported");
    return NULL;
  }
  if (sizeBytes == 0 || cuda_error[0])
    return NULL;
  check(cu.cuMemAlloc(&ptr, (size_t)sizeBytes), "cuMemAlloc");
  return (void *)(uintptr_t)ptr;
}

void mgpuMemFree(void *ptr, void *stream) {
  if (!ptr)
    return;
  /* Work queued on the stream may still read the buffer. */
  if (stream)
    check(cu.cuStreamSynchronize((CUstream)stream), "cuStreamSynchronize");
  check(cu.cuMemFree((CUdeviceptr)(uintptr_t)ptr), "cuMemFree");
}

/* True if `ptr` is device (or managed) memory of the driver; false for
 * host memory the driver does not know, such as the library's constants. */
static bool is_device_pointer(const void *ptr) {
  unsigned int type = 0;
  if (cu.cuPointerGetAttribute(&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE,
                               (CUdeviceptr)(uintptr_t)ptr) != CUDA_SUCCESS)
    return false;
  return type == CU_MEMORYTYPE_DEVICE || type == CU_MEMORYTYPE_UNIFIED;
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  bool from_device, to_device;
  if (sizeBytes == 0 || cuda_error[0])
    return;
  from_device = is_device_pointer(src);
  to_device = is_device_pointer(dst);
  if (from_device && to_device)
    check(cu.cuMemcpyDtoDAsync((CUdeviceptr)(uintptr_t)dst,
                               (CUdeviceptr)(uintptr_t)src, sizeBytes,
                               (CUstream)stream),
          "cuMemcpyDtoDAsync");
  else if (to_device)
    check(cu.cuMemcpyHtoDAsync((CUdeviceptr)(uintptr_t)dst, src, sizeBytes,
                               (CUstream)stream),
          "cuMemcpyHtoDAsync");
  else if (from_device)
    check(cu.cuMemcpyDtoHAsync(dst, (CUdeviceptr)(uintptr_t)src, sizeBytes,
                               (CUstream)stream),
          "cuMemcpyDtoHAsync");
  else
    memcpy(dst, src, sizeBytes);
}

/*===----------------------------------------------------------------------===//
// The model ABI
//===----------------------------------------------------------------------===*/

static size_t dtype_size(int32_t dtype) {
  switch (dtype) {
  case MC_DTYPE_UINT8:
  case MC_DTYPE_INT8:
  case MC_DTYPE_BOOL:
    return 1;
  case MC_DTYPE_UINT16:
  case MC_DTYPE_INT16:
  case MC_DTYPE_FLOAT16:
  case MC_DTYPE_BFLOAT16:
    return 2;
  case MC_DTYPE_FLOAT32:
  case MC_DTYPE_INT32:
  case MC_DTYPE_UINT32:
    return 4;
  case MC_DTYPE_INT64:
  case MC_DTYPE_FLOAT64:
  case MC_DTYPE_UINT64:
    return 8;
  default:
    return 0;
  }
}

/* The byte size of `tensor` at `batch`; 0 with an error set in last_error
 * (and *status) when it cannot be computed. */
static size_t tensor_bytes(const mc_tensor_info *tensor, const char *kind,
                           int32_t index, int64_t batch, int *status) {
  mc_memref desc;
  int64_t count = 1;
  int32_t d;
  size_t size = dtype_size(tensor->dtype);
  *status = describe(&desc, tensor, kind, index, NULL, batch);
  if (*status != MC_OK)
    return 0;
  if (size == 0) {
    *status = fail(MC_ERROR_INTERNAL, "%s %d ('%s') has unknown dtype %d",
                   kind, (int)index, tensor->name, (int)tensor->dtype);
    return 0;
  }
  for (d = 0; d < tensor->rank; ++d)
    count *= desc.sizes_and_strides[d];
  if ((uint64_t)count > SIZE_MAX / size) {
    *status = fail(MC_ERROR_TOO_LARGE, "%s %d ('%s') is too large", kind,
                   (int)index, tensor->name);
    return 0;
  }
  return (size_t)count * size;
}

/* The checks of mc_model_run without the call. */
static int check_call(const void *const *inputs, void *const *outputs,
                      int64_t batch) {
  mc_memref descs[MC_MAX_TENSORS];
  void *args[MC_MAX_TENSORS];
  return prepare_call(inputs, outputs, batch, descs, args);
}

/* Runs the generated code on device buffers and waits for it. */
static int run_on_device(const void *const *inputs, void *const *outputs,
                         int64_t batch) {
  int status;
  cuda_error[0] = '\0';
  status = mc_run_generated(inputs, outputs, batch);
  if (status != MC_OK)
    return status;
  if (!cuda_error[0])
    check(cu.cuStreamSynchronize(NULL), "cuStreamSynchronize");
  if (cuda_error[0])
    return fail(MC_ERROR_DEVICE, "%s", cuda_error);
  return MC_OK;
}

int mc_model_run_device(const void *const *inputs, void *const *outputs,
                        int64_t batch) {
  int status;
  last_error[0] = '\0';
  /* The generic checks first: a bad call fails the same way everywhere. */
  status = check_call(inputs, outputs, batch);
  if (status != MC_OK)
    return status;
  status = use_device();
  if (status != MC_OK)
    return status;
  return run_on_device(inputs, outputs, batch);
}

int mc_model_run(const void *const *inputs, void *const *outputs,
                 int64_t batch) {
  const struct mc_model_info *info = &mc_generated_model_info;
  CUdeviceptr buffers[MC_MAX_TENSORS] = {0};
  size_t bytes[MC_MAX_TENSORS] = {0};
  int32_t i, count;
  int status;

  last_error[0] = '\0';
  status = check_call(inputs, outputs, batch);
  if (status != MC_OK)
    return status;
  count = info->num_inputs + info->num_outputs;
  for (i = 0; i < count; ++i) {
    int32_t in = i < info->num_inputs;
    const mc_tensor_info *tensor =
        in ? &info->inputs[i] : &info->outputs[i - info->num_inputs];
    bytes[i] = tensor_bytes(tensor, in ? "input" : "output",
                            in ? i : i - info->num_inputs, batch, &status);
    if (status != MC_OK)
      return status;
  }
  status = use_device();
  if (status != MC_OK)
    return status;

  cuda_error[0] = '\0';
  for (i = 0; i < count && !cuda_error[0]; ++i)
    if (bytes[i] > 0)
      check(cu.cuMemAlloc(&buffers[i], bytes[i]), "cuMemAlloc");
  for (i = 0; i < info->num_inputs && !cuda_error[0]; ++i)
    if (bytes[i] > 0)
      check(cu.cuMemcpyHtoD(buffers[i], inputs[i], bytes[i]), "cuMemcpyHtoD");
  if (cuda_error[0]) {
    status = fail(MC_ERROR_DEVICE, "%s", cuda_error);
  } else {
    /* Empty tensors have no buffer; any non-null pointer describes them. */
    void *device[MC_MAX_TENSORS];
    for (i = 0; i < count; ++i)
      device[i] = buffers[i] ? (void *)(uintptr_t)buffers[i] : (void *)(uintptr_t)info;
    status = run_on_device((const void *const *)device,
                           device + info->num_inputs, batch);
    for (i = info->num_inputs; i < count && status == MC_OK; ++i)
      if (bytes[i] > 0 &&
          !check(cu.cuMemcpyDtoH(outputs[i - info->num_inputs], buffers[i],
                                 bytes[i]),
                 "cuMemcpyDtoH"))
        status = fail(MC_ERROR_DEVICE, "%s", cuda_error);
  }
  for (i = 0; i < count; ++i)
    if (buffers[i])
      (void)cu.cuMemFree(buffers[i]);
  return status;
}
