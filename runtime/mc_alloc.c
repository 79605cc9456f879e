/*===- mc_alloc.c - Buffers of the generated code, cached per thread -*- C -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The generated code of a model allocates its intermediate buffers with
// memref.alloc and frees them with memref.dealloc; mc-cpu-pipeline lowers
// them to calls of the three functions below (finalize-memref-to-llvm with
// use-generic-functions; not use-aligned-alloc, so the generated code asks
// for the alignment it needs on top of the size and aligns the pointer
// itself) instead of malloc/free.
//
// Every call of a model allocates the same buffers again. With plain
// malloc, buffers above glibc's mmap threshold are mapped and unmapped on
// every call, and each of their pages faults on first touch: at batch 64 the
// bundled CNN spent 7 of its 8.5 ms per call in the kernel. Here a freed
// buffer goes to a free list of its size class in the calling thread and the
// next allocation of that class takes it back, so from the second call on a
// model runs without calling malloc at all.
//
// - Size classes: multiples of 64 bytes up to 4 KiB, then 8 classes per
//   power of two (at most 12.5% rounding); every block is 64-byte aligned.
// - Each block starts with a 64-byte header holding its class, so that free
//   needs no size.
// - A thread keeps at most MC_ALLOC_CACHE_MB MiB (environment variable,
//   read once; default 1024, 0 disables the cache) of free blocks; beyond
//   that a freed block goes back to the C library. The cache of a thread is
//   released when the thread exits, and mc_release_cached_memory() releases
//   the calling thread's at any time.
//
// The two allocation functions are hidden: each model library has its own
// cache.
//
//===----------------------------------------------------------------------===*/

#include "mc/runtime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define MC_ALLOC_ALIGN 64
#define MC_SMALL_LIMIT 4096 /* classes of 64-byte steps up to here */
#define MC_SMALL_CLASSES (MC_SMALL_LIMIT / MC_ALLOC_ALIGN)
#define MC_STEPS_LOG2 3 /* 8 classes per power of two above */
#define MC_CLASSES (MC_SMALL_CLASSES + (64 - 12) * (1 << MC_STEPS_LOG2))

#if defined(__GNUC__)
#define MC_HIDDEN __attribute__((visibility("hidden")))
#else
#define MC_HIDDEN
#endif

/* The header in front of every block; MC_ALLOC_ALIGN bytes. */
typedef union block_header {
  struct {
    union block_header *next; /* in a free list */
    uint32_t size_class;
  } h;
  char pad[MC_ALLOC_ALIGN];
} block_header;

typedef struct thread_cache {
  block_header *free_lists[MC_CLASSES];
  uint64_t cached_bytes;
} thread_cache;

static _Thread_local thread_cache *cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static uint64_t cache_limit;

/* Bytes of class `c`. */
static uint64_t class_bytes(uint32_t c) {
  if (c < MC_SMALL_CLASSES)
    return (uint64_t)(c + 1) * MC_ALLOC_ALIGN;
  c -= MC_SMALL_CLASSES;
  uint32_t octave = c >> MC_STEPS_LOG2, step = c & ((1u << MC_STEPS_LOG2) - 1);
  /* Classes of octave o cover (2^(12+o), 2^(13+o)] in 8 equal steps. */
  uint64_t base = (uint64_t)MC_SMALL_LIMIT << octave;
  return base + (base >> MC_STEPS_LOG2) * (step + 1);
}

/* The smallest class of at least `bytes` bytes, or MC_CLASSES if none. */
static uint32_t class_of(uint64_t bytes) {
  if (bytes <= MC_SMALL_LIMIT)
    return bytes == 0 ? 0 : (uint32_t)((bytes - 1) / MC_ALLOC_ALIGN);
  /* octave: the o with 2^(12+o) < bytes <= 2^(13+o). */
  uint32_t octave = 63 - (uint32_t)__builtin_clzll(bytes - 1) - 12;
  uint64_t base = (uint64_t)MC_SMALL_LIMIT << octave;
  uint64_t step = (bytes - base - 1) / (base >> MC_STEPS_LOG2);
  uint64_t c = MC_SMALL_CLASSES + ((uint64_t)octave << MC_STEPS_LOG2) + step;
  return c < MC_CLASSES ? (uint32_t)c : MC_CLASSES;
}

static void release_cache(thread_cache *tc) {
  for (uint32_t c = 0; c < MC_CLASSES; ++c) {
    block_header *b = tc->free_lists[c];
    while (b) {
      block_header *next = b->h.next;
      free(b);
      b = next;
    }
    tc->free_lists[c] = NULL;
  }
  tc->cached_bytes = 0;
}

static void destroy_cache(void *p) {
  release_cache((thread_cache *)p);
  free(p);
  cache = NULL;
}

static void init_once(void) {
  const char *limit = getenv("MC_ALLOC_CACHE_MB");
  long long mib = 1024;
  if (limit && *limit) {
    char *end;
    long long v = strtoll(limit, &end, 10);
    if (*end == '\0' && v >= 0)
      mib = v;
  }
  cache_limit = (uint64_t)mib << 20;
  pthread_key_create(&cache_key, destroy_cache);
}

static thread_cache *get_cache(void) {
  if (cache)
    return cache;
  pthread_once(&cache_once, init_once);
  if (cache_limit == 0)
    return NULL;
  cache = (thread_cache *)calloc(1, sizeof(thread_cache));
  if (cache)
    pthread_setspecific(cache_key, cache);
  return cache;
}

MC_HIDDEN void *_mlir_memref_to_llvm_alloc(uint64_t bytes) {
  uint32_t c = class_of(bytes);
  if (c == MC_CLASSES)
    return NULL; /* no class that large: as malloc would fail */
  thread_cache *tc = get_cache();
  block_header *b = tc ? tc->free_lists[c] : NULL;
  if (b) {
    tc->free_lists[c] = b->h.next;
    tc->cached_bytes -= class_bytes(c);
  } else {
    b = (block_header *)aligned_alloc(MC_ALLOC_ALIGN,
                                      sizeof(block_header) + class_bytes(c));
    if (!b)
      return NULL;
    b->h.size_class = c;
  }
  return b + 1;
}

MC_HIDDEN void _mlir_memref_to_llvm_free(void *p) {
  if (!p)
    return;
  block_header *b = (block_header *)p - 1;
  uint32_t c = b->h.size_class;
  thread_cache *tc = get_cache();
  if (!tc || tc->cached_bytes + class_bytes(c) > cache_limit) {
    free(b);
    return;
  }
  b->h.next = tc->free_lists[c];
  tc->free_lists[c] = b;
  tc->cached_bytes += class_bytes(c);
}

void mc_release_cached_memory(void) {
  if (cache)
    release_cache(cache);
}
