import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sentences for file-system failures: the path and the cause in words (permission denied, no
/// such directory, disk full …), never an error domain and code.
enum FileProblem {
    /// The cause of a POSIX `errno` in words.
    static func cause(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such file or directory"
        case ENOTDIR: return "a part of the path is not a directory"
        case EISDIR: return "it is a directory"
        case ENOSPC: return "no space left on the device (disk full)"
        case EDQUOT: return "the disk quota is exceeded"
        case EROFS: return "the file system is read-only"
        case EEXIST: return "a file of that name already exists"
        case ENAMETOOLONG: return "the name is too long"
        case EXDEV: return "it is on another file system"
        case EIO: return "an input/output error"
        default: return String(cString: strerror(code))
        }
    }

    /// The cause of a Foundation file error in words, from its POSIX code where it carries one.
    static func cause(of error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return cause(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return cause(errno: Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device (disk full)"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "it is not readable text"
            case .fileReadTooLarge: return "it is too large to read"
            default: break
            }
        }
        return ns.localizedDescription
    }
}
