/// Size limits that keep a huge or hostile file from exhausting memory or time.
///
/// Readers check each limit as they go and stop with ``RecordError/limitExceeded(_:limit:maximum:)``
/// when one is passed. The defaults admit a 100,000-patient, several-million-row cohort.
///
/// ```swift
/// var limits = ReadLimits()
/// limits.maximumBytes = 16 << 20      // 16 MiB for an upload endpoint
/// let options = ReadOptions(limits: limits)
/// ```
public struct ReadLimits: Hashable, Sendable {
    /// The largest input accepted, in bytes. Default 2 GiB.
    public var maximumBytes: Int = 2 << 30
    /// The longest CSV line or NDJSON line, in bytes. Default 1 MiB.
    public var maximumLineBytes: Int = 1 << 20
    /// The most CSV columns. Default 1,000.
    public var maximumColumns: Int = 1_000
    /// The most doses one II/ADDL row may expand into. Default 10,000.
    public var maximumAdditionalDoses: Int = 10_000
    /// The most doses, observations and other events in all subjects together, after II/ADDL
    /// expansion. Default 50 million.
    public var maximumEvents: Int = 50_000_000
    /// The most FHIR resources in one document. Default 1 million.
    public var maximumResources: Int = 1_000_000
    /// Errors kept in a ``ReadReport``; the rest are counted. Default 1,000.
    public var maximumReportedErrors: Int = 1_000
    /// Warnings kept in a ``ReadReport``. Default 1,000.
    public var maximumReportedWarnings: Int = 1_000

    /// The default limits.
    public init() {}
}

/// How a reader treats bad records.
///
/// ```swift
/// let strict = ReadOptions(strict: true)            // throw at the first error
/// let lenient = ReadOptions()                        // report all, keep the valid patients
/// ```
public struct ReadOptions: Hashable, Sendable {
    /// Stop at the first error (throw it) instead of reporting every error and keeping the
    /// valid patients. Default false.
    public var strict: Bool
    /// Size limits.
    public var limits: ReadLimits
    /// Plausible single-dose ranges; `nil` turns the check off. Default ``DoseBounds/standard``.
    public var doseBounds: DoseBounds?

    /// Options with the given parts.
    public init(strict: Bool = false, limits: ReadLimits = ReadLimits(), doseBounds: DoseBounds? = .standard) {
        self.strict = strict
        self.limits = limits
        self.doseBounds = doseBounds
    }
}
