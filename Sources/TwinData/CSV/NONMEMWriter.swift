import Foundation

/// Writes a ``Cohort`` as a NONMEM-style CSV file plus its units sidecar, so that
/// ``NONMEMReader`` reads back equal records.
///
/// Values are written in canonical units (TIME h, AMT mg or U …), each number in its shortest
/// exact form. Columns appear only when some record needs them (RATE, DUR, SS/II, BLQ/LLOQ,
/// ROUTE, F, LAG, DVID, covariates in name order). A covariate with a history
/// (``PatientRecord/covariateHistory``) is written on each row as the value in force at the
/// row's time (``PatientRecord/covariates(at:segment:)``), so a history read from a file reads
/// back equal. A reset followed by a dose at the same time
/// becomes one EVID 4 row; expanded II/ADDL doses are written one row each.
///
/// ```swift
/// let (csv, units) = try NONMEMWriter().csv(for: cohort)
/// try NONMEMWriter().write(cohort, to: URL(fileURLWithPath: "out.csv"))  // + out.units.json
/// ```
public struct NONMEMWriter: Sendable {
    /// A writer.
    public init() {}

    /// The CSV text and the units it is written in.
    ///
    /// - Throws: ``RecordError/incompatibleUnit(_:unit:expected:)`` when the doses (or the
    ///   observations, or one covariate) of the cohort are in different units: one CSV column
    ///   has one unit.
    public func csv(for cohort: Cohort, file: String = "<output>") throws(RecordError) -> (text: String, units: ColumnUnits) {
        var units = ColumnUnits()
        units["TIME"] = .hour
        var doseUnit: MeasurementUnit?
        var dvUnit: MeasurementUnit?
        var covariateUnits: [String: MeasurementUnit?] = [:]
        var needRate = false, needDur = false, needSS = false, needBLQ = false, needRoute = false
        var needF = false, needLag = false, needCMT = false, needDVID = false
        for record in cohort.records {
            for dose in record.doses {
                if let u = doseUnit, u != dose.unit {
                    throw .incompatibleUnit(RecordLocation(file: file, columnName: "AMT", recordID: record.id), unit: dose.unit.symbol,
                                            expected: "one unit for all doses (\(u.symbol)); write doses of different kinds to separate files")
                }
                doseUnit = dose.unit
                switch dose.delivery {
                case .bolus: break
                case .infusion, .modelledRate, .modelledDuration: needRate = true
                case .infusionOver: needDur = true
                }
                if dose.steadyState != nil { needSS = true }
                if dose.route != .unspecified { needRoute = true }
                if dose.bioavailability != nil { needF = true }
                if dose.lag != nil { needLag = true }
                if dose.compartment != nil { needCMT = true }
            }
            for obs in record.observations {
                if let u = dvUnit, u != obs.unit {
                    throw .incompatibleUnit(RecordLocation(file: file, columnName: "DV", recordID: record.id), unit: obs.unit.symbol,
                                            expected: "one unit for all observations (\(u.symbol)); write different quantities to separate files")
                }
                dvUnit = obs.unit
                if obs.isCensored || obs.lowerLimitOfQuantification != nil { needBLQ = true }
                if obs.compartment != nil { needCMT = true }
                if obs.outputID != nil { needDVID = true }
            }
            if record.otherEvents.contains(where: { $0.compartment != nil }) || record.resets.contains(where: { $0.compartment != nil }) { needCMT = true }
            for (name, covariate) in record.covariates {
                if let existing = covariateUnits[name], existing != covariate.unit {
                    throw .incompatibleUnit(RecordLocation(file: file, columnName: name, recordID: record.id), unit: covariate.unit?.symbol ?? "none",
                                            expected: "one unit for covariate \(name) (\(existing?.symbol ?? "none"))")
                }
                covariateUnits[name] = covariate.unit
            }
        }
        units["AMT"] = doseUnit ?? .milligram             // the column is always written, so it always has a unit
        units["DV"] = dvUnit ?? .milligramPerLiter
        let covariateNames = covariateUnits.keys.sorted()
        for name in covariateNames { if let u = covariateUnits[name] ?? nil { units[name] = u } }

        var header = ["ID", "TIME", "DV", "AMT"]
        if needRate { header.append("RATE") }
        if needDur { header.append("DUR") }
        header.append("EVID")
        if needCMT { header.append("CMT") }
        if needDVID { header.append("DVID") }
        header.append("MDV")
        if needSS { header += ["SS", "II"] }
        if needBLQ { header += ["BLQ", "LLOQ"] }
        if needRoute { header.append("ROUTE") }
        if needF { header.append("F") }
        if needLag { header.append("LAG") }
        header += covariateNames

        var out = header.joined(separator: ",") + "\n"
        out.reserveCapacity(cohort.records.reduce(0) { $0 + 48 * ($1.doses.count + $1.observations.count + 1) })
        for record in cohort.records {
            let id = csvField(record.id)
            let baselineText = covariateNames.map { name in record.covariates[name].map { formatNumber($0.value) } ?? "." }
            for event in orderedEvents(record) {
                // A changing covariate is written as the value in force at the row (PREDPP's
                // convention), which reads back as the same history.
                let covariateText = record.covariateHistory.isEmpty ? baselineText : {
                    let now = record.covariates(at: event.time, segment: event.segment)
                    return covariateNames.map { name in now[name].map { formatNumber($0.value) } ?? "." }
                }()
                var row: [String] = [id, formatNumber(event.time)]
                var dv = ".", amt = ".", rate = ".", dur = ".", evid = "0", cmt = ".", mdv = "1", dvid = "."
                var ss = ".", ii = ".", blq = ".", lloq = ".", route = ".", f = ".", lag = "."
                switch event.kind {
                case let .observation(o):
                    dv = formatNumber(o.value); mdv = "0"; cmt = o.compartment.map(String.init) ?? "."
                    dvid = o.outputID.map(String.init) ?? "."
                    blq = o.isCensored ? "1" : "0"
                    lloq = o.lowerLimitOfQuantification.map(formatNumber) ?? "."
                case let .dose(d, withReset):
                    evid = withReset ? "4" : "1"
                    amt = formatNumber(d.amount); cmt = d.compartment.map(String.init) ?? "."
                    switch d.delivery {
                    case .bolus: break
                    case let .infusion(r): rate = formatNumber(r)
                    case let .infusionOver(duration): dur = formatNumber(duration)
                    case .modelledRate: rate = "-1"
                    case .modelledDuration: rate = "-2"
                    }
                    if let s = d.steadyState { ss = String(s.kind.rawValue); ii = formatNumber(s.interval) }
                    route = d.route.rawValue
                    f = d.bioavailability.map(formatNumber) ?? "."
                    lag = d.lag.map(formatNumber) ?? "."
                case let .other(o):
                    evid = "2"; cmt = o.compartment.map(String.init) ?? "."
                case let .reset(r):
                    evid = "3"; cmt = r.compartment.map(String.init) ?? "."
                }
                row += [dv, amt]
                if needRate { row.append(rate) }
                if needDur { row.append(dur) }
                row.append(evid)
                if needCMT { row.append(cmt) }
                if needDVID { row.append(dvid) }
                row.append(mdv)
                if needSS { row += [ss, ii] }
                if needBLQ { row += [blq, lloq] }
                if needRoute { row.append(route) }
                if needF { row.append(f) }
                if needLag { row.append(lag) }
                row += covariateText
                out += row.joined(separator: ",")
                out += "\n"
            }
        }
        return (out, units)
    }

    /// Writes the CSV to `url` and the units to its sidecar (``ColumnUnits/sidecarURL(for:)``),
    /// each atomically.
    ///
    /// - Throws: as ``csv(for:file:)``, and ``RecordError/io(file:message:)``.
    public func write(_ cohort: Cohort, to url: URL) throws(RecordError) {
        let (text, units) = try csv(for: cohort, file: url.lastPathComponent)
        try AtomicFile.write(Data(text.utf8), to: url)
        try AtomicFile.write(units.sidecarJSON(), to: ColumnUnits.sidecarURL(for: url))
    }

    private enum EventKind {
        case reset(Reset)
        case dose(Dose, withReset: Bool)
        case observation(Observation)
        case other(OtherEvent)
    }

    private struct DoseKey: Hashable {
        var segment: Int
        var time: Double
    }

    private struct Event {
        var segment: Int
        var time: Double
        var rank: Int
        var order: Int
        var kind: EventKind
    }

    /// Events in file order: by segment, then time, then reset < dose < observation < other,
    /// then their order in the record. A reset with a dose at its time and segment becomes EVID 4.
    private func orderedEvents(_ record: PatientRecord) -> [Event] {
        var events: [Event] = []
        var mergedDoses = Set<Int>()
        // The first dose at each (segment, time), for merging with a reset into EVID 4.
        var firstDose: [DoseKey: Int] = [:]
        for (j, d) in record.doses.enumerated() where firstDose[DoseKey(segment: d.segment, time: d.time)] == nil {
            firstDose[DoseKey(segment: d.segment, time: d.time)] = j
        }
        for (k, reset) in record.resets.enumerated() {
            if let j = firstDose[DoseKey(segment: reset.segment, time: reset.time)], !mergedDoses.contains(j),
               record.doses[j].compartment == reset.compartment {
                mergedDoses.insert(j)
                events.append(Event(segment: reset.segment, time: reset.time, rank: 0, order: k, kind: .dose(record.doses[j], withReset: true)))
            } else {
                events.append(Event(segment: reset.segment, time: reset.time, rank: 0, order: k, kind: .reset(reset)))
            }
        }
        for (k, d) in record.doses.enumerated() where !mergedDoses.contains(k) {
            events.append(Event(segment: d.segment, time: d.time, rank: 1, order: k, kind: .dose(d, withReset: false)))
        }
        for (k, o) in record.observations.enumerated() {
            events.append(Event(segment: o.segment, time: o.time, rank: 2, order: k, kind: .observation(o)))
        }
        for (k, o) in record.otherEvents.enumerated() {
            events.append(Event(segment: o.segment, time: o.time, rank: 3, order: k, kind: .other(o)))
        }
        events.sort { ($0.segment, $0.time, $0.rank, $0.order) < ($1.segment, $1.time, $1.rank, $1.order) }
        return events
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
func csvField(_ text: String) -> String {
    if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.isEmpty {
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
    return text
}
