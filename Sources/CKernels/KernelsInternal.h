#ifndef RLHF_KERNELS_INTERNAL_H
#define RLHF_KERNELS_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

// What Kernels.c shares with the other kernel files (not part of the module's interface).

/// Work on rows [begin, end) of a job.
typedef void (*rlhf_rows_fn)(void *context, long begin, long end);

/// Runs fn over rows [0, rows) in slices of `grain` rows shared with the helper thread; returns 0, having done
/// nothing, when the helper is not available (one thread allowed, or the helper busy with another caller's job).
int rlhf_split_rows(rlhf_rows_fn fn, void *context, long rows, long grain);

// The arithmetic every kernel file shares, so a sum or an exponential has one definition and the same bits wherever
// it is used (the training kernels in TransformerKernels.c and the tape-free inference kernels in Kernels.c).
// Contraction is off from here on: every multiply and add rounds on its own at every vector width.
#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

/// Σ x[j] for j < n in the fixed order: lane l = j mod 8 sums its entries in increasing j, then
/// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
static inline __attribute__((always_inline)) float sum8(const float *x, long n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; l++) s[l] = s[l] + x[j + l];
    for (; j < n; j++) s[j & 7] = s[j & 7] + x[j];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/// Σ x[j]·y[j] in `sum8`'s order.
static inline __attribute__((always_inline)) float dot8(const float *x, const float *y, long n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; l++) s[l] = s[l] + x[j + l] * y[j + l];
    for (; j < n; j++) s[j & 7] = s[j & 7] + x[j] * y[j];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/// eˣ within about 1 ulp for x in [−87, 88] (clamped to it: e⁻⁸⁷ ≈ 1.6e−38 stands in for smaller results), by Cephes'
/// expf: x = n·ln 2 + r, a degree-7 polynomial in r, times 2ⁿ put together from its bits.
static inline __attribute__((always_inline)) float exp_poly(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    const float n = floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    const float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = (p * r2 + r) + 1.0f;
    const int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

#endif
