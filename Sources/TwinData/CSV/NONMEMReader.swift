import Foundation

/// Reads NONMEM-style CSV event tables into validated ``PatientRecord``s.
///
/// One row is one event of one subject: an observation (EVID 0), a dose (EVID 1), another
/// event (EVID 2), a reset (EVID 3) or a reset and dose (EVID 4); ``NONMEMColumn`` lists the
/// columns. The reader
/// - converts every value to canonical units once, using ``ColumnUnits`` (CSV carries none;
///   the reader refuses to guess);
/// - expands II/ADDL into the additional doses, marks SS = 1/2 doses as steady state, and keeps
///   RATE = −1/−2 as a modelled rate or duration;
/// - lets time restart after a reset, and otherwise refuses time going backwards;
/// - starts a new subject when an ID reappears after another ID, as NONMEM does, with a warning;
/// - in the default mode reports every error (file, line, column, expected, found) and keeps
///   the subjects without errors; with ``ReadOptions/strict`` it throws the first error.
///
/// It reads bytes directly (no `String` per field, an exact fast path for decimal numbers),
/// so a 2-million-row file takes well under two seconds in a release build (BENCHMARKS.md).
///
/// ```swift
/// let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg,WT=kg")
/// let report = try NONMEMReader(units: units).read(contentsOf: URL(fileURLWithPath: "theophylline.csv"))
/// for error in report.errors { print(error) }
/// let first = report.cohort[0]           // 1 dose, 11 observations, WT 79.6 kg
/// ```
public struct NONMEMReader: Sendable {
    /// Units of the columns.
    public var units: ColumnUnits
    /// Strict or lenient, limits, dose bounds.
    public var options: ReadOptions
    /// The ``Observation/quantity`` given to DV values. Default "DV".
    public var observedQuantity: String

    /// A reader with the given units and options.
    public init(units: ColumnUnits, options: ReadOptions = ReadOptions(), observedQuantity: String = "DV") {
        self.units = units
        self.options = options
        self.observedQuantity = observedQuantity
    }

    /// Reads a file, taking its units from `units` or, when that is nil, from the JSON sidecar
    /// next to it (``ColumnUnits/sidecarURL(for:)``).
    ///
    /// - Throws: ``RecordError/missingUnit(_:column:)`` when neither gives TIME's unit, and
    ///   everything ``read(contentsOf:)`` throws.
    public static func read(contentsOf url: URL, units: ColumnUnits? = nil, options: ReadOptions = ReadOptions()) throws(RecordError) -> ReadReport {
        var resolved = ColumnUnits()
        if let units { resolved = units } else if let sidecar = try ColumnUnits.loadSidecar(for: url) { resolved = sidecar }
        return try NONMEMReader(units: resolved, options: options).read(contentsOf: url)
    }

    /// Reads a file (memory-mapped).
    ///
    /// - Throws: ``RecordError/io(file:message:)`` when it cannot be read,
    ///   ``RecordError/limitExceeded(_:limit:maximum:)`` when it is larger than
    ///   ``ReadLimits/maximumBytes``; otherwise as ``read(_:file:)``.
    public func read(contentsOf url: URL) throws(RecordError) -> ReadReport {
        let name = url.lastPathComponent
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw .io(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
        if size > options.limits.maximumBytes {
            throw .limitExceeded(RecordLocation(file: name), limit: "the file size (\(size) bytes)", maximum: options.limits.maximumBytes)
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .io(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try read(data, file: name)
    }

    /// Reads CSV bytes.
    ///
    /// - Parameter file: the name used in messages.
    /// - Throws: file-level problems always (a missing required column or unit, a malformed
    ///   header, a size limit); record-level problems only in strict mode — otherwise they are
    ///   listed in ``ReadReport/errors`` and the subject is left out.
    public func read(_ data: Data, file: String = "<input>") throws(RecordError) -> ReadReport {
        if data.count > options.limits.maximumBytes {
            throw .limitExceeded(RecordLocation(file: file), limit: "the input size (\(data.count) bytes)", maximum: options.limits.maximumBytes)
        }
        let result: Result<ReadReport, RecordError> = data.withUnsafeBytes { raw in
            if let problem = TextEncoding.problem(raw, file: file) { return .failure(problem) }
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(RecordError) {
                var state = try NONMEMParseState(reader: self, bytes: bytes, file: file)
                return .success(try state.run())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads CSV text.
    public func read(text: String, file: String = "<input>") throws(RecordError) -> ReadReport {
        try read(Data(text.utf8), file: file)
    }
}

/// One cell's content.
private enum Cell {
    case missing
    case value(Double)
    case invalid
}

/// The mutable state of one read: the scanner, the column layout and unit factors, the subject
/// being built and the results so far. One struct (not closures) so the hot loop sees plain
/// stored properties.
private struct NONMEMParseState {
    let file: String
    let options: ReadOptions
    let quantity: String
    var scanner: CSVScanner
    var fields: [CSVScanner.Field] = []
    var names: [String] = []

    // Field indices, -1 when the column is absent.
    var cID = -1, cTime = -1, cDV = -1, cAMT = -1, cRate = -1, cDur = -1, cEVID = -1, cCMT = -1
    var cMDV = -1, cII = -1, cADDL = -1, cSS = -1, cBLQ = -1, cLLOQ = -1, cRoute = -1, cF = -1, cLag = -1, cDVID = -1
    var covariateFields: [Int] = []
    var covariateNames: [String] = []
    var covariateFactors: [Double] = []
    var covariateUnits: [MeasurementUnit?] = []
    var weightCovariate = -1          // index into covariateFields of WT, for mg/kg doses

    // Unit factors to canonical.
    var timeFactor = 1.0
    var dvFactor = 1.0
    var dvUnit = MeasurementUnit.milligramPerLiter
    var amtFactor = 1.0
    var amtUnit = MeasurementUnit.milligram
    var amtUnitWritten = MeasurementUnit.milligram
    var amtPerWeight = false

    // Results.
    var collector: ErrorCollector
    var records: [PatientRecord] = []
    var rejected: [String] = []
    var seenIDs: Set<String> = []
    /// Events the file holds so far, counting II/ADDL doses before they are expanded.
    var eventCount = 0
    /// II/ADDL expansions waiting for the whole file to be counted: record index → expansions.
    var pendingExpansions: [(record: Int, expansions: [Expansion])] = []
    var lastDoseCount = 0
    var lastObservationCount = 0

    // The subject being built (valid while `hasCurrent`); not an optional, so that appends
    // modify its arrays in place.
    var current = SubjectBuilder(id: "", idBytes: [], covariateCount: 0)
    var hasCurrent = false

    init(reader: NONMEMReader, bytes: UnsafeBufferPointer<UInt8>, file: String) throws(RecordError) {
        self.file = file
        self.options = reader.options
        self.quantity = reader.observedQuantity
        self.scanner = CSVScanner(bytes: bytes)
        self.collector = ErrorCollector(strict: reader.options.strict, maximum: reader.options.limits.maximumReportedErrors,
                                        maximumWarnings: reader.options.limits.maximumReportedWarnings)
        try readHeader(units: reader.units)
    }

    // MARK: Header and units

    mutating func readHeader(units: ColumnUnits) throws(RecordError) {
        let limits = options.limits
        let hasLine: Bool
        do {
            hasLine = try scanner.nextLine(into: &fields, maximumLineBytes: limits.maximumLineBytes, maximumFields: limits.maximumColumns)
        } catch {
            throw lineError(error)
        }
        guard hasLine else {
            throw .missingColumn(RecordLocation(file: file, line: 1), column: "ID (the file is empty)")
        }
        let headerLine = scanner.lineNumber
        names = fields.map { scanner.text($0).trimmingWhitespace().uppercased() }
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            let here = RecordLocation(file: file, line: headerLine, column: i + 1, columnName: name)
            if name.isEmpty { throw .badValue(here, expected: "a column name", found: "") }
            if seen[name] != nil { throw .badValue(here, expected: "a column name not used before", found: name) }
            seen[name] = i
            switch NONMEMColumn(header: name) {
            case .id: cID = i
            case .time: cTime = i
            case .dv: cDV = i
            case .amt: cAMT = i
            case .rate: cRate = i
            case .dur: cDur = i
            case .evid: cEVID = i
            case .cmt: cCMT = i
            case .mdv: cMDV = i
            case .ii: cII = i
            case .addl: cADDL = i
            case .ss: cSS = i
            case .blq: cBLQ = i
            case .lloq: cLLOQ = i
            case .route: cRoute = i
            case .f: cF = i
            case .lag: cLag = i
            case .dvid: cDVID = i
            case nil:
                covariateFields.append(i)
                covariateNames.append(name)
            }
        }
        let headerLocation = RecordLocation(file: file, line: headerLine)
        if cID < 0 { throw .missingColumn(headerLocation, column: "ID") }
        if cTime < 0 { throw .missingColumn(headerLocation, column: "TIME") }
        if cDV < 0 && cAMT < 0 { throw .missingColumn(headerLocation, column: "DV or AMT") }
        if cII >= 0 && cADDL < 0 && cSS < 0 { /* II without ADDL or SS is harmless */ }
        if cADDL >= 0 && cII < 0 { throw .missingColumn(headerLocation, column: "II (ADDL needs an interdose interval)") }

        func columnLocation(_ i: Int) -> RecordLocation {
            RecordLocation(file: file, line: headerLine, column: i + 1, columnName: names[i])
        }
        // TIME
        guard let time = units["TIME"] else { throw .missingUnit(columnLocation(cTime), column: "TIME") }
        guard time.dimension == .time else {
            throw .incompatibleUnit(columnLocation(cTime), unit: time.symbol, expected: UnitDimension.time.phrase)
        }
        timeFactor = time.factor
        // DV
        if cDV >= 0 {
            guard let dv = units["DV"] else { throw .missingUnit(columnLocation(cDV), column: "DV") }
            guard dv.dimension != .time else {
                throw .incompatibleUnit(columnLocation(cDV), unit: dv.symbol, expected: "a unit of the observed quantity (mg/L, mmol/L …)")
            }
            dvFactor = dv.factor
            dvUnit = dv.dimension.canonicalUnit
        }
        // Covariates (before AMT: mg/kg needs WT)
        for (k, i) in covariateFields.enumerated() {
            let name = covariateNames[k]
            if let unit = units[name] {
                let storage = CovariateName.storageUnit(for: name, measuredIn: unit)
                let substance: Substance? = name == CovariateName.serumCreatinine ? .creatinine : nil
                guard let factor = unit.factor(to: storage, substance: substance) else {
                    throw .incompatibleUnit(columnLocation(i), unit: unit.symbol, expected: "a unit convertible to \(storage.symbol)")
                }
                covariateFactors.append(factor)
                covariateUnits.append(storage)
            } else {
                covariateFactors.append(1)
                covariateUnits.append(nil)
            }
            if name == CovariateName.weight { weightCovariate = k }
        }
        // AMT
        if cAMT >= 0 {
            guard let amt = units["AMT"] else { throw .missingUnit(columnLocation(cAMT), column: "AMT") }
            guard amt.dimension.isDoseAmount else {
                throw .incompatibleUnit(columnLocation(cAMT), unit: amt.symbol, expected: "a dose unit (mg, µg, U, g carbs, mg/kg)")
            }
            amtUnitWritten = amt
            if let resolved = amt.resolvingPerWeight() {
                amtPerWeight = true
                amtUnit = resolved
                guard weightCovariate >= 0 else {
                    throw .missingColumn(columnLocation(cAMT), column: "WT (AMT is in \(amt.symbol), a dose per body weight)")
                }
                guard covariateUnits[weightCovariate] == .kilogram else {
                    throw .missingUnit(columnLocation(covariateFields[weightCovariate]), column: "WT")
                }
            } else {
                amtUnit = amt.dimension.canonicalUnit
            }
            amtFactor = amt.factor
        }
    }

    func lineError(_ error: CSVScanner.LineError) -> RecordError {
        let line = scanner.lineNumber
        switch error {
        case .tooLong:
            return .limitExceeded(RecordLocation(file: file, line: line), limit: "the line length (\(scanner.lineEnd - scanner.lineStart) bytes)",
                                  maximum: options.limits.maximumLineBytes)
        case .tooManyFields:
            return .limitExceeded(RecordLocation(file: file, line: line), limit: "the number of fields (more than \(options.limits.maximumColumns))",
                                  maximum: options.limits.maximumColumns)
        case let .unterminatedQuote(column):
            return .malformed(RecordLocation(file: file, line: line, column: column), message: "a quoted field is not closed on its line; close the quote (quotes inside a field are written \"\")")
        case let .textAfterQuote(column):
            return .malformed(RecordLocation(file: file, line: line, column: column), message: "text follows a closing quote; put the whole field in quotes")
        }
    }

    // MARK: Rows

    mutating func run() throws(RecordError) -> ReadReport {
        let limits = options.limits
        while true {
            let more: Bool
            do {
                more = try scanner.nextLine(into: &fields, maximumLineBytes: limits.maximumLineBytes, maximumFields: limits.maximumColumns)
            } catch {
                // A refused line costs that line and its subject, not the file.
                if let id = cID >= 0 ? scanner.rawField(cID) : nil {
                    try switchSubject(toID: id)
                    var e = lineError(error)
                    e = e.withRecordID(id)
                    try fail(e)
                } else {
                    try collector.record(lineError(error))
                }
                continue
            }
            if !more { break }
            try processRow()
        }
        try finishSubject()
        expandAdditionalDoses()
        return ReadReport(cohort: Cohort(records), errors: collector.errors, unreportedErrorCount: collector.unreported,
                          warnings: collector.warnings, rejectedRecordIDs: rejected)
    }

    @inline(__always)
    func cell(_ column: Int) -> Cell {
        if column < 0 { return .missing }
        let field = fields[column]
        if scanner.isMissing(field) { return .missing }
        if let v = DecimalParser.parse(scanner.slice(field)) { return .value(v) }
        return .invalid
    }

    func location(_ column: Int) -> RecordLocation {
        RecordLocation(file: file, line: scanner.lineNumber, column: column >= 0 ? column + 1 : nil,
                       columnName: column >= 0 ? names[column] : nil, recordID: hasCurrent ? current.id : nil)
    }

    func location(missing name: String) -> RecordLocation {
        RecordLocation(file: file, line: scanner.lineNumber, columnName: name, recordID: hasCurrent ? current.id : nil)
    }

    /// Reports an error against the current subject.
    mutating func fail(_ error: RecordError) throws(RecordError) {
        if hasCurrent { current.failed = true }
        try collector.record(error)
    }

    func quoted(_ column: Int) -> String {
        let text = scanner.text(fields[column])
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// A number that must be present and finite; reports badValue otherwise.
    mutating func required(_ column: Int, _ expected: String) throws(RecordError) -> Double? {
        switch cell(column) {
        case let .value(v): return v
        case .missing:
            try fail(.badValue(location(column), expected: expected, found: "."))
            return nil
        case .invalid:
            try fail(.badValue(location(column), expected: expected, found: quoted(column)))
            return nil
        }
    }

    /// An optional number; reports badValue for text.
    mutating func optional(_ column: Int, _ expected: String) throws(RecordError) -> Double?? {
        switch cell(column) {
        case let .value(v): return .some(v)
        case .missing: return .some(nil)
        case .invalid:
            try fail(.badValue(location(column), expected: expected, found: quoted(column)))
            return nil
        }
    }

    /// An optional integer in `range`.
    mutating func integer(_ column: Int, in range: ClosedRange<Int>, _ expected: String) throws(RecordError) -> Int?? {
        switch cell(column) {
        case let .value(v):
            if let i = Int(exactly: v), range.contains(i) { return .some(i) }      // exact: no Double → Int trap
            try fail(.badValue(location(column), expected: expected, found: quoted(column)))
            return nil
        case .missing: return .some(nil)
        case .invalid:
            try fail(.badValue(location(column), expected: expected, found: quoted(column)))
            return nil
        }
    }

    mutating func processRow() throws(RecordError) {
        let line = scanner.lineNumber
        if fields.count != names.count {
            let here = RecordLocation(file: file, line: line)
            // Attribute to the subject when the ID can be read.
            if cID < fields.count, !scanner.isMissing(fields[cID]) { try switchSubject() }
            try fail(.malformed(here, message: "expected \(names.count) fields as in the header, found \(fields.count); check for a missing or extra comma"))
            return
        }
        if scanner.isMissing(fields[cID]) {
            try collector.record(.badValue(location(cID), expected: "a subject ID", found: "."))
            return
        }
        try switchSubject()

        // TIME
        guard let rawTime = try required(cTime, "a time (a number)") else { return }
        let time = rawTime * timeFactor
        if let e = Plausibility.check(time, "a time", unit: "h", range: options.doseBounds?.absoluteTime, setting: "DoseBounds.absoluteTime",
                                      nonNegative: false, at: location(cTime)) {
            try fail(e)
            return
        }

        // EVID, explicit or inferred from MDV and AMT as NONMEM does.
        let evid: Int
        let mdv: Int?
        guard let mdvCell = try integer(cMDV, in: 0...1, "MDV 0 or 1") else { return }
        mdv = mdvCell
        if cEVID >= 0 {
            guard let e = try integer(cEVID, in: 0...4, "EVID 0 (observation), 1 (dose), 2 (other), 3 (reset) or 4 (reset and dose)") else { return }
            guard let e else {
                try fail(.badValue(location(cEVID), expected: "EVID 0, 1, 2, 3 or 4", found: "."))
                return
            }
            evid = e
        } else {
            var amtGiven = false
            if case let .value(a) = cell(cAMT), a != 0 { amtGiven = true }
            if amtGiven && mdv != 0 { evid = 1 } else if mdv == 1 { evid = 2 } else { evid = 0 }
        }

        // Resets start a new segment whose clock may restart.
        if evid == 3 || evid == 4 {
            current.segment += 1
            current.lastTime = -.infinity
            guard let cmt = try integer(cCMT, in: -9999...9999, "an integer compartment number") else { return }
            current.resets.append(Reset(time: time, segment: current.segment, compartment: cmt))
        }
        if time < current.lastTime {
            try fail(.timeWentBackwards(location(cTime), previous: current.lastTime, found: time))
            return
        }
        current.lastTime = time

        try readCovariates(at: time)

        switch evid {
        case 0:
            if mdv == 1 { try otherEvent(time) } else { try observation(time) }
        case 1, 4:
            try dose(time)
        case 2:
            try otherEvent(time)
        default:
            break   // EVID 3: the reset is recorded above
        }
        try count(1, at: RecordLocation(file: file, line: line))
    }

    /// Adds `events` to the file's count, refusing the file before anything is expanded when the
    /// count passes ``ReadLimits/maximumEvents``.
    mutating func count(_ events: Int, at location: RecordLocation) throws(RecordError) {
        let (sum, overflow) = eventCount.addingReportingOverflow(events)
        let limit = options.limits.maximumEvents
        if overflow || sum > limit {
            throw .budgetExceeded(location, quantity: "the events of this file after II/ADDL expansion (doses, observations and other records of all subjects, counted up to this line)",
                                  count: overflow ? Int.max : sum, limit: limit, bytesPerItem: ReadLimits.bytesPerEvent,
                                  setting: "ReadLimits.maximumEvents")
        }
        eventCount = sum
    }

    /// Starts a new subject when the row's ID differs from the current one.
    mutating func switchSubject() throws(RecordError) {
        let field = fields[cID]
        let idBytes = scanner.slice(field)
        if hasCurrent, current.idBytes.elementsEqual(idBytes) { return }
        try startSubject(scanner.text(field), idBytes: Array(idBytes))
    }

    /// Starts a new subject for a line that could not be split (its ID read naively).
    mutating func switchSubject(toID id: String) throws(RecordError) {
        if hasCurrent, current.id == id { return }
        try startSubject(id, idBytes: Array(id.utf8))
    }

    mutating func startSubject(_ id: String, idBytes: [UInt8]) throws(RecordError) {
        try finishSubject()
        if seenIDs.contains(id) {
            collector.warn(RecordWarning(RecordLocation(file: file, line: scanner.lineNumber, recordID: id),
                                         "ID \(id) appears again after another subject; read as a new subject, as NONMEM does (sort the file by ID if it is the same one)"))
        } else {
            seenIDs.insert(id)
        }
        current = SubjectBuilder(id: id, idBytes: idBytes, covariateCount: covariateFields.count)
        // Reserve what the previous subject needed: exact for the common uniform designs, and
        // no doubling slack kept in memory.
        current.doses.reserveCapacity(lastDoseCount)
        current.observations.reserveCapacity(lastObservationCount)
        hasCurrent = true
    }

    mutating func finishSubject() throws(RecordError) {
        guard hasCurrent else { return }
        hasCurrent = false
        let subject = current
        current = SubjectBuilder(id: "", idBytes: [], covariateCount: 0)
        lastDoseCount = subject.doses.count
        lastObservationCount = subject.observations.count
        if subject.failed {
            rejected.append(subject.id)
            return
        }
        if !subject.pending.isEmpty { pendingExpansions.append((records.count, subject.pending)) }
        var covariates: [String: Covariate] = [:]
        var history: [String: [TimedCovariate]] = [:]
        for k in 0..<covariateFields.count {
            if let v = subject.baseline[k] { covariates[covariateNames[k]] = Covariate(value: v, unit: covariateUnits[k]) }
            // Kept only for a covariate that changes: a constant one is its baseline.
            if subject.warnedVarying.contains(k) {
                history[covariateNames[k]] = subject.history[k].map {
                    TimedCovariate(time: $0.time, segment: $0.segment, value: $0.value, unit: covariateUnits[k])
                }
            }
        }
        records.append(PatientRecord(id: subject.id, covariates: covariates, doses: subject.doses,
                                     observations: subject.observations, otherEvents: subject.others, resets: subject.resets,
                                     covariateHistory: history))
    }

    mutating func readCovariates(at time: Double) throws(RecordError) {
        for k in 0..<covariateFields.count {
            let column = covariateFields[k]
            switch cell(column) {
            case .missing: continue
            case .invalid:
                try fail(.badValue(location(column), expected: "a number (covariates are numeric; code categories as 1, 2, …)", found: quoted(column)))
            case let .value(raw):
                let v = raw * covariateFactors[k]
                if k == weightCovariate, covariateUnits[k] == .kilogram {
                    if let e = Plausibility.check(v, "a body weight", unit: "kg", range: options.doseBounds?.bodyWeight,
                                                  setting: "DoseBounds.bodyWeight", nonNegative: true, at: location(column)) {
                        try fail(e)
                        continue
                    }
                } else if !v.isFinite {
                    try fail(.implausibleValue(location(column), quantity: "covariate \(covariateNames[k])", value: v,
                                               unit: covariateUnits[k]?.symbol ?? "", plausible: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                               source: "a value must stay finite after conversion to \(covariateUnits[k]?.symbol ?? "its unit")"))
                    continue
                }
                if let b = current.baseline[k] {
                    if b != v, !current.warnedVarying.contains(k) {
                        current.warnedVarying.append(k)
                        collector.warn(RecordWarning(location(column), "covariate \(covariateNames[k]) changes within the subject (\(formatNumber(b)) then \(formatNumber(v))); MedTwin keeps the first value as the baseline and every value with its time in the covariate history (NONMEM's PREDPP convention: a value applies from the previous record to its own)"))
                    }
                } else {
                    current.baseline[k] = v
                }
                current.recordCovariate(k, value: v, time: time)
            }
        }
    }

    mutating func observation(_ time: Double) throws(RecordError) {
        guard let blq = try integer(cBLQ, in: 0...1, "BLQ 0 or 1") else { return }
        guard let lloqRaw = try optional(cLLOQ, "a limit of quantification (a number)") else { return }
        guard let cmt = try integer(cCMT, in: -9999...9999, "an integer compartment number") else { return }
        guard let dvid = try integer(cDVID, in: 0...9999, "DVID: a whole number ≥ 0 naming the observed output") else { return }
        let censored = blq == 1
        let lloq = lloqRaw.map { $0 * dvFactor }
        if let lloq, !lloq.isFinite || lloq < 0 {
            try fail(.implausibleValue(location(cLLOQ), quantity: "a limit of quantification", value: lloq, unit: dvUnit.symbol,
                                       plausible: 0...Double.greatestFiniteMagnitude, source: "a limit of quantification cannot be negative or infinite"))
            return
        }
        let value: Double
        switch cell(cDV) {
        case let .value(v):
            value = v * dvFactor
            if !value.isFinite {
                try fail(.implausibleValue(location(cDV), quantity: "an observed value", value: value, unit: dvUnit.symbol,
                                           plausible: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                           source: "an observed value may be negative (after baseline correction) but must stay finite after conversion to \(dvUnit.symbol)"))
                return
            }
        case .missing:
            if censored, let lloq {
                value = lloq
            } else {
                try fail(.observationWithoutValue(cDV >= 0 ? location(cDV) : location(missing: "DV")))
                return
            }
        case .invalid:
            try fail(.badValue(location(cDV), expected: "an observed value (a number)", found: quoted(cDV)))
            return
        }
        let obs = Observation(time: time, quantity: quantity, value: value, unit: dvUnit,
                              lowerLimitOfQuantification: lloq, isCensored: censored, compartment: cmt,
                              segment: current.segment, outputID: dvid)
        current.observations.append(obs)
    }

    mutating func otherEvent(_ time: Double) throws(RecordError) {
        guard let cmt = try integer(cCMT, in: -9999...9999, "an integer compartment number") else { return }
        current.others.append(OtherEvent(time: time, compartment: cmt, segment: current.segment))
    }

    mutating func dose(_ time: Double) throws(RecordError) {
        // Amount
        var amount: Double
        switch cell(cAMT) {
        case let .value(a): amount = a
        case .missing:
            try fail(.doseWithoutAmount(cAMT >= 0 ? location(cAMT) : location(missing: "AMT")))
            return
        case .invalid:
            try fail(.badValue(location(cAMT), expected: "a dose amount (a number)", found: quoted(cAMT)))
            return
        }
        if amount < 0 { try fail(.negativeAmount(location(cAMT), found: amount)); return }
        // Per-weight doses need this row's weight.
        var weight = 1.0
        if amtPerWeight {
            guard let w = current.baseline[weightCovariate] else {
                // A weight written but refused has its own error already; only a missing one is news.
                if case .missing = cell(covariateFields[weightCovariate]) {
                    try fail(.badValue(location(covariateFields[weightCovariate]), expected: "a body weight (AMT is per kg)", found: "."))
                }
                current.failed = true
                return
            }
            if case let .value(raw) = cell(covariateFields[weightCovariate]) { weight = raw * covariateFactors[weightCovariate] } else { weight = w }
            if let e = Plausibility.check(weight, "a body weight", unit: "kg", range: options.doseBounds?.bodyWeight,
                                          setting: "DoseBounds.bodyWeight", nonNegative: true, at: location(covariateFields[weightCovariate])) {
                try fail(e)
                return
            }
        }
        amount = amount * amtFactor * weight
        if !amount.isFinite {
            try fail(.implausibleValue(location(cAMT), quantity: "a dose amount", value: amount, unit: amtUnit.symbol,
                                       plausible: options.doseBounds?.range(for: amtUnit.dimension) ?? 0...Double.greatestFiniteMagnitude,
                                       source: "the amount overflows after conversion to \(amtUnit.symbol)"))
            return
        }

        // Delivery
        var delivery = Delivery.bolus
        guard let rateRaw = try optional(cRate, "RATE: a rate > 0, 0, -1 (modelled rate) or -2 (modelled duration)") else { return }
        if let r = rateRaw {
            if r > 0 {
                let rate = r * amtFactor * weight / timeFactor   // AMT unit per TIME unit → canonical per hour
                guard rate.isFinite, rate > 0 else {
                    try fail(.implausibleValue(location(cRate), quantity: "an infusion rate", value: rate, unit: "\(amtUnit.symbol)/h",
                                               plausible: Double.leastNormalMagnitude...Double.greatestFiniteMagnitude,
                                               source: "a rate must be positive and finite after conversion"))
                    return
                }
                delivery = .infusion(rate: rate)
            } else if r == -1 {
                delivery = .modelledRate
            } else if r == -2 {
                delivery = .modelledDuration
            } else if r != 0 {
                try fail(.badValue(location(cRate), expected: "RATE > 0, 0, -1 (modelled rate) or -2 (modelled duration)", found: quoted(cRate)))
                return
            }
        }
        guard let durRaw = try optional(cDur, "a duration (a number)") else { return }
        if let d = durRaw, d != 0 {
            if d < 0 { try fail(.negativeAmount(location(cDur), found: d)); return }
            if delivery != .bolus {
                try fail(.badValue(location(cDur), expected: "either RATE or DUR for an infusion, not both", found: quoted(cDur)))
                return
            }
            if let e = Plausibility.check(d * timeFactor, "an infusion duration", unit: "h", range: options.doseBounds?.infusionDuration,
                                          setting: "DoseBounds.infusionDuration", nonNegative: true, at: location(cDur)) {
                try fail(e)
                return
            }
            delivery = .infusionOver(duration: d * timeFactor)
        }

        // Steady state, II, ADDL
        guard let ss = try integer(cSS, in: 0...2, "SS 0, 1 or 2") else { return }
        guard let iiRaw = try optional(cII, "an interdose interval (a number)") else { return }
        let ii = (iiRaw ?? 0) * timeFactor
        if ii < 0 { try fail(.negativeAmount(location(cII), found: iiRaw ?? 0)); return }
        if let e = Plausibility.check(ii, "a dosing interval (II)", unit: "h", range: options.doseBounds?.interval,
                                      setting: "DoseBounds.interval", nonNegative: true, at: location(cII)) {
            try fail(e)
            return
        }
        guard let addl = try integer(cADDL, in: 0...Int.max / 2, "ADDL: a whole number of additional doses ≥ 0") else { return }
        let additional = addl ?? 0
        if additional > options.limits.maximumAdditionalDoses {
            try fail(.limitExceeded(location(cADDL), limit: "ADDL \(additional)", maximum: options.limits.maximumAdditionalDoses))
            return
        }
        if additional > 0 && ii <= 0 {
            try fail(.badValue(location(cII), expected: "II > 0 when ADDL > 0", found: cII >= 0 ? quoted(cII) : "."))
            return
        }
        var steadyState: SteadyState?
        if let ss, ss > 0 {
            let isInfusion: Bool = { if case .infusion = delivery { return true } else { return false } }()
            if ii <= 0 && !isInfusion {
                try fail(.badValue(location(cII), expected: "II > 0 for a steady-state dose (SS \(ss))", found: cII >= 0 ? quoted(cII) : "."))
                return
            }
            steadyState = SteadyState(kind: ss == 1 ? .reset : .additive, interval: ii)
        }
        if amount == 0 && steadyState == nil {
            try fail(.doseWithoutAmount(location(cAMT)))
            return
        }
        if let bounds = options.doseBounds, amount > 0, let range = bounds.range(for: amtUnit.dimension), !range.contains(amount) {
            try fail(.implausibleDose(location(cAMT), amount: amount, unit: amtUnit.symbol, plausible: range))
            return
        }

        // Route, F, LAG, CMT
        var route = Route.unspecified
        if cRoute >= 0, !scanner.isMissing(fields[cRoute]) {
            guard let r = Route(parsing: scanner.text(fields[cRoute])) else {
                try fail(.badValue(location(cRoute), expected: "a route: iv, oral, sc, im or ev", found: quoted(cRoute)))
                return
            }
            route = r
        }
        guard let f = try optional(cF, "a bioavailable fraction (a number ≥ 0)") else { return }
        if let f, f < 0 { try fail(.negativeAmount(location(cF), found: f)); return }
        if let f, f > 1 {
            try fail(.implausibleValue(location(cF), quantity: "a bioavailable fraction", value: f, unit: "", plausible: 0...1,
                                       source: "a fraction of the dose lies between 0 and 1"))
            return
        }
        guard let lagRaw = try optional(cLag, "a lag time (a number)") else { return }
        if let lagRaw, lagRaw < 0 { try fail(.negativeAmount(location(cLag), found: lagRaw)); return }
        if let lagRaw, let e = Plausibility.check(lagRaw * timeFactor, "a lag time", unit: "h", range: options.doseBounds?.infusionDuration,
                                                  setting: "DoseBounds.infusionDuration", nonNegative: true, at: location(cLag)) {
            try fail(e)
            return
        }
        guard let cmt = try integer(cCMT, in: -9999...9999, "an integer compartment number") else { return }

        let dose = Dose(time: time, amount: amount, unit: amtUnit, route: route, delivery: delivery, compartment: cmt,
                        bioavailability: f, lag: lagRaw.map { $0 * timeFactor }, steadyState: steadyState, segment: current.segment)
        if additional > 0 {
            // Counted now, expanded when the whole file is known to fit (expandAdditionalDoses).
            try count(additional, at: location(cADDL))
            if let e = Plausibility.check(time + Double(additional) * ii, "the time of the last additional dose (TIME + ADDL × II)", unit: "h",
                                          range: options.doseBounds?.absoluteTime, setting: "DoseBounds.absoluteTime",
                                          nonNegative: false, at: location(cADDL)) {
                try fail(e)
                return
            }
            current.pending.append(Expansion(dose: current.doses.count, count: additional, interval: ii))
        }
        current.doses.append(dose)
    }
}

/// The additional doses of one II/ADDL row, expanded after the whole file is counted.
private struct Expansion {
    /// Index of the row's dose in its subject's doses.
    var dose: Int
    /// ADDL.
    var count: Int
    /// II, hours.
    var interval: Double
}

extension NONMEMParseState {
    /// Expands every II/ADDL row into its additional doses (each a copy of the row's dose at
    /// TIME + k·II, without SS) and sorts those subjects' doses by (segment, time), stably.
    /// Runs after the file is read and its event count is known to be within the budget, and
    /// reserves exactly what each subject needs.
    mutating func expandAdditionalDoses() {
        for (index, expansions) in pendingExpansions {
            let original = records[index].doses
            var extra = 0
            for e in expansions { extra += e.count }
            var doses: [Dose] = []
            doses.reserveCapacity(original.count + extra)
            doses.append(contentsOf: original)
            for e in expansions {
                var copy = original[e.dose]
                copy.steadyState = nil
                let start = copy.time
                for k in 1...e.count {
                    copy.time = start + Double(k) * e.interval
                    doses.append(copy)
                }
            }
            records[index].doses = []
            // Stable order by (segment, time): sort positions, then gather.
            var order = Array(doses.indices)
            order.sort { a, b in
                let x = doses[a], y = doses[b]
                if x.segment != y.segment { return x.segment < y.segment }
                if x.time != y.time { return x.time < y.time }
                return a < b
            }
            var sorted: [Dose] = []
            sorted.reserveCapacity(doses.count)
            for i in order { sorted.append(doses[i]) }
            records[index].doses = sorted
        }
        pendingExpansions = []
    }
}

/// A subject under construction.
private struct SubjectBuilder {
    let id: String
    let idBytes: [UInt8]
    var baseline: [Double?]
    var warnedVarying: [Int] = []
    var doses: [Dose] = []
    var observations: [Observation] = []
    var others: [OtherEvent] = []
    var resets: [Reset] = []
    var segment = 0
    var lastTime = -Double.infinity
    var failed = false
    var pending: [Expansion] = []
    /// Per covariate, one entry per run of equal values: the value and the last record (time,
    /// segment) of the run — all PREDPP's convention needs (``PatientRecord/covariates(at:segment:)``).
    var history: [[(time: Double, segment: Int, value: Double)]]

    init(id: String, idBytes: [UInt8], covariateCount: Int) {
        self.id = id
        self.idBytes = idBytes
        self.baseline = Array(repeating: nil, count: covariateCount)
        self.history = Array(repeating: [], count: covariateCount)
    }

    /// Notes covariate `k`'s value on a record at `time`: extends the current run when the value
    /// is unchanged (in the same segment), starts a new one otherwise.
    mutating func recordCovariate(_ k: Int, value: Double, time: Double) {
        if let last = history[k].last, last.value == value, last.segment == segment {
            history[k][history[k].count - 1].time = time
        } else {
            history[k].append((time, segment, value))
        }
    }
}

/// A stable sort (ties keep their order).
func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
    items.enumerated().sorted { a, b in
        if less(a.element, b.element) { return true }
        if less(b.element, a.element) { return false }
        return a.offset < b.offset
    }.map(\.element)
}
