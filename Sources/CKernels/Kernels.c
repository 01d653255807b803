// Dense kernels for the Engine. See CKernels.h for what each computes; this file is about how fast.
//
// Bitwise reproducibility is the design constraint: every variant multiplies and then adds (never a fused
// multiply-add: contraction is off for the whole file, and the vector code calls mul and add separately), and every
// output element sums its products in increasing order. Vector lanes only ever hold different output elements, so
// AVX-512, AVX2 and the portable loops produce the same bits, which the tests check.

#include "CKernels.h"
#include "KernelsInternal.h"

#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__)
#define RLHF_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

// MARK: - Choosing the instruction set

static int detect_level(void) {
#if RLHF_X86
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return RLHFKernelsPortable;
    int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return RLHFKernelsPortable;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    unsigned long long xcr0 = ((unsigned long long)hi << 32) | lo;
    if ((xcr0 & 0x6) != 0x6) return RLHFKernelsPortable;  // the OS saves SSE and AVX state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return RLHFKernelsPortable;
    int avx2 = (ebx >> 5) & 1, avx512f = (ebx >> 16) & 1;
    if (avx512f && (xcr0 & 0xE6) == 0xE6) return RLHFKernelsAVX512;  // ... and opmask and ZMM state
    if (avx2) return RLHFKernelsAVX2;
#endif
    return RLHFKernelsPortable;
}

static atomic_int chosen_level = -1;

RLHFKernelLevel rlhf_kernels_best_level(void) {
    static atomic_int best = -1;
    int level = atomic_load_explicit(&best, memory_order_relaxed);
    if (level < 0) {
        level = detect_level();
        atomic_store_explicit(&best, level, memory_order_relaxed);
    }
    return (RLHFKernelLevel)level;
}

/// RLHF_KERNELS=portable|avx2|avx512 caps the level, so a run can be checked against the portable loops.
static int level_from_environment(void) {
    int best = rlhf_kernels_best_level();
    const char *asked = getenv("RLHF_KERNELS");
    if (asked == NULL) return best;
    int cap = strcmp(asked, "portable") == 0 ? RLHFKernelsPortable
            : strcmp(asked, "avx2") == 0     ? RLHFKernelsAVX2
                                              : RLHFKernelsAVX512;
    return cap < best ? cap : best;
}

RLHFKernelLevel rlhf_kernels_level(void) {
    int level = atomic_load_explicit(&chosen_level, memory_order_relaxed);
    if (level < 0) {
        level = level_from_environment();
        atomic_store_explicit(&chosen_level, level, memory_order_relaxed);
    }
    return (RLHFKernelLevel)level;
}

RLHFKernelLevel rlhf_kernels_set_level(RLHFKernelLevel level) {
    int best = rlhf_kernels_best_level();
    int use = (int)level < best ? (int)level : best;
    if (use < 0) use = RLHFKernelsPortable;
    atomic_store_explicit(&chosen_level, use, memory_order_relaxed);
    return (RLHFKernelLevel)use;
}

// MARK: - A second thread

/// One helper thread shares the rows of big products with the caller. Both take slices of rows from a common counter
/// until none are left, so if the helper is late (asleep, or its core busy) the caller simply does more of the work;
/// only a slice the helper has taken and not finished is waited for. Every row is computed whole by one thread with
/// the same code, so who took which slice never changes a bit.
///
/// The helper spins briefly after each job, so the next one (microseconds later, in a training loop) starts at once,
/// then sleeps until it is needed again. A job it has not claimed by the time the caller runs out of rows is
/// cancelled, so the helper never touches a job whose caller has returned. If another thread is already using the
/// helper, a caller computes everything itself.
typedef void (*rows_fn)(void *context, long begin, long end);

static struct {
    pthread_once_t once;
    pthread_mutex_t busy;       // held by the caller whose job is posted
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_long posted;         // number of the last job posted
    atomic_long claimed;        // number of the last job claimed by the helper or cancelled by its caller
    atomic_long finished;       // number of the last job the helper finished working on
    atomic_long next_row;       // first row of the current job no thread has taken yet
    rows_fn fn;
    void *context;
    long rows, grain;
    int running;                // the helper thread exists
    atomic_long splits;         // jobs the helper took part in (for tests)
} helper = {PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static atomic_int threads_allowed = -1;

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline void spin_pause(void) {
#if RLHF_X86
    _mm_pause();
#endif
}

/// Takes slices of the current job's rows until none are left.
static void take_rows(void) {
    for (;;) {
        const long begin = atomic_fetch_add_explicit(&helper.next_row, helper.grain, memory_order_relaxed);
        if (begin >= helper.rows) return;
        const long end = begin + helper.grain < helper.rows ? begin + helper.grain : helper.rows;
        helper.fn(helper.context, begin, end);
    }
}

static void *helper_main(void *unused) {
    (void)unused;
    long seen = 0;
    for (;;) {
        long job;
        double idle_since = seconds_now();
        unsigned spins = 0;
        while ((job = atomic_load_explicit(&helper.posted, memory_order_acquire)) == seen) {
            // Yield now and then: if this thread shares a core with the caller, spinning would take its time.
            if (++spins % 16 != 0) {
                spin_pause();
                continue;
            }
            sched_yield();
            if (spins % 256 != 0 || seconds_now() - idle_since < 200e-6) continue;
            pthread_mutex_lock(&helper.sleep_lock);
            while (atomic_load_explicit(&helper.posted, memory_order_acquire) == seen)
                pthread_cond_wait(&helper.wake, &helper.sleep_lock);
            pthread_mutex_unlock(&helper.sleep_lock);
        }
        seen = job;
        long expected = job - 1;
        if (!atomic_compare_exchange_strong_explicit(&helper.claimed, &expected, job, memory_order_acq_rel,
                                                     memory_order_acquire))
            continue;  // the caller finished without us
        take_rows();
        atomic_fetch_add_explicit(&helper.splits, 1, memory_order_relaxed);
        atomic_store_explicit(&helper.finished, job, memory_order_release);
    }
    return NULL;
}

static void start_helper(void) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    helper.running = pthread_create(&thread, &attributes, helper_main, NULL) == 0;
    pthread_attr_destroy(&attributes);
}

void rlhf_keep_large_buffers(void) {
#if defined(__GLIBC__)
    // Up to 256 MB a buffer comes from the heap, and up to 1 GB of freed heap is kept for the next step rather than
    // given back: a GPT step frees and reallocates the same activations every iteration.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int rlhf_kernels_threads(void) {
    int allowed = atomic_load_explicit(&threads_allowed, memory_order_relaxed);
    if (allowed < 0) {
        const char *asked = getenv("RLHF_THREADS");
        allowed = asked != NULL && strcmp(asked, "1") == 0 ? 1 : 2;
        atomic_store_explicit(&threads_allowed, allowed, memory_order_relaxed);
    }
    return allowed;
}

int rlhf_kernels_set_threads(int threads) {
    atomic_store_explicit(&threads_allowed, threads <= 1 ? 1 : 2, memory_order_relaxed);
    return rlhf_kernels_threads();
}

long rlhf_kernels_split_jobs(void) { return atomic_load_explicit(&helper.splits, memory_order_acquire); }

/// Runs fn over rows [0, rows) in slices of `grain` rows shared with the helper; returns 0 (having done nothing)
/// when the helper is not available.
static int run_split(rows_fn fn, void *context, long rows, long grain) {
    if (rlhf_kernels_threads() < 2) return 0;
    pthread_once(&helper.once, start_helper);
    if (!helper.running || pthread_mutex_trylock(&helper.busy) != 0) return 0;
    helper.fn = fn;
    helper.context = context;
    helper.rows = rows;
    helper.grain = grain;
    atomic_store_explicit(&helper.next_row, 0, memory_order_relaxed);
    const long job = atomic_load_explicit(&helper.posted, memory_order_relaxed) + 1;
    pthread_mutex_lock(&helper.sleep_lock);
    atomic_store_explicit(&helper.posted, job, memory_order_release);
    pthread_cond_signal(&helper.wake);
    pthread_mutex_unlock(&helper.sleep_lock);
    take_rows();
    long expected = job - 1;
    if (!atomic_compare_exchange_strong_explicit(&helper.claimed, &expected, job, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        // The helper claimed the job: wait until it has finished its last slice.
        for (unsigned spins = 1; atomic_load_explicit(&helper.finished, memory_order_acquire) != job; spins++) {
            if (spins % 16 == 0) sched_yield(); else spin_pause();
        }
    }
    pthread_mutex_unlock(&helper.busy);
    return 1;
}

int rlhf_split_rows(rlhf_rows_fn fn, void *context, long rows, long grain) {
    return run_split(fn, context, rows, grain);
}

// MARK: - Plain loops

// Loops whose elements are independent, written once and compiled for each level: each vectorises at that level's
// width. With errno off for sqrt (see Package.swift) Adam's loop vectorises too; sqrt and division are correctly
// rounded at every width.
#define RLHF_PLAIN_LOOPS(suffix, attributes)                                                                          \
    /* A product with very few q (a batch of one or two): each q adds A(r, q)·b[q, ·] to every row in turn, so each */\
    /* c[r, j] still receives its products in increasing q, without the set-up of going row by row. */                \
    attributes static void shallow_##suffix(long rows, long n, long depth, const float *a, long a_row, long a_depth,  \
                                            const float *b, float *c) {                                               \
        for (long q = 0; q < depth; q++) {                                                                            \
            const float *bq = b + q * n;                                                                              \
            for (long r = 0; r < rows; r++) {                                                                         \
                const float av = a[r * a_row + q * a_depth];                                                          \
                if (av == 0) continue;                                                                                \
                float *cr = c + r * n;                                                                                \
                for (long j = 0; j < n; j++) cr[j] = cr[j] + av * bq[j];                                              \
            }                                                                                                         \
        }                                                                                                             \
    }                                                                                                                 \
    attributes static void add_bias_##suffix(long rows, long n, float *c, const float *bias, int relu) {                \
        for (long r = 0; r < rows; r++) {                                                                             \
            float *cr = c + r * n;                                                                                    \
            if (relu)                                                                                                 \
                for (long j = 0; j < n; j++) { const float v = cr[j] + bias[j]; cr[j] = 0 >= v ? 0 : v; }          \
            else                                                                                                      \
                for (long j = 0; j < n; j++) cr[j] = cr[j] + bias[j];                                                 \
        }                                                                                                             \
    }                                                                                                                 \
    attributes static void relu_mask_##suffix(long count, const float *g, const float *y, float *out) {               \
        for (long i = 0; i < count; i++) out[i] = y[i] > 0 ? g[i] : 0;                                               \
    }                                                                                                                 \
    attributes static void add_rows_##suffix(long rows, long n, const float *g, float *out) {                         \
        for (long r = 0; r < rows; r++)                                                                               \
            for (long j = 0; j < n; j++) out[j] = out[j] + g[r * n + j];                                              \
    }                                                                                                                 \
    attributes static void adam_##suffix(long count, float *p, float *m, float *v, const float *g, float beta1,       \
                                         float beta2, float c1, float c2, float lr, float epsilon) {                  \
        for (long i = 0; i < count; i++) {                                                                            \
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];                                                                 \
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];                                                          \
            const float mh = m[i] / c1;                                                                               \
            const float vh = v[i] / c2;                                                                               \
            p[i] = p[i] - lr * mh / (sqrtf(vh) + epsilon);                                                            \
        }                                                                                                             \
    }

RLHF_PLAIN_LOOPS(portable, )
#if RLHF_X86
RLHF_PLAIN_LOOPS(avx2, __attribute__((target("avx2"))))
RLHF_PLAIN_LOOPS(avx512, __attribute__((target("avx512f"))))
#endif

/// Returns `name` at `level`: name_avx512, name_avx2 or name_portable, called with the remaining arguments.
#if RLHF_X86
#define RLHF_RETURN_AT_LEVEL(level, name, ...)                                                                        \
    switch (level) {                                                                                                  \
    case RLHFKernelsAVX512: return name##_avx512(__VA_ARGS__);                                                        \
    case RLHFKernelsAVX2: return name##_avx2(__VA_ARGS__);                                                            \
    default: return name##_portable(__VA_ARGS__);                                                                     \
    }
#else
#define RLHF_RETURN_AT_LEVEL(level, name, ...) return name##_portable(__VA_ARGS__);
#endif

/// Below this depth a product goes q by q over all rows (`shallow`), not row by row.
enum { SHALLOW = 4 };

// MARK: - Matrix product

/// Columns of one row of c kept in registers while the products are summed into them.
enum { CHUNK = 64 };
/// How many q are gathered at a time into the list of non-zero A(r, q).
enum { DEPTH_BLOCK = 256 };
/// Below this many columns a row gives too little to vectorise; rows are interleaved instead.
enum { NARROW = 8 };

/// c[0..<w] += Σ_t val[t] · b[idx[t]·n + 0..<w] for w ≤ CHUNK, in increasing t.
typedef void (*chunk_fn)(long count, const int32_t *idx, const float *val, const float *b, long n, float *c, long w);

static void chunk_portable(long count, const int32_t *idx, const float *val, const float *b, long n, float *c, long w) {
    float acc[CHUNK];
    memcpy(acc, c, (size_t)w * sizeof(float));
    for (long t = 0; t < count; t++) {
        const float s = val[t];
        const float *bq = b + (long)idx[t] * n;
        for (long j = 0; j < w; j++) acc[j] = acc[j] + s * bq[j];
    }
    memcpy(c, acc, (size_t)w * sizeof(float));
}

#if RLHF_X86
__attribute__((target("avx2")))
static void chunk_avx2(long count, const int32_t *idx, const float *val, const float *b, long n, float *c, long w) {
    if (w == CHUNK) {
        __m256 a0 = _mm256_loadu_ps(c), a1 = _mm256_loadu_ps(c + 8), a2 = _mm256_loadu_ps(c + 16),
               a3 = _mm256_loadu_ps(c + 24), a4 = _mm256_loadu_ps(c + 32), a5 = _mm256_loadu_ps(c + 40),
               a6 = _mm256_loadu_ps(c + 48), a7 = _mm256_loadu_ps(c + 56);
        for (long t = 0; t < count; t++) {
            const __m256 s = _mm256_set1_ps(val[t]);
            const float *bq = b + (long)idx[t] * n;
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(s, _mm256_loadu_ps(bq)));
            a1 = _mm256_add_ps(a1, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 8)));
            a2 = _mm256_add_ps(a2, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 16)));
            a3 = _mm256_add_ps(a3, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 24)));
            a4 = _mm256_add_ps(a4, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 32)));
            a5 = _mm256_add_ps(a5, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 40)));
            a6 = _mm256_add_ps(a6, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 48)));
            a7 = _mm256_add_ps(a7, _mm256_mul_ps(s, _mm256_loadu_ps(bq + 56)));
        }
        _mm256_storeu_ps(c, a0), _mm256_storeu_ps(c + 8, a1), _mm256_storeu_ps(c + 16, a2);
        _mm256_storeu_ps(c + 24, a3), _mm256_storeu_ps(c + 32, a4), _mm256_storeu_ps(c + 40, a5);
        _mm256_storeu_ps(c + 48, a6), _mm256_storeu_ps(c + 56, a7);
        return;
    }
    // A partial chunk: whole vectors of eight with masked loads, lanes past w loaded as zero and never stored.
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i mask[CHUNK / 8];
    __m256 acc[CHUNK / 8];
    const long vectors = (w + 7) / 8;
    for (long i = 0; i < vectors; i++) {
        mask[i] = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(w - 8 * i)), lane);
        acc[i] = _mm256_maskload_ps(c + 8 * i, mask[i]);
    }
    for (long t = 0; t < count; t++) {
        const __m256 s = _mm256_set1_ps(val[t]);
        const float *bq = b + (long)idx[t] * n;
        for (long i = 0; i < vectors; i++)
            acc[i] = _mm256_add_ps(acc[i], _mm256_mul_ps(s, _mm256_maskload_ps(bq + 8 * i, mask[i])));
    }
    for (long i = 0; i < vectors; i++) _mm256_maskstore_ps(c + 8 * i, mask[i], acc[i]);
}

/// One row of c (two = 0), or two rows whose A rows have no zeros in this block (two = 1, so both take the same q in
/// the same order and each load of b serves both), over nv ≤ 8 vectors of sixteen columns held in registers.
/// Called with constant nv and two, so each case compiles to straight-line code with no arrays in memory.
__attribute__((target("avx512f"), always_inline))
static inline void rows_avx512_nv(const int nv, const int two, long count, const int32_t *idx, const float *val0,
                                  const float *val1, const float *b, long n, float *c0, float *c1, long w) {
    __mmask16 k[8];
    __m512 x[8], y[8];
    for (int i = 0; i < nv; i++) {
        long lanes = w - 16 * i;
        lanes = lanes > 16 ? 16 : lanes;
        k[i] = (__mmask16)((1u << lanes) - 1);
        x[i] = _mm512_maskz_loadu_ps(k[i], c0 + 16 * i);
        if (two) y[i] = _mm512_maskz_loadu_ps(k[i], c1 + 16 * i);
    }
    for (long t = 0; t < count; t++) {
        const __m512 s0 = _mm512_set1_ps(val0[t]);
        const __m512 s1 = two ? _mm512_set1_ps(val1[t]) : s0;
        const float *bq = b + (long)idx[t] * n;
        for (int i = 0; i < nv; i++) {
            const __m512 bi = _mm512_maskz_loadu_ps(k[i], bq + 16 * i);
            x[i] = _mm512_add_ps(x[i], _mm512_mul_ps(s0, bi));
            if (two) y[i] = _mm512_add_ps(y[i], _mm512_mul_ps(s1, bi));
        }
    }
    for (int i = 0; i < nv; i++) {
        _mm512_mask_storeu_ps(c0 + 16 * i, k[i], x[i]);
        if (two) _mm512_mask_storeu_ps(c1 + 16 * i, k[i], y[i]);
    }
}

#define RLHF_ROWS_CASE(NV)                                                                                             \
    case NV:                                                                                                          \
        if (two) return rows_avx512_nv(NV, 1, count, idx, val0, val1, b, n, c0, c1, w);                               \
        return rows_avx512_nv(NV, 0, count, idx, val0, val1, b, n, c0, c1, w);

/// c0[0..<w] (and c1 when two) += Σ_t val[t] · b[idx[t]·n + 0..<w] for w ≤ 128, in increasing t.
__attribute__((target("avx512f")))
static void rows_avx512(int two, long count, const int32_t *idx, const float *val0, const float *val1, const float *b,
                        long n, float *c0, float *c1, long w) {
    switch ((w + 15) / 16) {
        RLHF_ROWS_CASE(1) RLHF_ROWS_CASE(2) RLHF_ROWS_CASE(3) RLHF_ROWS_CASE(4)
        RLHF_ROWS_CASE(5) RLHF_ROWS_CASE(6) RLHF_ROWS_CASE(7) RLHF_ROWS_CASE(8)
    default: return;
    }
}
#endif

static chunk_fn chunk_for_level(int level) {
#if RLHF_X86
    if (level == RLHFKernelsAVX2) return chunk_avx2;
#endif
    (void)level;
    return chunk_portable;
}

/// Few columns: several rows at a time, each with its own running sum, so the additions of different rows overlap
/// instead of waiting on one another. A zero A(r, q) leaves the sum as it is, exactly as skipping it would.
typedef void (*narrow_fn)(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b,
                          float *c);

static void narrow_portable(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b,
                            float *c) {
    for (long r0 = 0; r0 < rows; r0 += 8) {
        const long rb = rows - r0 < 8 ? rows - r0 : 8;
        for (long j = 0; j < n; j++) {
            float acc[8];
            for (long t = 0; t < rb; t++) acc[t] = c[(r0 + t) * n + j];
            for (long q = 0; q < depth; q++) {
                const float bq = b[q * n + j];
                for (long t = 0; t < rb; t++) {
                    const float av = a[(r0 + t) * a_row + q * a_depth];
                    const float sum = acc[t] + av * bq;
                    acc[t] = av != 0 ? sum : acc[t];
                }
            }
            for (long t = 0; t < rb; t++) c[(r0 + t) * n + j] = acc[t];
        }
    }
}

#if RLHF_X86
/// Sixteen rows per vector: each step gathers A(r0..r0+15, q) and adds its products only in the lanes where it is
/// not zero.
__attribute__((target("avx512f")))
static void narrow_avx512(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b,
                          float *c) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i rowOffset = _mm512_mullo_epi32(lane, _mm512_set1_epi32((int)a_row));
    const __m512i cOffset = _mm512_mullo_epi32(lane, _mm512_set1_epi32((int)n));
    const __m512 zero = _mm512_setzero_ps();
    for (long r0 = 0; r0 < rows; r0 += 16) {
        const long rb = rows - r0 < 16 ? rows - r0 : 16;
        const __mmask16 live = (__mmask16)((1u << rb) - 1);
        for (long j = 0; j < n; j++) {
            float *cj = c + r0 * n + j;
            __m512 acc = _mm512_mask_i32gather_ps(zero, live, cOffset, cj, 4);
            const float *ar = a + r0 * a_row;
            for (long q = 0; q < depth; q++) {
                const __m512 av = _mm512_mask_i32gather_ps(zero, live, rowOffset, ar + q * a_depth, 4);
                const __mmask16 nonzero = _mm512_cmp_ps_mask(av, zero, _CMP_NEQ_UQ);
                acc = _mm512_mask_add_ps(acc, nonzero, acc, _mm512_mul_ps(av, _mm512_set1_ps(b[q * n + j])));
            }
            _mm512_mask_i32scatter_ps(cj, live, cOffset, acc, 4);
        }
    }
}

/// Eight rows per vector; a zero A(r, q) selects the old sum back with a blend.
__attribute__((target("avx2")))
static void narrow_avx2(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b,
                        float *c) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i rowOffset = _mm256_mullo_epi32(lane, _mm256_set1_epi32((int)a_row));
    const __m256 zero = _mm256_setzero_ps();
    for (long r0 = 0; r0 < rows; r0 += 8) {
        const long rb = rows - r0 < 8 ? rows - r0 : 8;
        const __m256 live = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32((int)rb), lane));
        for (long j = 0; j < n; j++) {
            float start[8] = {0};
            for (long t = 0; t < rb; t++) start[t] = c[(r0 + t) * n + j];
            __m256 acc = _mm256_loadu_ps(start);
            const float *ar = a + r0 * a_row;
            for (long q = 0; q < depth; q++) {
                const __m256 av = _mm256_mask_i32gather_ps(zero, ar + q * a_depth, rowOffset, live, 4);
                const __m256 sum = _mm256_add_ps(acc, _mm256_mul_ps(av, _mm256_set1_ps(b[q * n + j])));
                acc = _mm256_blendv_ps(acc, sum, _mm256_cmp_ps(av, zero, _CMP_NEQ_UQ));
            }
            float out[8];
            _mm256_storeu_ps(out, acc);
            for (long t = 0; t < rb; t++) c[(r0 + t) * n + j] = out[t];
        }
    }
}
#endif

static narrow_fn narrow_for_level(int level) {
#if RLHF_X86
    if (level == RLHFKernelsAVX512) return narrow_avx512;
    if (level == RLHFKernelsAVX2) return narrow_avx2;
#endif
    (void)level;
    return narrow_portable;
}

/// The non-zero A(q) for q in [q0, q1), in order, as (idx, val); returns how many. No branch per q.
static long nonzero_portable(const float *ar, long a_depth, long q0, long q1, int32_t *idx, float *val) {
    long count = 0;
    for (long q = q0; q < q1; q++) {
        const float av = ar[q * a_depth];
        idx[count] = (int32_t)q;
        val[count] = av;
        count += av != 0;
    }
    return count;
}

#if RLHF_X86
/// Sixteen A(q) at a time (loaded, or gathered when strided), the non-zero ones packed to the front of a register
/// and stored; idx and val need room for sixteen entries past the last one kept.
__attribute__((target("avx512f")))
static long nonzero_avx512(const float *ar, long a_depth, long q0, long q1, int32_t *idx, float *val) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i offsets = _mm512_mullo_epi32(lane, _mm512_set1_epi32((int)a_depth));
    const __m512 zero = _mm512_setzero_ps();
    long count = 0;
    for (long q = q0; q < q1; q += 16) {
        const long left = q1 - q;
        const __mmask16 live = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __m512 v = a_depth == 1 ? _mm512_maskz_loadu_ps(live, ar + q)
                                      : _mm512_mask_i32gather_ps(zero, live, offsets, ar + q * a_depth, 4);
        // "not equal, or unordered": NaN is kept, as `av != 0` keeps it.
        const __mmask16 keep = _mm512_mask_cmp_ps_mask(live, v, zero, _CMP_NEQ_UQ);
        _mm512_storeu_ps(val + count, _mm512_maskz_compress_ps(keep, v));
        _mm512_storeu_si512(idx + count, _mm512_maskz_compress_epi32(keep, _mm512_add_epi32(lane, _mm512_set1_epi32((int)q))));
        count += __builtin_popcount(keep);
    }
    return count;
}
#endif

static inline long nonzero(int level, const float *ar, long a_depth, long q0, long q1, int32_t *idx, float *val) {
#if RLHF_X86
    // Gathering needs the offsets of sixteen strided entries in 32 bits; a short block is quicker one by one.
    if (level == RLHFKernelsAVX512 && q1 - q0 >= 16 && 16 * a_depth < (1L << 31)) return nonzero_avx512(ar, a_depth, q0, q1, idx, val);
#endif
    (void)level;
    return nonzero_portable(ar, a_depth, q0, q1, idx, val);
}

/// One product, split by rows between threads: every row is computed whole by one thread, with the same code, so the
/// split never changes a bit.
typedef struct {
    long n, depth, a_row, a_depth;
    const float *a, *b;
    float *c;
    int accumulate, level;
} product;

static void product_rows(void *context, long begin, long end) {
    const product *p = context;
    const long n = p->n, depth = p->depth, rows = end - begin;
    const float *a = p->a + begin * p->a_row;
    float *c = p->c + begin * n;
    if (!p->accumulate) memset(c, 0, (size_t)(rows * n) * sizeof(float));
    if (depth <= 0 || rows <= 0) return;
    if (n < NARROW) {
        // Gathering rows needs their offsets in 32 bits.
        const int gather = 16 * (p->a_row > n ? p->a_row : n) < (1L << 31);
        narrow_fn narrow = gather ? narrow_for_level(p->level) : narrow_portable;
        return narrow(rows, n, depth, a, p->a_row, p->a_depth, p->b, c);
    }
    if (depth <= SHALLOW) { RLHF_RETURN_AT_LEVEL(p->level, shallow, rows, n, depth, a, p->a_row, p->a_depth, p->b, c) }
    // Sixteen entries of room past a block, for the vector stores of `nonzero`.
    int32_t idx[DEPTH_BLOCK + 16];
    float val[DEPTH_BLOCK + 16];
#if RLHF_X86
    if (p->level == RLHFKernelsAVX512) {
        int32_t idx1[DEPTH_BLOCK + 16];
        float val1[DEPTH_BLOCK + 16];
        // 128 columns at a time, and two rows together through the blocks where neither has a zero.
        for (long r = 0; r < rows; r++) {
            float *cr = c + r * n;
            const float *ar = a + r * p->a_row;
            const int pair = r + 1 < rows;
            for (long q0 = 0; q0 < depth; q0 += DEPTH_BLOCK) {
                const long q1 = depth - q0 < DEPTH_BLOCK ? depth : q0 + DEPTH_BLOCK;
                const long count = nonzero(p->level, ar, p->a_depth, q0, q1, idx, val);
                const long count1 = pair ? nonzero(p->level, ar + p->a_row, p->a_depth, q0, q1, idx1, val1) : 0;
                const int together = pair && count == q1 - q0 && count1 == q1 - q0;
                for (long j0 = 0; j0 < n; j0 += 128) {
                    const long w = n - j0 < 128 ? n - j0 : 128;
                    if (together) {
                        rows_avx512(1, count, idx, val, val1, p->b + j0, n, cr + j0, cr + n + j0, w);
                        continue;
                    }
                    if (count > 0) rows_avx512(0, count, idx, val, val, p->b + j0, n, cr + j0, cr + j0, w);
                    if (count1 > 0) rows_avx512(0, count1, idx1, val1, val1, p->b + j0, n, cr + n + j0, cr + n + j0, w);
                }
            }
            r += pair;
        }
        return;
    }
#endif
    const chunk_fn chunk = chunk_for_level(p->level);
    for (long r = 0; r < rows; r++) {
        float *cr = c + r * n;
        const float *ar = a + r * p->a_row;
        for (long q0 = 0; q0 < depth; q0 += DEPTH_BLOCK) {
            const long q1 = depth - q0 < DEPTH_BLOCK ? depth : q0 + DEPTH_BLOCK;
            const long count = nonzero(p->level, ar, p->a_depth, q0, q1, idx, val);
            for (long j0 = 0; j0 < n && count > 0; j0 += CHUNK) {
                const long w = n - j0 < CHUNK ? n - j0 : CHUNK;
                chunk(count, idx, val, p->b + j0, n, cr + j0, w);
            }
        }
    }
}

/// Products smaller than this many multiply-adds are not worth handing half to another thread.
enum { SPLIT_WORK = 1 << 16 };

void rlhf_gemm(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b, float *c,
               int accumulate) {
    if (rows <= 0 || n <= 0) return;
    product p = {n, depth, a_row, a_depth, a, b, c, accumulate, rlhf_kernels_level()};
    // Slices of about an eighth of the rows, an even number so pairs of rows stay together.
    const long grain = ((rows / 8 + 1) / 2) * 2 > 2 ? ((rows / 8 + 1) / 2) * 2 : 2;
    if (rows >= 4 && rows * n * (depth > 0 ? depth : 1) >= SPLIT_WORK && run_split(product_rows, &p, rows, grain)) return;
    product_rows(&p, 0, rows);
}

// MARK: - Transpose

static void transpose_portable(long rows, long columns, const float *src, float *dst) {
    // In tiles, so both the rows read and the rows written stay in cache.
    enum { TILE = 16 };
    for (long i0 = 0; i0 < rows; i0 += TILE) {
        const long i1 = rows - i0 < TILE ? rows : i0 + TILE;
        for (long j0 = 0; j0 < columns; j0 += TILE) {
            const long j1 = columns - j0 < TILE ? columns : j0 + TILE;
            for (long j = j0; j < j1; j++)
                for (long i = i0; i < i1; i++) dst[j * rows + i] = src[i * columns + j];
        }
    }
}

#if RLHF_X86
/// Tiles of 16 × 16 transposed in registers (four rounds of shuffles); partial tiles load and store under masks.
__attribute__((target("avx512f")))
static void transpose_avx512(long rows, long columns, const float *src, float *dst) {
    for (long i0 = 0; i0 < rows; i0 += 16) {
        const long ri = rows - i0 < 16 ? rows - i0 : 16;
        const __mmask16 row_mask = (__mmask16)((1u << ri) - 1);
        for (long j0 = 0; j0 < columns; j0 += 16) {
            const long cj = columns - j0 < 16 ? columns - j0 : 16;
            const __mmask16 column_mask = (__mmask16)((1u << cj) - 1);
            __m512 r[16], t[16];
            for (int k = 0; k < 16; k++)
                r[k] = k < ri ? _mm512_maskz_loadu_ps(column_mask, src + (i0 + k) * columns + j0) : _mm512_setzero_ps();
            for (int k = 0; k < 16; k += 2) {
                t[k] = _mm512_unpacklo_ps(r[k], r[k + 1]);
                t[k + 1] = _mm512_unpackhi_ps(r[k], r[k + 1]);
            }
            for (int k = 0; k < 16; k += 4) {
                r[k] = _mm512_shuffle_ps(t[k], t[k + 2], 0x44);
                r[k + 1] = _mm512_shuffle_ps(t[k], t[k + 2], 0xEE);
                r[k + 2] = _mm512_shuffle_ps(t[k + 1], t[k + 3], 0x44);
                r[k + 3] = _mm512_shuffle_ps(t[k + 1], t[k + 3], 0xEE);
            }
            for (int k = 0; k < 4; k++) {
                t[k] = _mm512_shuffle_f32x4(r[k], r[k + 4], 0x88);
                t[k + 4] = _mm512_shuffle_f32x4(r[k], r[k + 4], 0xDD);
                t[k + 8] = _mm512_shuffle_f32x4(r[k + 8], r[k + 12], 0x88);
                t[k + 12] = _mm512_shuffle_f32x4(r[k + 8], r[k + 12], 0xDD);
            }
            for (int k = 0; k < 8; k++) {
                r[k] = _mm512_shuffle_f32x4(t[k], t[k + 8], 0x88);
                r[k + 8] = _mm512_shuffle_f32x4(t[k], t[k + 8], 0xDD);
            }
            for (int k = 0; k < cj; k++) _mm512_mask_storeu_ps(dst + (j0 + k) * rows + i0, row_mask, r[k]);
        }
    }
}
#endif

void rlhf_transpose(long rows, long columns, const float *src, float *dst) {
#if RLHF_X86
    if (rlhf_kernels_level() == RLHFKernelsAVX512) return transpose_avx512(rows, columns, src, dst);
#endif
    transpose_portable(rows, columns, src, dst);
}

// MARK: - Adam

void rlhf_adam(long count, float *p, float *m, float *v, const float *g, float beta1, float beta2, float c1, float c2,
               float lr, float epsilon) {
    // One thread: shared between two cores, the moments would move between their caches every step.
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), adam, count, p, m, v, g, beta1, beta2, c1, c2, lr, epsilon)
}

// MARK: - Elementwise

void rlhf_add_bias(long rows, long n, float *c, const float *bias, int relu) {
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), add_bias, rows, n, c, bias, relu)
}

void rlhf_add_rows(long rows, long n, const float *g, float *out) {
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), add_rows, rows, n, g, out)
}

void rlhf_relu_mask(long count, const float *g, const float *y, float *out) {
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), relu_mask, count, g, y, out)
}

// MARK: - Inference (rlhf_infer_*): a GPT's forward pass without a tape, for evaluation and KV-cache sampling
//
// The formulas, and the order of every sum, are those of the training forward (TransformerKernels.c; `sum8`,
// `dot8` and `exp_poly` are the very same functions, from KernelsInternal.h), layer norm, GELU as x·σ(2u), the causal softmax), so a logit computed here has the bits the tape
// computes for it. Each kernel rounds every multiply and add on its own; vector lanes hold different outputs, so every
// level gives the same bits. The row-wise loops are written once, always inlined into one function per level and
// vectorised at that level's width.

/// GELU, tanh form, as x·σ(2u) = ½x(1 + tanh u) with u = √(2/π)·(x + 0.044715·x·x·x).
/// In place: with separate input and output pointers the compiler must allow for their overlapping, and a call on
/// one buffer would take its scalar loop.
__attribute__((always_inline)) static inline void infer_gelu_body(long count, float *x) {
    for (long i = 0; i < count; i++) {
        const float v = x[i];
        const float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        x[i] = v * (1.0f / (1.0f + exp_poly(-2.0f * u)));
    }
}

__attribute__((always_inline)) static inline void infer_layer_norm_body(long rows, long n, const float *x,
                                                                        const float *weight, const float *bias,
                                                                        float eps, float *out) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *yr = out + r * n;
        const float mean = sum8(xr, n) / (float)n;
        for (long j = 0; j < n; j++) yr[j] = xr[j] - mean;
        const float rstd = 1.0f / sqrtf(dot8(yr, yr, n) / (float)n + eps);
        for (long j = 0; j < n; j++) yr[j] = yr[j] * rstd * weight[j] + bias[j];
    }
}

/// scores[j] = Σ_d q_d · keys[d·stride + j] for j in [j0, j0 + W): W sums held in registers while d runs.
#define RLHF_INFER_SCORES_BLOCK(W)                                                                                    \
    for (; j0 + (W) <= n; j0 += (W)) {                                                                                \
        float acc[W] = {0};                                                                                           \
        for (long d = 0; d < head_dim; d++) {                                                                         \
            const float qd = q[d];                                                                                    \
            const float *kd = keys + d * stride + j0;                                                                 \
            for (int c = 0; c < (W); c++) acc[c] = acc[c] + qd * kd[c];                                               \
        }                                                                                                             \
        for (int c = 0; c < (W); c++) scores[j0 + c] = acc[c];                                                        \
    }

/// out[d] = Σ_j p_j · values[j·head_dim + d] for d in [d0, d0 + W): W sums held in registers while j runs.
#define RLHF_INFER_MIX_BLOCK(W)                                                                                       \
    for (; d0 + (W) <= head_dim; d0 += (W)) {                                                                         \
        float acc[W] = {0};                                                                                           \
        for (long j = 0; j < n; j++) {                                                                                \
            const float p = scores[j];                                                                                \
            const float *vj = values + j * head_dim + d0;                                                             \
            for (int c = 0; c < (W); c++) acc[c] = acc[c] + p * vj[c];                                                \
        }                                                                                                             \
        for (int c = 0; c < (W); c++) out[d0 + c] = acc[c];                                                           \
    }

__attribute__((always_inline)) static inline void infer_attend_body(long n, long head_dim, const float *q,
                                                                    const float *keys, long stride,
                                                                    const float *values, float scale, float *scores,
                                                                    float *out) {
    // Blocks of 32, 8 and 1 outputs: each output's sum runs in the same order whichever block it falls in.
    long j0 = 0;
    RLHF_INFER_SCORES_BLOCK(32)
    RLHF_INFER_SCORES_BLOCK(8)
    RLHF_INFER_SCORES_BLOCK(1)
    float max = scores[0] * scale;
    for (long j = 0; j < n; j++) {
        const float s = scores[j] * scale;
        max = s > max ? s : max;
    }
    for (long j = 0; j < n; j++) scores[j] = exp_poly(scores[j] * scale - max);
    const float total = sum8(scores, n);
    for (long j = 0; j < n; j++) scores[j] = scores[j] / total;
    long d0 = 0;
    RLHF_INFER_MIX_BLOCK(32)
    RLHF_INFER_MIX_BLOCK(8)
    RLHF_INFER_MIX_BLOCK(1)
}

/// Each row-wise kernel once per level: the same loops, vectorised at the level's width.
#define RLHF_INFER_LOOPS(suffix, attributes)                                                                          \
    attributes static void infer_gelu_##suffix(long count, float *x) { infer_gelu_body(count, x); }                   \
    attributes static void infer_layer_norm_##suffix(long rows, long n, const float *x, const float *weight,         \
                                                     const float *bias, float eps, float *out) {                      \
        infer_layer_norm_body(rows, n, x, weight, bias, eps, out);                                                    \
    }                                                                                                                 \
    attributes static void infer_attend_##suffix(long n, long head_dim, const float *q, const float *keys,           \
                                                 long stride, const float *values, float scale, float *scores,       \
                                                 float *out) {                                                        \
        infer_attend_body(n, head_dim, q, keys, stride, values, scale, scores, out);                                  \
    }

RLHF_INFER_LOOPS(portable, )
#if RLHF_X86
RLHF_INFER_LOOPS(avx2, __attribute__((target("avx2"))))
RLHF_INFER_LOOPS(avx512, __attribute__((target("avx512f"))))
#endif

void rlhf_infer_gelu(long count, float *x) { RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), infer_gelu, count, x) }

void rlhf_infer_layer_norm(long rows, long n, const float *x, const float *weight, const float *bias, float eps,
                           float *out) {
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), infer_layer_norm, rows, n, x, weight, bias, eps, out)
}

void rlhf_infer_attend(long n, long head_dim, const float *q, const float *keys, long stride, const float *values,
                       float scale, float *scores, float *out) {
    if (n <= 0) {
        for (long d = 0; d < head_dim; d++) out[d] = 0;
        return;
    }
    RLHF_RETURN_AT_LEVEL(rlhf_kernels_level(), infer_attend, n, head_dim, q, keys, stride, values, scale, scores, out)
}

/// Sequences [begin, end) of a `rlhf_infer_attention` call. Within a sequence positions go in increasing order, each
/// writing its key and value before its query reads the cache, which then holds exactly the positions it may see.
typedef struct {
    long time, length, heads, head_dim, context;
    const float *qkv;
    float *keys, *values, *y;
    float scale;
} infer_attention_job;

static void infer_attention_sequences(void *context, long begin, long end) {
    const infer_attention_job *a = context;
    const long hd = a->head_dim, heads = a->heads, dim = heads * hd, time = a->time, window = a->context;
    float stack[512];
    float *scores = window <= 512 ? stack : malloc((size_t)window * sizeof(float));
    if (scores == NULL) abort();
    for (long b = begin; b < end; b++) {
        for (long t = 0; t < time; t++) {
            const long r = b * time + t, position = a->length + t;
            const float *row = a->qkv + r * 3 * dim;
            for (long h = 0; h < heads; h++) {
                float *keys = a->keys + (b * heads + h) * hd * window;      // [head_dim, context]
                float *values = a->values + (b * heads + h) * window * hd;  // [context, head_dim]
                for (long i = 0; i < hd; i++) {
                    keys[i * window + position] = row[dim + h * hd + i];
                    values[position * hd + i] = row[2 * dim + h * hd + i];
                }
                rlhf_infer_attend(position + 1, hd, row + h * hd, keys, window, values, a->scale, scores,
                                  a->y + r * dim + h * hd);
            }
        }
    }
    if (scores != stack) free(scores);
}

void rlhf_infer_attention(long batch, long time, long length, long heads, long head_dim, long context,
                          const float *qkv, float *keys, float *values, float scale, float *y) {
    if (batch <= 0 || time <= 0) return;
    infer_attention_job job = {time, length, heads, head_dim, context, qkv, keys, values, y, scale};
    // Whole sequences to each thread: a sequence's cache is written and read by one thread only.
    const long work = batch * time * (length + time) * heads * head_dim * 2;
    if (batch >= 2 && work >= SPLIT_WORK && run_split(infer_attention_sequences, &job, batch, 1)) return;
    infer_attention_sequences(&job, 0, batch);
}

// The linear layer works on panels of sixteen output columns, its weights packed panel by panel (`depth` rows of
// sixteen floats each, the last panel padded with zeros), so a panel streams through memory in order; all rows of x go
// through one panel before the next, four rows at a time, reading the panel from L1 after the first four.

enum { INFER_PANEL = 16, INFER_ROWS = 4 };

long rlhf_infer_packed_count(long depth, long n) { return ((n + INFER_PANEL - 1) / INFER_PANEL) * depth * INFER_PANEL; }

void rlhf_infer_pack(long depth, long n, const float *w, float *packed) {
    for (long j0 = 0; j0 < n; j0 += INFER_PANEL) {
        const long width = n - j0 < INFER_PANEL ? n - j0 : INFER_PANEL;
        float *panel = packed + j0 * depth;
        for (long q = 0; q < depth; q++)
            for (long c = 0; c < INFER_PANEL; c++) panel[q * INFER_PANEL + c] = c < width ? w[q * n + j0 + c] : 0;
    }
}

typedef struct {
    long rows, n, depth;
    const float *x, *packed, *bias;
    float *out;
    int accumulate, level;
} infer_linear_job;

/// The end of every variant: out = sum + bias, or out = out + (sum + bias).
static inline float infer_linear_result(float sum, const float *bias, long j, const float *out, int accumulate) {
    const float v = bias != NULL ? sum + bias[j] : sum;
    return accumulate ? *out + v : v;
}

static void infer_linear_panels_portable(const infer_linear_job *job, long begin, long end) {
    const long n = job->n, depth = job->depth;
    for (long panel = begin; panel < end; panel++) {
        const long j0 = panel * INFER_PANEL;
        const long width = n - j0 < INFER_PANEL ? n - j0 : INFER_PANEL;
        const float *w = job->packed + j0 * depth;
        for (long r = 0; r < job->rows; r++) {
            float acc[INFER_PANEL] = {0};
            const float *xr = job->x + r * depth;
            for (long q = 0; q < depth; q++) {
                const float a = xr[q];
                const float *wq = w + q * INFER_PANEL;
                for (long c = 0; c < INFER_PANEL; c++) acc[c] = acc[c] + a * wq[c];
            }
            float *o = job->out + r * n + j0;
            for (long c = 0; c < width; c++) o[c] = infer_linear_result(acc[c], job->bias, j0 + c, o + c, job->accumulate);
        }
    }
}

#if RLHF_X86
/// `rb` rows (≤ 4) × one panel in eight registers; `full` when the panel has all sixteen columns, otherwise the lanes
/// past `width` (computed on the padding) are never stored.
__attribute__((target("avx2"), always_inline))
static inline void infer_block_avx2(const int rb, const int full, const infer_linear_job *job, long r0, long j0,
                                    long width) {
    const long n = job->n, depth = job->depth;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width), lane);
    const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width - 8), lane);
    __m256 acc[INFER_ROWS][2];
    for (int r = 0; r < rb; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    const float *x = job->x + r0 * depth;
    const float *w = job->packed + j0 * depth;
    for (long q = 0; q < depth; q++) {
        const __m256 b0 = _mm256_loadu_ps(w + q * INFER_PANEL);
        const __m256 b1 = _mm256_loadu_ps(w + q * INFER_PANEL + 8);
        for (int r = 0; r < rb; r++) {
            const __m256 a = _mm256_broadcast_ss(x + r * depth + q);
            acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_mul_ps(a, b0));
            acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_mul_ps(a, b1));
        }
    }
    const __m256 zero = _mm256_setzero_ps();
    const __m256 bias0 = job->bias == NULL ? zero : full ? _mm256_loadu_ps(job->bias + j0)
                                                        : _mm256_maskload_ps(job->bias + j0, m0);
    const __m256 bias1 = job->bias == NULL ? zero : full ? _mm256_loadu_ps(job->bias + j0 + 8)
                                                        : _mm256_maskload_ps(job->bias + j0 + 8, m1);
    for (int r = 0; r < rb; r++) {
        float *o = job->out + (r0 + r) * n + j0;
        __m256 v0 = job->bias == NULL ? acc[r][0] : _mm256_add_ps(acc[r][0], bias0);
        __m256 v1 = job->bias == NULL ? acc[r][1] : _mm256_add_ps(acc[r][1], bias1);
        if (job->accumulate) {
            v0 = _mm256_add_ps(full ? _mm256_loadu_ps(o) : _mm256_maskload_ps(o, m0), v0);
            v1 = _mm256_add_ps(full ? _mm256_loadu_ps(o + 8) : _mm256_maskload_ps(o + 8, m1), v1);
        }
        if (full) {
            _mm256_storeu_ps(o, v0);
            _mm256_storeu_ps(o + 8, v1);
        } else {
            _mm256_maskstore_ps(o, m0, v0);
            _mm256_maskstore_ps(o + 8, m1, v1);
        }
    }
}

#define RLHF_INFER_BLOCK_CASE(RB)                                                                                     \
    case RB:                                                                                                          \
        if (full) infer_block_avx2(RB, 1, job, r0, j0, width);                                                        \
        else infer_block_avx2(RB, 0, job, r0, j0, width);                                                             \
        break;

__attribute__((target("avx2")))
static void infer_linear_panels_avx2(const infer_linear_job *job, long begin, long end) {
    for (long panel = begin; panel < end; panel++) {
        const long j0 = panel * INFER_PANEL;
        const long width = job->n - j0 < INFER_PANEL ? job->n - j0 : INFER_PANEL;
        const int full = width == INFER_PANEL;
        for (long r0 = 0; r0 < job->rows; r0 += INFER_ROWS) {
            switch (job->rows - r0 < INFER_ROWS ? job->rows - r0 : INFER_ROWS) {
                RLHF_INFER_BLOCK_CASE(1) RLHF_INFER_BLOCK_CASE(2) RLHF_INFER_BLOCK_CASE(3) RLHF_INFER_BLOCK_CASE(4)
            default: break;
            }
        }
    }
}
#endif

static void infer_linear_panels(void *context, long begin, long end) {
    const infer_linear_job *job = context;
#if RLHF_X86
    // AVX-512 machines run the AVX2 panels: the same bits, and no second copy of the code to keep equal.
    if (job->level >= RLHFKernelsAVX2) return infer_linear_panels_avx2(job, begin, end);
#endif
    infer_linear_panels_portable(job, begin, end);
}

void rlhf_infer_linear(long rows, long n, long depth, const float *x, const float *packed, const float *bias,
                       float *out, int accumulate) {
    if (rows <= 0 || n <= 0) return;
    infer_linear_job job = {rows, n, depth, x, packed, bias, out, accumulate, rlhf_kernels_level()};
    const long panels = (n + INFER_PANEL - 1) / INFER_PANEL;
    // The threads share the panels, so each reads its part of the weights; a panel is computed whole by one thread.
    if (panels >= 2 && rows * n * depth >= SPLIT_WORK && run_split(infer_linear_panels, &job, panels, 1)) return;
    infer_linear_panels(&job, 0, panels);
}
