#ifndef RLHF_KERNELS_INTERNAL_H
#define RLHF_KERNELS_INTERNAL_H

// What Kernels.c shares with the other kernel files (not part of the module's interface).

/// Work on rows [begin, end) of a job.
typedef void (*rlhf_rows_fn)(void *context, long begin, long end);

/// Runs fn over rows [0, rows) in slices of `grain` rows shared with the helper thread; returns 0, having done
/// nothing, when the helper is not available (one thread allowed, or the helper busy with another caller's job).
int rlhf_split_rows(rlhf_rows_fn fn, void *context, long rows, long grain);

#endif
