/// One value of a time-varying covariate and the time up to which it holds: the last record of
/// a run of records that carry this value.
///
/// **Convention (NONMEM PREDPP).** A covariate value on a record applies over the integration
/// interval that the record *ends*: with records at t₀ < t₁ < t₂ carrying WT 70, 70, 80, WT is
/// 70 over (−∞, t₁] and 80 over (t₁, t₂] — the change takes effect right after t₁, not at t₂
/// (Beal SL, Sheiner LB, Boeckmann AJ, Bauer RJ (eds.) NONMEM Users Guides, Part VI (PREDPP),
/// "Covariates": the data item values on the event record at the end of an advance are used
/// throughout that advance). After the last record the last value holds.
///
/// A run of equal values is kept as one entry whose ``time`` is the run's *last* record, which
/// is all the convention needs: the value at time t is the value of the first entry (of t's
/// segment) with `time ≥ t`.
///
/// ```swift
/// // Records at 0, 10 and 20 h with WT 70, 70, 80 kg:
/// let history = [TimedCovariate(time: 10, value: 70, unit: .kilogram),
///                TimedCovariate(time: 20, value: 80, unit: .kilogram)]
/// // WT at 5 h and at 10 h: 70 kg; at 10.5 h and 20 h: 80 kg.
/// ```
public struct TimedCovariate: Hashable, Sendable, Codable {
    /// The last record time (hours, on the segment's clock) that carries ``value``; the value
    /// applies over (the previous entry's time, this time].
    public var time: Double
    /// The segment of the record (0 before the first reset).
    public var segment: Int
    /// The value, in `unit`.
    public var value: Double
    /// The unit, or nil for a code or a count.
    public var unit: MeasurementUnit?

    /// A value that holds up to `time` hours (inclusive) of `segment`.
    public init(time: Double, segment: Int = 0, value: Double, unit: MeasurementUnit? = nil) {
        self.time = time
        self.segment = segment
        self.value = value
        self.unit = unit
    }

    /// The value as a ``Covariate``.
    public var covariate: Covariate { Covariate(value: value, unit: unit) }
}

extension PatientRecord {
    /// The covariates in force at `time` hours of `segment`, by NONMEM's PREDPP convention
    /// (``TimedCovariate``): for each covariate in ``covariateHistory``, the value of the first
    /// record at or after `time` — the record that ends the integration interval containing
    /// `time` — or the last value after the last record; every other covariate at its
    /// baseline (``covariates``).
    ///
    /// - Parameters:
    ///   - time: hours from the segment's origin.
    ///   - segment: the segment (0 before the first reset); a segment with no record of a
    ///     covariate takes the last value of the segments before it.
    /// - Returns: every covariate of the record, by name.
    ///
    /// ```swift
    /// // A file with rows at 0, 12 and 24 h and CRCL 100, 100, 60 mL/min:
    /// record.covariates(at: 6)["CRCL"]?.value    // 100: the 12 h record ends (0, 12]
    /// record.covariates(at: 13)["CRCL"]?.value   // 60: the 24 h record ends (12, 24]
    /// record.covariates(at: 30)["CRCL"]?.value   // 60: the last value holds after the last record
    /// ```
    public func covariates(at time: Double, segment: Int = 0) -> [String: Covariate] {
        var result = covariates
        for (name, entries) in covariateHistory {
            if let value = Self.value(of: entries, at: time, segment: segment) { result[name] = value.covariate }
        }
        return result
    }

    /// The entry in force at `time` of `segment` (see ``covariates(at:segment:)``).
    static func value(of entries: [TimedCovariate], at time: Double, segment: Int) -> TimedCovariate? {
        var carried: TimedCovariate?
        for entry in entries {
            if entry.segment > segment { break }
            if entry.segment == segment, entry.time >= time { return entry }
            carried = entry
        }
        return carried ?? entries.first
    }
}
