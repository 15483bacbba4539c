/// Why a twin file cannot be read: each a typed error with a clear message, never a crash.
///
/// ```swift
/// do { _ = try TwinFile.decode(data) } catch { print(error) }
/// // "twin file: content hash mismatch (the file was changed after it was written) …"
/// ```
public enum TwinFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or cut short; `location` is "line L, column C" where the parser says so.
    case malformedJSON(location: String?, reason: String)
    /// The JSON is not a twin file ("kind" differs).
    case wrongKind(String)
    /// A newer schema than this reader knows.
    case newerSchema(found: Int, supported: Int)
    /// A field is missing or has the wrong type; `path` is its JSON path.
    case invalidField(path: String, reason: String)
    /// The stored hash does not match the content.
    case hashMismatch(stored: String, computed: String)
    /// The value could not be encoded (a value JSON cannot hold).
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .malformedJSON(let location, let reason):
            return "twin file: malformed or truncated JSON" + (location.map { " at \($0)" } ?? "") + ": \(reason)"
        case .wrongKind(let kind):
            return "not a twin file: kind is \"\(kind)\", expected \"\(TwinFile.kind)\""
        case .newerSchema(let found, let supported):
            return "this file is schema v\(found); this MedTwin reads v\(supported) and older"
        case .invalidField(let path, let reason):
            return "twin file: \(path): \(reason)"
        case .hashMismatch(let stored, let computed):
            return "twin file: content hash mismatch (the file was changed after it was written): stored \(stored), computed \(computed)"
        case .encodingFailed(let reason):
            return "twin file: cannot encode: \(reason)"
        }
    }
}
