import Crypto
import Foundation

/// The SHA-256 of a file's bytes in lowercase hex, as `shasum -a 256` prints it: what a `Corpus` binding stores so
/// that a resumed or replayed run can tell its text file is still the one the run read.
public enum FileDigest {
    public static func sha256(_ bytes: Data) -> String {
        ContentHash.hex(SHA256.hash(data: bytes))
    }
}
