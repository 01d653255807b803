// Kernels for the transformer ops (GPT): a dense matrix product, layer norm, GELU, causal self-attention,
// cross-entropy, embedding gradients, AdamW and the gradient norm. See CKernels.h for what each computes.
//
// The rule of Kernels.c holds here too: every variant rounds every multiply and every add on its own (contraction is
// off), and each output element is computed by the same sequence of operations at every level and on every thread.
// Sums along a row use one fixed order, `sum8`: eight interleaved partial sums combined pairwise, which the portable
// loop and the vector code both follow, so vector width changes speed and never a bit. exp is `exp_poly`, built from
// + − × ÷ only, so it too rounds the same at every width (a libm call would not vectorise).

#include "CKernels.h"
#include "KernelsInternal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__)
#define RLHF_X86 1
#include <immintrin.h>
#endif

#define RLHF_INLINE static inline __attribute__((always_inline))

/// Each `name_body` below is plain C; these wrappers compile it once per level, so the compiler vectorises it at that
/// level's width (the body is inlined into the wrapper and takes on its target).
#if RLHF_X86
#define RLHF_AT_EACH_LEVEL(name, params, args)                                                                        \
    static void name##_portable params { name##_body args; }                                                          \
    __attribute__((target("avx2"))) static void name##_avx2 params { name##_body args; }                              \
    __attribute__((target("avx512f"))) static void name##_avx512 params { name##_body args; }
#define RLHF_CALL_AT_LEVEL(level, name, ...)                                                                          \
    switch (level) {                                                                                                  \
    case RLHFKernelsAVX512: name##_avx512(__VA_ARGS__); break;                                                        \
    case RLHFKernelsAVX2: name##_avx2(__VA_ARGS__); break;                                                            \
    default: name##_portable(__VA_ARGS__); break;                                                                     \
    }
#else
#define RLHF_AT_EACH_LEVEL(name, params, args) static void name##_portable params { name##_body args; }
#define RLHF_CALL_AT_LEVEL(level, name, ...) name##_portable(__VA_ARGS__);
#endif

/// Below this many multiply-adds a job is not worth handing half to the helper thread.
enum { SPLIT_WORK = 1 << 16 };

// MARK: - Arithmetic every level shares

float rlhf_exp(float x) { return exp_poly(x); }

// MARK: - Dense matrix product

/// c[i·ldc + j] (+)= Σ_q A(i, q) · b[q·ldb + j], A(i, q) = a[i·a_row + q·a_depth].
typedef struct {
    long m, n, k;
    const float *a;
    long a_row, a_depth;
    const float *b;
    long ldb;
    float *c;
    long ldc;
    int accumulate, level;
    /// b's columns in panels of 16, each panel k × 16 contiguous and zero-padded past n, or NULL to read b itself.
    const float *panels;
} dense;

/// Rows [i0, i1): each c[i, j] summed from +0 in increasing q, then added to the old c[i, j] when accumulating; a
/// block of up to 256 columns of one row at a time, so the sums run along b's rows (and vectorise lane by lane).
static void dense_rows_portable(const dense *p, long i0, long i1) {
    enum { W = 256 };
    float acc[W];
    for (long j0 = 0; j0 < p->n; j0 += W) {
        const long w = p->n - j0 < W ? p->n - j0 : W;
        for (long i = i0; i < i1; i++) {
            for (long j = 0; j < w; j++) acc[j] = 0;
            for (long q = 0; q < p->k; q++) {
                const float av = p->a[i * p->a_row + q * p->a_depth];
                const float *bq = p->b + q * p->ldb + j0;
                for (long j = 0; j < w; j++) acc[j] = acc[j] + av * bq[j];
            }
            float *ci = p->c + i * p->ldc + j0;
            if (p->accumulate)
                for (long j = 0; j < w; j++) ci[j] = ci[j] + acc[j];
            else
                memcpy(ci, acc, (size_t)w * sizeof(float));
        }
    }
}

#if RLHF_X86
/// A tile of mr ≤ 6 rows × 16 columns (`full`) or fewer (under masks) held in twelve registers while q runs over the
/// whole depth: each q loads two vectors of b and broadcasts mr entries of A. Each lane is one c[i, j], summed as the
/// portable loop sums it.
__attribute__((target("avx2"), always_inline)) static inline void dense_tile_avx2(const int mr, const int full,
                                                                                   const int packed, const dense *p,
                                                                                   long i, long j) {
    const long w = p->n - j;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i k0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(w < 16 ? w : 16)), lane);
    const __m256i k1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(w < 16 ? w : 16) - 8), lane);
    const long ar = p->a_row, ad = p->a_depth, ldb = packed ? 16 : p->ldb;
    const float *a = p->a + i * ar;
    const float *b = packed ? p->panels + (j / 16) * p->k * 16 : p->b + j;
    // Loads under masks only from b itself, past its last column: a panel is padded with zeros instead.
    const int whole = full || packed;
    __m256 c0[6], c1[6];
    for (int r = 0; r < mr; r++) c0[r] = c1[r] = _mm256_setzero_ps();
    for (long q = 0; q < p->k; q++) {
        const float *bq = b + q * ldb;
        const __m256 b0 = whole ? _mm256_loadu_ps(bq) : _mm256_maskload_ps(bq, k0);
        const __m256 b1 = whole ? _mm256_loadu_ps(bq + 8) : _mm256_maskload_ps(bq + 8, k1);
        const float *aq = a + q * ad;
        for (int r = 0; r < mr; r++) {
            const __m256 av = _mm256_broadcast_ss(aq + r * ar);
            c0[r] = _mm256_add_ps(c0[r], _mm256_mul_ps(av, b0));
            c1[r] = _mm256_add_ps(c1[r], _mm256_mul_ps(av, b1));
        }
    }
    for (int r = 0; r < mr; r++) {
        float *cr = p->c + (i + r) * p->ldc + j;
        __m256 v0 = c0[r], v1 = c1[r];
        if (full) {
            if (p->accumulate) {
                v0 = _mm256_add_ps(_mm256_loadu_ps(cr), v0);
                v1 = _mm256_add_ps(_mm256_loadu_ps(cr + 8), v1);
            }
            _mm256_storeu_ps(cr, v0);
            _mm256_storeu_ps(cr + 8, v1);
        } else {
            if (p->accumulate) {
                v0 = _mm256_add_ps(_mm256_maskload_ps(cr, k0), v0);
                v1 = _mm256_add_ps(_mm256_maskload_ps(cr + 8, k1), v1);
            }
            _mm256_maskstore_ps(cr, k0, v0);
            _mm256_maskstore_ps(cr + 8, k1, v1);
        }
    }
}

#define RLHF_DENSE_TILE_CASE(MR)                                                                                      \
    case MR:                                                                                                          \
        if (packed) dense_tile_avx2(MR, full, 1, p, i, j);                                                            \
        else if (full) dense_tile_avx2(MR, 1, 0, p, i, j);                                                            \
        else dense_tile_avx2(MR, 0, 0, p, i, j);                                                                      \
        break;

__attribute__((target("avx2"))) static void dense_block_avx2(const dense *p, long i0, long i1);

/// Rows in blocks of ROW_BLOCK, each block passing over all the columns in blocks of 16, six rows at a time: the
/// block of A stays in cache across the column blocks, and b (reused by every row block) in the next level.
__attribute__((target("avx2"))) static void dense_rows_avx2(const dense *p, long r0, long r1) {
    enum { ROW_BLOCK = 48 };
    for (long i0 = r0; i0 < r1; i0 += ROW_BLOCK) {
        const long i1 = r1 - i0 < ROW_BLOCK ? r1 : i0 + ROW_BLOCK;
        dense_block_avx2(p, i0, i1);
    }
}

/// Rows [i0, i1): columns in blocks of 16, and within a block rows six at a time.
__attribute__((target("avx2"))) static void dense_block_avx2(const dense *p, long i0, long i1) {
    for (long j = 0; j < p->n; j += 16) {
        const int full = p->n - j >= 16, packed = p->panels != NULL;
        long i = i0;
        if (packed && full)
            for (; i + 6 <= i1; i += 6) dense_tile_avx2(6, 1, 1, p, i, j);
        else if (packed)
            for (; i + 6 <= i1; i += 6) dense_tile_avx2(6, 0, 1, p, i, j);
        else if (full)
            for (; i + 6 <= i1; i += 6) dense_tile_avx2(6, 1, 0, p, i, j);
        else
            for (; i + 6 <= i1; i += 6) dense_tile_avx2(6, 0, 0, p, i, j);
        switch (i1 - i) {
            RLHF_DENSE_TILE_CASE(1) RLHF_DENSE_TILE_CASE(2) RLHF_DENSE_TILE_CASE(3)
            RLHF_DENSE_TILE_CASE(4) RLHF_DENSE_TILE_CASE(5)
        default: break;
        }
    }
}
#endif

/// One thread's share of a product (the tile code at AVX2 and above: AVX-512 would give the same bits, and this CPU
/// family gains little from it).
static void dense_run(const dense *p, long i0, long i1) {
#if RLHF_X86
    if (p->level >= RLHFKernelsAVX2) return dense_rows_avx2(p, i0, i1);
#endif
    dense_rows_portable(p, i0, i1);
}

static void dense_slice(void *context, long begin, long end) { dense_run(context, begin, end); }

static dense make_dense(long m, long n, long k, const float *a, long a_row, long a_depth, const float *b, long ldb,
                        float *c, long ldc, int accumulate, int level) {
    dense p = {m, n, k, a, a_row, a_depth, b, ldb, c, ldc, accumulate, level, NULL};
    return p;
}

void rlhf_dense_product(long m, long n, long k, const float *a, long a_row, long a_depth, const float *b, long ldb,
                        float *c, long ldc, int accumulate) {
    if (m <= 0 || n <= 0) return;
    dense p = make_dense(m, n, k, a, a_row, a_depth, b, ldb, c, ldc, accumulate, rlhf_kernels_level());
    // The tiles read b in panels laid out contiguously (and shared by both threads): every load then streams from
    // one place, and the last panel needs no masks.
    float *panels = NULL;
    if (p.level >= RLHFKernelsAVX2 && k > 0 && m >= 12) {
        const long count = (n + 15) / 16;
        panels = malloc((size_t)(count * k * 16) * sizeof(float));
        if (panels == NULL) abort();
        for (long t = 0; t < count; t++) {
            const long j0 = t * 16, w = n - j0 < 16 ? n - j0 : 16;
            float *panel = panels + t * k * 16;
            for (long q = 0; q < k; q++) {
                memcpy(panel + q * 16, b + q * ldb + j0, (size_t)w * sizeof(float));
                for (long j = w; j < 16; j++) panel[q * 16 + j] = 0;
            }
        }
        p.panels = panels;
    }
    // Slices of whole six-row tiles, about a tenth of the rows each.
    const long grain = ((m / 10) / 6 + 1) * 6;
    if (!(m >= 12 && m * n * (k > 0 ? k : 1) >= SPLIT_WORK && rlhf_split_rows(dense_slice, (void *)&p, m, grain)))
        dense_run(&p, 0, m);
    free(panels);
}

// MARK: - Layer norm

RLHF_INLINE void layer_norm_forward_body(long rows, long n, const float *x, const float *w, const float *b, float eps,
                                         float *y, float *mean, float *rstd) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *yr = y + r * n;
        const float mu = sum8(xr, n) / (float)n;
        for (long j = 0; j < n; j++) yr[j] = xr[j] - mu;
        const float var = dot8(yr, yr, n) / (float)n;
        const float rs = 1.0f / sqrtf(var + eps);
        for (long j = 0; j < n; j++) yr[j] = yr[j] * rs * w[j] + b[j];
        mean[r] = mu;
        rstd[r] = rs;
    }
}
RLHF_AT_EACH_LEVEL(layer_norm_forward,
                   (long rows, long n, const float *x, const float *w, const float *b, float eps, float *y,
                    float *mean, float *rstd),
                   (rows, n, x, w, b, eps, y, mean, rstd))

typedef struct {
    long n;
    const float *x, *w, *b;
    float eps, *y, *mean, *rstd;
    int level;
} layer_norm_job;

static void layer_norm_forward_slice(void *context, long begin, long end) {
    const layer_norm_job *j = context;
    const long n = j->n;
    RLHF_CALL_AT_LEVEL(j->level, layer_norm_forward, end - begin, n, j->x + begin * n, j->w, j->b, j->eps,
                       j->y + begin * n, j->mean + begin, j->rstd + begin)
}

void rlhf_layer_norm_forward(long rows, long n, const float *x, const float *w, const float *b, float eps, float *y,
                             float *mean, float *rstd) {
    layer_norm_job j = {n, x, w, b, eps, y, mean, rstd, rlhf_kernels_level()};
    // Rows are independent: shared with the helper thread when there are enough of them.
    if (rows >= 128 && rows * n >= SPLIT_WORK / 4 && rlhf_split_rows(layer_norm_forward_slice, &j, rows, 32)) return;
    layer_norm_forward_slice(&j, 0, rows);
}

/// dx per row; dw and db as sums over rows in increasing order (vectorised across columns). `xhat` is scratch of n.
RLHF_INLINE void layer_norm_backward_body(long rows, long n, const float *x, const float *w, const float *mean,
                                          const float *rstd, const float *dy, float *dx, float *dw, float *db,
                                          float *xhat, float *dxhat) {
    for (long j = 0; j < n; j++) dw[j] = 0, db[j] = 0;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n, *gr = dy + r * n;
        const float mu = mean[r], rs = rstd[r];
        for (long j = 0; j < n; j++) {
            xhat[j] = (xr[j] - mu) * rs;
            dxhat[j] = gr[j] * w[j];
            dw[j] = dw[j] + gr[j] * xhat[j];
            db[j] = db[j] + gr[j];
        }
        const float a = sum8(dxhat, n) / (float)n;
        const float c = dot8(dxhat, xhat, n) / (float)n;
        float *dr = dx + r * n;
        for (long j = 0; j < n; j++) dr[j] = ((dxhat[j] - a) - xhat[j] * c) * rs;
    }
}
RLHF_AT_EACH_LEVEL(layer_norm_backward,
                   (long rows, long n, const float *x, const float *w, const float *mean, const float *rstd,
                    const float *dy, float *dx, float *dw, float *db, float *xhat, float *dxhat),
                   (rows, n, x, w, mean, rstd, dy, dx, dw, db, xhat, dxhat))

void rlhf_layer_norm_backward(long rows, long n, const float *x, const float *w, const float *mean, const float *rstd,
                              const float *dy, float *dx, float *dw, float *db) {
    float *scratch = malloc((size_t)(2 * n) * sizeof(float));
    if (scratch == NULL) abort();
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), layer_norm_backward, rows, n, x, w, mean, rstd, dy, dx, dw, db, scratch,
                       scratch + n)
    free(scratch);
}

// MARK: - GELU

/// √(2/π) and GPT-2's cubic coefficient.
#define RLHF_GELU_C 0.7978845608028654f
#define RLHF_GELU_A 0.044715f

RLHF_INLINE void gelu_forward_body(long count, const float *x, float *y, float *s) {
    for (long i = 0; i < count; i++) {
        const float v = x[i];
        const float u = RLHF_GELU_C * (v + RLHF_GELU_A * v * v * v);
        // ½(1 + tanh u) = σ(2u)
        const float sg = 1.0f / (1.0f + exp_poly(-2.0f * u));
        s[i] = sg;
        y[i] = v * sg;
    }
}
RLHF_AT_EACH_LEVEL(gelu_forward, (long count, const float *x, float *y, float *s), (count, x, y, s))

/// Elementwise work in chunks of CHUNK_ELEMENTS, so it can be shared with the helper thread.
enum { CHUNK_ELEMENTS = 4096 };

typedef struct {
    long count;
    const float *x, *s, *g;
    float *y, *out;
    int level;
} gelu_job;

static void gelu_forward_slice(void *context, long begin, long end) {
    const gelu_job *j = context;
    const long i0 = begin * CHUNK_ELEMENTS, i1 = end * CHUNK_ELEMENTS < j->count ? end * CHUNK_ELEMENTS : j->count;
    RLHF_CALL_AT_LEVEL(j->level, gelu_forward, i1 - i0, j->x + i0, j->y + i0, j->out + i0)
}

static void run_chunks(rlhf_rows_fn fn, gelu_job *j) {
    const long chunks = (j->count + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
    if (chunks >= 8 && rlhf_split_rows(fn, j, chunks, 4)) return;
    fn(j, 0, chunks);
}

void rlhf_gelu_forward(long count, const float *x, float *y, float *s) {
    gelu_job j = {count, x, NULL, NULL, y, s, rlhf_kernels_level()};
    run_chunks(gelu_forward_slice, &j);
}

RLHF_INLINE void gelu_backward_body(long count, const float *x, const float *s, const float *g, float *dx) {
    for (long i = 0; i < count; i++) {
        const float v = x[i], sg = s[i];
        // d/dx x·σ(2u) = σ + x·σ(1 − σ)·2·u′, u′ = √(2/π)(1 + 3a·x²)
        const float du = RLHF_GELU_C * (1.0f + 3.0f * RLHF_GELU_A * v * v);
        dx[i] = g[i] * (sg + v * sg * (1.0f - sg) * 2.0f * du);
    }
}
RLHF_AT_EACH_LEVEL(gelu_backward, (long count, const float *x, const float *s, const float *g, float *dx),
                   (count, x, s, g, dx))

static void gelu_backward_slice(void *context, long begin, long end) {
    const gelu_job *j = context;
    const long i0 = begin * CHUNK_ELEMENTS, i1 = end * CHUNK_ELEMENTS < j->count ? end * CHUNK_ELEMENTS : j->count;
    RLHF_CALL_AT_LEVEL(j->level, gelu_backward, i1 - i0, j->x + i0, j->s + i0, j->g + i0, j->out + i0)
}

void rlhf_gelu_backward(long count, const float *x, const float *s, const float *g, float *dx) {
    gelu_job j = {count, x, s, g, NULL, dx, rlhf_kernels_level()};
    run_chunks(gelu_backward_slice, &j);
}

// MARK: - Causal self-attention

/// Row i of scale·S masked to j ≤ i, softmaxed in place (entries past i set to 0).
RLHF_INLINE void causal_softmax_body(long time, float *s, float scale) {
    for (long i = 0; i < time; i++) {
        float *row = s + i * time;
        float m = row[0] * scale;
        for (long j = 0; j <= i; j++) {
            const float v = row[j] * scale;
            m = v > m ? v : m;
        }
        for (long j = 0; j <= i; j++) row[j] = exp_poly(row[j] * scale - m);
        const float total = sum8(row, i + 1);
        for (long j = 0; j <= i; j++) row[j] = row[j] / total;
        for (long j = i + 1; j < time; j++) row[j] = 0;
    }
}
RLHF_AT_EACH_LEVEL(causal_softmax, (long time, float *s, float scale), (time, s, scale))

/// dS = P ⊙ (dP − Σ_j P·dP)·scale on j ≤ i, 0 past it, in place of dP.
RLHF_INLINE void causal_softmax_backward_body(long time, const float *p, float *dp, float scale) {
    for (long i = 0; i < time; i++) {
        const float *pr = p + i * time;
        float *dr = dp + i * time;
        const float r = dot8(pr, dr, i + 1);
        for (long j = 0; j <= i; j++) dr[j] = pr[j] * (dr[j] - r) * scale;
        for (long j = i + 1; j < time; j++) dr[j] = 0;
    }
}
RLHF_AT_EACH_LEVEL(causal_softmax_backward, (long time, const float *p, float *dp, float scale), (time, p, dp, scale))

/// Rows of a sequence taken together in attention's products; a block skips the keys past its last row.
enum { CAUSAL_BLOCK = 16 };

typedef struct {
    long time, heads, dim;
    const float *qkv, *probs, *dy;
    float *out, *probs_out;
    int level;
} attention;

/// xᵀ[hd, time] of the head's slice x[time rows of stride `stride`, hd columns].
static void transpose_head(long time, long hd, const float *x, long stride, float *xt) {
    for (long t = 0; t < time; t++)
        for (long d = 0; d < hd; d++) xt[d * time + t] = x[t * stride + d];
}

/// (batch, head) pairs [begin, end): S = q·kᵀ, P = causal softmax(S/√hd), y = P·v.
static void attention_forward_slice(void *context, long begin, long end) {
    const attention *a = context;
    const long T = a->time, H = a->heads, D = a->dim, hd = D / H, D3 = 3 * D;
    const float scale = 1.0f / sqrtf((float)hd);
    float *kt = malloc((size_t)(hd * T) * sizeof(float));
    if (kt == NULL) abort();
    for (long s = begin; s < end; s++) {
        const long b = s / H, h = s % H;
        const float *q = a->qkv + b * T * D3 + h * hd, *k = q + D, *v = q + 2 * D;
        float *p = a->probs_out + s * T * T;
        float *y = a->out + b * T * D + h * hd;
        transpose_head(T, hd, k, D3, kt);
        // Query rows in blocks: a block's rows see only the keys up to its last row.
        for (long r0 = 0; r0 < T; r0 += CAUSAL_BLOCK) {
            const long rows = T - r0 < CAUSAL_BLOCK ? T - r0 : CAUSAL_BLOCK, seen = r0 + rows;
            const dense scores = make_dense(rows, seen, hd, q + r0 * D3, D3, 1, kt, T, p + r0 * T, T, 0, a->level);
            dense_run(&scores, 0, rows);
        }
        RLHF_CALL_AT_LEVEL(a->level, causal_softmax, T, p, scale)
        for (long r0 = 0; r0 < T; r0 += CAUSAL_BLOCK) {
            const long rows = T - r0 < CAUSAL_BLOCK ? T - r0 : CAUSAL_BLOCK, seen = r0 + rows;
            const dense mix = make_dense(rows, hd, seen, p + r0 * T, T, 1, v, D3, y + r0 * D, D, 0, a->level);
            dense_run(&mix, 0, rows);
        }
    }
    free(kt);
}

void rlhf_attention_forward(long batch, long time, long heads, long dim, const float *qkv, float *probs, float *y) {
    attention a = {time, heads, dim, qkv, NULL, NULL, y, probs, rlhf_kernels_level()};
    const long pairs = batch * heads;
    if (pairs >= 2 && pairs * time * time * dim / heads >= SPLIT_WORK &&
        rlhf_split_rows(attention_forward_slice, &a, pairs, 1))
        return;
    attention_forward_slice(&a, 0, pairs);
}

/// (batch, head) pairs [begin, end): dP = dY·vᵀ, dS from the softmax's rule, dq = dS·k, dk = dSᵀ·q, dv = Pᵀ·dY.
static void attention_backward_slice(void *context, long begin, long end) {
    const attention *a = context;
    const long T = a->time, H = a->heads, D = a->dim, hd = D / H, D3 = 3 * D;
    const float scale = 1.0f / sqrtf((float)hd);
    float *vt = malloc((size_t)(hd * T + T * T) * sizeof(float));
    if (vt == NULL) abort();
    float *ds = vt + hd * T;
    for (long s = begin; s < end; s++) {
        const long b = s / H, h = s % H;
        const float *q = a->qkv + b * T * D3 + h * hd, *k = q + D, *v = q + 2 * D;
        const float *p = a->probs + s * T * T;
        const float *dy = a->dy + b * T * D + h * hd;
        float *dq = a->out + b * T * D3 + h * hd, *dk = dq + D, *dv = dq + 2 * D;
        transpose_head(T, hd, v, D3, vt);
        // As forward, in blocks of rows: query rows i take keys j ≤ i; key rows j take queries i ≥ j.
        for (long r0 = 0; r0 < T; r0 += CAUSAL_BLOCK) {
            const long rows = T - r0 < CAUSAL_BLOCK ? T - r0 : CAUSAL_BLOCK, seen = r0 + rows;
            const dense dp = make_dense(rows, seen, hd, dy + r0 * D, D, 1, vt, T, ds + r0 * T, T, 0, a->level);
            dense_run(&dp, 0, rows);
        }
        RLHF_CALL_AT_LEVEL(a->level, causal_softmax_backward, T, p, ds, scale)
        for (long r0 = 0; r0 < T; r0 += CAUSAL_BLOCK) {
            const long rows = T - r0 < CAUSAL_BLOCK ? T - r0 : CAUSAL_BLOCK, seen = r0 + rows;
            const dense dqs = make_dense(rows, hd, seen, ds + r0 * T, T, 1, k, D3, dq + r0 * D3, D3, 0, a->level);
            dense_run(&dqs, 0, rows);
            // dk and dv rows r0…: the queries from r0 on (the earlier ones' dS and P are zero there).
            const dense dks =
                make_dense(rows, hd, T - r0, ds + r0 * T + r0, 1, T, q + r0 * D3, D3, dk + r0 * D3, D3, 0, a->level);
            dense_run(&dks, 0, rows);
            const dense dvs =
                make_dense(rows, hd, T - r0, p + r0 * T + r0, 1, T, dy + r0 * D, D, dv + r0 * D3, D3, 0, a->level);
            dense_run(&dvs, 0, rows);
        }
    }
    free(vt);
}

void rlhf_attention_backward(long batch, long time, long heads, long dim, const float *qkv, const float *probs,
                             const float *dy, float *dqkv) {
    attention a = {time, heads, dim, qkv, probs, dy, dqkv, NULL, rlhf_kernels_level()};
    const long pairs = batch * heads;
    if (pairs >= 2 && pairs * time * time * dim / heads >= SPLIT_WORK &&
        rlhf_split_rows(attention_backward_slice, &a, pairs, 1))
        return;
    attention_backward_slice(&a, 0, pairs);
}

// MARK: - Cross-entropy

RLHF_INLINE void cross_entropy_forward_body(long rows, long n, const float *x, const int32_t *targets, float *lse,
                                            float *losses, float *e) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float m = xr[0];
        for (long j = 0; j < n; j++) m = xr[j] > m ? xr[j] : m;
        for (long j = 0; j < n; j++) e[j] = exp_poly(xr[j] - m);
        const float l = m + logf(sum8(e, n));
        lse[r] = l;
        losses[r] = l - xr[targets[r]];
    }
}
RLHF_AT_EACH_LEVEL(cross_entropy_forward,
                   (long rows, long n, const float *x, const int32_t *targets, float *lse, float *losses, float *e),
                   (rows, n, x, targets, lse, losses, e))

void rlhf_cross_entropy_forward(long rows, long n, const float *logits, const int32_t *targets, float *lse,
                                float *losses) {
    float *e = malloc((size_t)n * sizeof(float));
    if (e == NULL) abort();
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), cross_entropy_forward, rows, n, logits, targets, lse, losses, e)
    free(e);
}

RLHF_INLINE void cross_entropy_backward_body(long rows, long n, const float *x, const int32_t *targets,
                                             const float *lse, float scale, float *dx) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *dr = dx + r * n;
        for (long j = 0; j < n; j++) dr[j] = exp_poly(xr[j] - lse[r]) * scale;
        dr[targets[r]] = dr[targets[r]] - scale;
    }
}
RLHF_AT_EACH_LEVEL(cross_entropy_backward,
                   (long rows, long n, const float *x, const int32_t *targets, const float *lse, float scale,
                    float *dx),
                   (rows, n, x, targets, lse, scale, dx))

void rlhf_cross_entropy_backward(long rows, long n, const float *logits, const int32_t *targets, const float *lse,
                                 float scale, float *dx) {
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), cross_entropy_backward, rows, n, logits, targets, lse, scale, dx)
}

// MARK: - Embedding

RLHF_INLINE void embedding_backward_body(long rows, long n, const int32_t *ids, const float *g, float *table) {
    for (long r = 0; r < rows; r++) {
        float *t = table + (long)ids[r] * n;
        const float *gr = g + r * n;
        for (long j = 0; j < n; j++) t[j] = t[j] + gr[j];
    }
}
RLHF_AT_EACH_LEVEL(embedding_backward, (long rows, long n, const int32_t *ids, const float *g, float *table),
                   (rows, n, ids, g, table))

void rlhf_embedding_backward(long rows, long n, const int32_t *ids, const float *g, float *table) {
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), embedding_backward, rows, n, ids, g, table)
}

// MARK: - AdamW and the gradient norm

RLHF_INLINE void adamw_body(long count, float *p, float *m, float *v, const float *g, float one_minus_beta1,
                            float beta2, float one_minus_beta2, float decay, float step_size, float bc2_sqrt,
                            float epsilon) {
    for (long i = 0; i < count; i++) {
        const float pi = p[i] * decay;
        const float mi = m[i] + one_minus_beta1 * (g[i] - m[i]);
        const float vi = v[i] * beta2 + one_minus_beta2 * g[i] * g[i];
        m[i] = mi;
        v[i] = vi;
        p[i] = pi + -step_size * (mi / (sqrtf(vi) / bc2_sqrt + epsilon));
    }
}
RLHF_AT_EACH_LEVEL(adamw,
                   (long count, float *p, float *m, float *v, const float *g, float one_minus_beta1, float beta2,
                    float one_minus_beta2, float decay, float step_size, float bc2_sqrt, float epsilon),
                   (count, p, m, v, g, one_minus_beta1, beta2, one_minus_beta2, decay, step_size, bc2_sqrt, epsilon))

void rlhf_adamw(long count, float *p, float *m, float *v, const float *g, float one_minus_beta1, float beta2,
                float one_minus_beta2, float decay, float step_size, float bc2_sqrt, float epsilon) {
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), adamw, count, p, m, v, g, one_minus_beta1, beta2, one_minus_beta2, decay,
                       step_size, bc2_sqrt, epsilon)
}

RLHF_INLINE void sum_squares_body(long count, const float *x, double *out) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long j = 0;
    for (; j + 8 <= count; j += 8)
        for (int l = 0; l < 8; l++) s[l] = s[l] + (double)x[j + l] * (double)x[j + l];
    for (; j < count; j++) s[j & 7] = s[j & 7] + (double)x[j] * (double)x[j];
    *out = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
RLHF_AT_EACH_LEVEL(sum_squares, (long count, const float *x, double *out), (count, x, out))

double rlhf_sum_squares(long count, const float *x) {
    double out = 0;
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), sum_squares, count, x, &out)
    return out;
}

RLHF_INLINE void scale_body(long count, float *x, float factor) {
    for (long i = 0; i < count; i++) x[i] = x[i] * factor;
}
RLHF_AT_EACH_LEVEL(scale, (long count, float *x, float factor), (count, x, factor))

void rlhf_scale(long count, float *x, float factor) {
    RLHF_CALL_AT_LEVEL(rlhf_kernels_level(), scale, count, x, factor)
}
