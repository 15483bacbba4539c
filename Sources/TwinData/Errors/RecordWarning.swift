/// Something a reader accepted but a person should know about: an ID that reappears after another
/// subject, a covariate that changes within a subject, a resource that was skipped.
///
/// ```swift
/// for warning in report.warnings { print("warning:", warning) }
/// ```
public struct RecordWarning: Hashable, Sendable, CustomStringConvertible {
    /// Where the reader noticed it.
    public var location: RecordLocation
    /// What it noticed and what it did about it.
    public var message: String

    /// A warning at `location`.
    public init(_ location: RecordLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
