import Foundation

/// Why a file could not be written or a folder made, in a few words (`No such file or directory`), instead of the
/// nested NSError description Foundation gives.
public enum FileProblem {
    public static func reason(_ error: Error) -> String {
        let error = error as NSError
        let underlying = (error.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        for candidate in [underlying, error].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        return error.localizedDescription
    }
}
