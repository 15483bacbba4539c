/// What a reader produced: the valid patients, and every error and warning it met.
///
/// In the default (lenient) mode a reader keeps going past a bad record: the subject that holds
/// it is left out of ``cohort`` and the error is listed in ``errors``. In strict mode
/// (``ReadOptions/strict``) the first error is thrown instead.
///
/// ```swift
/// let report = try NONMEMReader(units: units).read(contentsOf: url)
/// for error in report.errors { print(error) }       // file, line, column, expected, found
/// let cohort = report.cohort                          // only the subjects without errors
/// ```
public struct ReadReport: Sendable, Equatable {
    /// The subjects read without error, in file order.
    public var cohort: Cohort
    /// Every error found, in file order, up to ``ReadLimits/maximumReportedErrors``.
    public var errors: [RecordError]
    /// Errors found past ``ReadLimits/maximumReportedErrors`` (counted, not kept).
    public var unreportedErrorCount: Int
    /// Things accepted that a person should know about.
    public var warnings: [RecordWarning]
    /// IDs of subjects left out because they held an error, in file order.
    public var rejectedRecordIDs: [String]

    /// A report with the given parts.
    public init(cohort: Cohort, errors: [RecordError] = [], unreportedErrorCount: Int = 0,
                warnings: [RecordWarning] = [], rejectedRecordIDs: [String] = []) {
        self.cohort = cohort
        self.errors = errors
        self.unreportedErrorCount = unreportedErrorCount
        self.warnings = warnings
        self.rejectedRecordIDs = rejectedRecordIDs
    }

    /// True when no error was found.
    public var isClean: Bool { errors.isEmpty && unreportedErrorCount == 0 }
}

/// Collects errors for a reader: throws the first in strict mode, keeps up to a limit otherwise.
struct ErrorCollector {
    let strict: Bool
    let maximum: Int
    var errors: [RecordError] = []
    var unreported = 0
    var warnings: [RecordWarning] = []
    let maximumWarnings: Int

    init(strict: Bool, maximum: Int, maximumWarnings: Int) {
        self.strict = strict
        self.maximum = maximum
        self.maximumWarnings = maximumWarnings
    }

    mutating func record(_ error: RecordError) throws(RecordError) {
        if strict { throw error }
        if errors.count < maximum { errors.append(error) } else { unreported += 1 }
    }

    mutating func warn(_ warning: RecordWarning) {
        if warnings.count < maximumWarnings { warnings.append(warning) }
    }
}
