/// This rlhf's version, as `rlhf --version` prints it and every run records it.
public enum LabVersion {
    /// Raised with each issue that changes what rlhf does (issue 16: run metadata, sweeps, compare).
    public static let number = "0.16.0"

    /// The build configuration this binary was compiled in.
    public static var build: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    /// `0.16.0 (release build)`.
    public static var description: String { "\(number) (\(build) build)" }
}
