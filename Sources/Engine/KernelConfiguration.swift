import CKernels

/// The C kernels' settings a run records with its environment (`rlhf show`): results are the same bits under every
/// setting, so these say how fast a run could go, never what it computed.
public enum KernelConfiguration {
    /// `avx512`, `avx2` or `portable`: the instruction set in use (`RLHF_KERNELS` caps it).
    public static var level: String {
        switch rlhf_kernels_level() {
        case RLHFKernelsAVX512: "avx512"
        case RLHFKernelsAVX2: "avx2"
        default: "portable"
        }
    }

    /// Threads a big product may use (`RLHF_THREADS`).
    public static var threads: Int { Int(rlhf_kernels_threads()) }

    /// Keeps large tensor buffers in the heap between training steps instead of mapping fresh pages for each (glibc);
    /// programs call it once at start-up. No result depends on it.
    public static func keepLargeBuffers() { rlhf_keep_large_buffers() }
}
