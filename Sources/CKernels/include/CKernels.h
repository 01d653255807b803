#ifndef RLHF_CKERNELS_H
#define RLHF_CKERNELS_H

#include <stdint.h>

/// Dense float kernels for the Engine, with AVX-512 and AVX2 variants chosen at run time.
///
/// Every variant gives the same bits: each output element is computed by the same sequence of IEEE single-precision
/// multiplies and adds, in the same order, never fused, so the vector width changes speed and nothing else.

/// The instruction set the kernels use: 0 portable C, 1 AVX2, 2 AVX-512.
typedef enum {
    RLHFKernelsPortable = 0,
    RLHFKernelsAVX2 = 1,
    RLHFKernelsAVX512 = 2,
} RLHFKernelLevel;

/// The best level this CPU and operating system support.
RLHFKernelLevel rlhf_kernels_best_level(void);

/// The level in use (the best one unless changed).
RLHFKernelLevel rlhf_kernels_level(void);

/// Uses `level`, or the best supported level below it. Returns the level now in use.
RLHFKernelLevel rlhf_kernels_set_level(RLHFKernelLevel level);

/// How many threads a big product may use: 2 (the caller and one helper) unless RLHF_THREADS=1 or changed.
int rlhf_kernels_threads(void);
/// Keeps large buffers in the heap between uses (glibc's malloc otherwise maps and unmaps each buffer above its
/// dynamic mmap threshold, so every training step faults in and zeroes fresh pages). Call once at start-up, before
/// threads start; a no-op where the C library is not glibc. Changes no result, only where memory comes from.
void rlhf_keep_large_buffers(void);

/// Allows 1 or 2 threads; returns the number now allowed. Rows are split between threads whole, so results are the
/// same bits either way.
int rlhf_kernels_set_threads(int threads);

/// How many products have been split between two threads so far (for tests).
long rlhf_kernels_split_jobs(void);

/// c[r, 0..<n] (+)= Σ_q A(r, q) · b[q, 0..<n] for r < rows and q < depth, where A(r, q) = a[r·a_row + q·a_depth].
///
/// Each c[r, j] starts from its old value (accumulate ≠ 0) or from +0, then adds A(r, q)·b[q, j] for q = 0, 1, …
/// in order, skipping the q where A(r, q) is zero. A plain matrix product is a_row = depth, a_depth = 1; a product
/// with the transpose of a, c = aᵀ·b, is a_row = 1, a_depth = rows.
void rlhf_gemm(long rows, long n, long depth, const float *a, long a_row, long a_depth, const float *b, float *c,
               int accumulate);

/// c[r, j] = c[r, j] + bias[j] for each row r of c[rows, n], then ReLU when relu ≠ 0 (as Swift's max(v, 0): a NaN
/// stays NaN).
void rlhf_add_bias(long rows, long n, float *c, const float *bias, int relu);

/// out[j] += g[0, j] + g[1, j] + … for each column j of g[rows, n], the rows added in order (a bias's gradient).
void rlhf_add_rows(long rows, long n, const float *g, float *out);

/// out[i] = y[i] > 0 ? g[i] : 0: a gradient passed back through a ReLU whose output was y.
void rlhf_relu_mask(long count, const float *g, const float *y, float *out);

/// dst[columns, rows] = src[rows, columns]ᵀ
void rlhf_transpose(long rows, long columns, const float *src, float *dst);

/// One Adam update of `count` parameters, element by element as
///   m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g·g;  p = p − lr·(m / c1) / (√(v / c2) + ε).
void rlhf_adam(long count, float *p, float *m, float *v, const float *g, float beta1, float beta2, float c1, float c2,
               float lr, float epsilon);

// MARK: Transformer kernels (TransformerKernels.c)
//
// Sums along a row ("in sum8 order") use eight interleaved partial sums, lane l taking the entries j ≡ l (mod 8) in
// increasing j, combined as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)); exp is `rlhf_exp`. Outputs are written,
// not added to, unless `accumulate` says so.

/// eˣ within about 1 ulp, from + − × ÷ only (Cephes' expf), x clamped to [−87, 88]: the exp every level computes.
float rlhf_exp(float x);

/// c[i·ldc + j] (+)= Σ_q A(i, q) · b[q·ldb + j] for i < m, j < n, q < k, where A(i, q) = a[i·a_row + q·a_depth].
///
/// Each c[i, j] is summed from +0 over every q in increasing order (no entry skipped), then stored, or added to the
/// old c[i, j] when accumulate ≠ 0. Big products share their rows with the helper thread (same bits).
void rlhf_dense_product(long m, long n, long k, const float *a, long a_row, long a_depth, const float *b, long ldb,
                        float *c, long ldc, int accumulate);

/// y = (x − mean)·rstd·w + b per row of x[rows, n], mean and var (biased) in sum8 order, rstd = 1/√(var + eps);
/// each row's mean and rstd are saved for the backward pass.
void rlhf_layer_norm_forward(long rows, long n, const float *x, const float *w, const float *b, float eps, float *y,
                             float *mean, float *rstd);

/// The gradients of layer norm: dx[rows, n], and dw[n], db[n] summed over rows in increasing order.
void rlhf_layer_norm_backward(long rows, long n, const float *x, const float *w, const float *mean, const float *rstd,
                              const float *dy, float *dx, float *dw, float *db);

/// GPT-2's GELU (tanh form): y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), computed as x·σ(2u); s = σ(2u) is saved.
void rlhf_gelu_forward(long count, const float *x, float *y, float *s);

/// dx = g · d/dx GELU(x), from x and the saved s.
void rlhf_gelu_backward(long count, const float *x, const float *s, const float *g, float *dx);

/// Causal self-attention of qkv[batch·time, 3·dim] (q, k, v side by side, heads of dim/heads columns each):
/// probs[b, h] = softmax over j ≤ i of q_i·k_j/√(dim/heads) (0 past i), y[batch·time, dim] = probs · v per head.
void rlhf_attention_forward(long batch, long time, long heads, long dim, const float *qkv, float *probs, float *y);

/// dqkv[batch·time, 3·dim] from the saved probs and dy[batch·time, dim].
void rlhf_attention_backward(long batch, long time, long heads, long dim, const float *qkv, const float *probs,
                             const float *dy, float *dqkv);

/// Per row of logits[rows, n]: lse = max + log Σ_j e^(x_j − max) (sum8 order), losses = lse − x[target].
void rlhf_cross_entropy_forward(long rows, long n, const float *logits, const int32_t *targets, float *lse,
                                float *losses);

/// dx[i, j] = e^(x_ij − lse_i)·scale, minus scale at j = target_i.
void rlhf_cross_entropy_backward(long rows, long n, const float *logits, const int32_t *targets, const float *lse,
                                 float scale, float *dx);

/// table[ids[r], ·] += g[r, ·] for r = 0, 1, … in order.
void rlhf_embedding_backward(long rows, long n, const int32_t *ids, const float *g, float *table);

/// One AdamW update (torch.optim.AdamW's arithmetic), element by element:
///   p = p·decay;  m = m + (1−β1)·(g − m);  v = v·β2 + (1−β2)·g·g;  p = p − step_size·(m / (√v / bc2_sqrt + ε)).
void rlhf_adamw(long count, float *p, float *m, float *v, const float *g, float one_minus_beta1, float beta2,
                float one_minus_beta2, float decay, float step_size, float bc2_sqrt, float epsilon);

/// Σ x² in double, in sum8 order.
double rlhf_sum_squares(long count, const float *x);

/// x = x·factor
void rlhf_scale(long count, float *x, float factor);

// MARK: - Inference (a GPT's forward pass without a tape: evaluation and KV-cache sampling)
//
// The formulas and summation orders of the training forward's kernels, so the bits agree: `sum8` order is eight
// interleaved partial sums (lane l takes j ≡ l mod 8 in increasing j) combined as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) +
// (l6 + l7)); exp is Cephes' expf polynomial (about 1 ulp, x clamped to [−87, 88]).

/// The causal self-attention of `time` new positions of each of `batch` sequences, against a cache of keys and values
/// that already holds positions 0 ..< length: row r = b·time + t of qkv[batch·time, 3·heads·head_dim] (q, k, v side by
/// side) is position length + t of sequence b. Writes each new key and value into the cache, keys as
/// [batch, heads, head_dim, context] and values as [batch, heads, context, head_dim], and y[batch·time, heads·head_dim]
/// as `rlhf_infer_attend` of each head's query over positions 0 … length + t. Sequences may be shared between threads.
void rlhf_infer_attention(long batch, long time, long length, long heads, long head_dim, long context,
                          const float *qkv, float *keys, float *values, float scale, float *y);

/// out[r, j] = (Σ_q x[r·depth + q] · w[q·n + j]) + bias[j] for r < rows, j < n, with w[depth, n] given packed by
/// `rlhf_infer_pack`: the sum starts from +0 and adds every product in increasing q; no bias when bias is NULL.
/// accumulate ≠ 0 adds the result to out instead (out = out + (sum + bias), a residual connection).
void rlhf_infer_linear(long rows, long n, long depth, const float *x, const float *packed, const float *bias,
                       float *out, int accumulate);

/// How many floats `rlhf_infer_pack` writes for a [depth, n] weight: n rounded up to 16, times depth.
long rlhf_infer_packed_count(long depth, long n);

/// w[depth, n] in the layout `rlhf_infer_linear` reads: panels of 16 columns, each depth rows of 16 contiguous floats
/// (the last padded with zeros), so each panel streams through memory in order.
void rlhf_infer_pack(long depth, long n, const float *w, float *packed);

/// Layer norm of each row of x[rows, n]: mean = sum8(x) / n, d = x − mean, var = sum8(d·d) / n,
/// rstd = 1 / √(var + eps), out = d · rstd · weight + bias. out may be x.
void rlhf_infer_layer_norm(long rows, long n, const float *x, const float *weight, const float *bias, float eps,
                           float *out);

/// GELU, tanh form, as x = x · (1 / (1 + exp(−2u))) with u = √(2/π) · (x + 0.044715 · x · x · x)
/// (½x(1 + tanh u) = x·σ(2u)), in place.
void rlhf_infer_gelu(long count, float *x);

/// One query row of causal attention against n cached keys and values:
///   s_j = Σ_d q_d · keys[d·stride + j] (from +0, increasing d), m = max_j s_j·scale, e_j = exp(s_j·scale − m),
///   p_j = e_j / sum8(e), out_d = Σ_j p_j · values[j·head_dim + d] (from +0, increasing j).
/// Keys are stored transposed (one row of `stride` positions per dimension), values one row per position. scores
/// is scratch for n floats.
void rlhf_infer_attend(long n, long head_dim, const float *q, const float *keys, long stride, const float *values,
                       float scale, float *scores, float *out);

#endif
