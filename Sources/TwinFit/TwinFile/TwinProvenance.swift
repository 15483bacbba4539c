/// Where a twin file came from.
///
/// ```swift
/// let p = TwinProvenance(medtwinVersion: "0.9.0", createdAt: "2026-12-07T23:00:00Z",
///                        commandLine: ["medtwin", "fit", "--model", "pk-2cmt"])
/// ```
public struct TwinProvenance: Sendable, Hashable, Codable {
    /// MedTwin's version string.
    public var medtwinVersion: String
    /// Creation time, ISO 8601 (passed in by the caller; TwinFit reads no clock).
    public var createdAt: String
    /// The command line that wrote the file, one argument per element.
    public var commandLine: [String]

    public init(medtwinVersion: String, createdAt: String, commandLine: [String]) {
        self.medtwinVersion = medtwinVersion
        self.createdAt = createdAt
        self.commandLine = commandLine
    }
}
