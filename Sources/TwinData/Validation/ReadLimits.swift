/// Size limits that keep a huge or hostile file from exhausting memory or time.
///
/// Every budget is checked **before** the work it bounds: the number of events a file will hold
/// after II/ADDL expansion (doses, observations and other events of all subjects together) is
/// counted from the rows, and a file that would pass ``maximumEvents`` is refused with
/// ``RecordError/budgetExceeded(_:quantity:count:limit:bytesPerItem:setting:)`` before any
/// dose is expanded; a FHIR order's doses are counted before its times are built.
///
/// Memory follows from the event count: one stored event takes ``bytesPerEvent`` bytes
/// (the stride of ``Dose``, the largest event value: 144 bytes on 64-bit Linux, measured by
/// `AdversarialInputTests`), so the default of 3 million events bounds a read at about 430 MB of
/// events. A 2-million-row cohort (100,000 patients × 20 rows) fits; a larger trusted job raises
/// the limit:
///
/// ```swift
/// var limits = ReadLimits()
/// limits.maximumEvents = 20_000_000      // ≈ 3 GB of events: a trusted batch job
/// limits.maximumBytes = 16 << 20         // 16 MiB for an upload endpoint
/// let options = ReadOptions(limits: limits)
/// ```
public struct ReadLimits: Hashable, Sendable {
    /// The largest input accepted, in bytes. Default 2 GiB.
    public var maximumBytes: Int = 2 << 30
    /// The longest CSV line or NDJSON line, in bytes. Default 1 MiB. A longer line costs that
    /// line (and its subject), not the file; a single JSON document is bounded only by
    /// ``maximumBytes``.
    public var maximumLineBytes: Int = 1 << 20
    /// The most CSV columns (fields in a row). Default 1,000. A longer row costs that row and
    /// its subject; a header with more is refused.
    public var maximumColumns: Int = 1_000
    /// The most doses one II/ADDL row may expand into. Default 10,000.
    public var maximumAdditionalDoses: Int = 10_000
    /// The most doses, observations and other events in all subjects of one read together,
    /// after II/ADDL expansion (CSV) or with the doses of planned orders (FHIR). Default
    /// 3,000,000 (≈ 430 MB at ``bytesPerEvent``).
    public var maximumEvents: Int = 3_000_000
    /// The most FHIR resources in one document set. Default 1 million.
    public var maximumResources: Int = 1_000_000
    /// Errors kept in a ``ReadReport``; the rest are counted. Default 1,000.
    public var maximumReportedErrors: Int = 1_000
    /// Warnings kept in a ``ReadReport``. Default 1,000.
    public var maximumReportedWarnings: Int = 1_000

    /// The default limits.
    public init() {}

    /// Bytes one stored event takes: the largest stride of ``Dose``, ``Observation`` and
    /// ``OtherEvent`` (a dose: 144 bytes on 64-bit platforms). Budget messages multiply by it.
    public static var bytesPerEvent: Int {
        max(MemoryLayout<Dose>.stride, MemoryLayout<Observation>.stride, MemoryLayout<OtherEvent>.stride)
    }
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
