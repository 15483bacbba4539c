import Foundation

/// Reads FHIR R4 JSON — a Bundle, a single resource, or an NDJSON bulk export (one resource per
/// line, possibly split over several files) — into ``PatientRecord``s.
///
/// - Patient gives the record ID (the resource id; names and identifiers are never read), SEX
///   (male 1, female 2) and AGE in years at the time origin (from `birthDate`).
/// - Observation gives covariates and observations by LOINC code (``LOINCMapping``); the value
///   is `valueQuantity.value` in the UCUM unit of `valueQuantity.code` (`unit` is display text
///   and is not trusted); `comparator` "<" marks a value below the limit of quantification.
/// - MedicationAdministration gives a dose actually given (`dosage.dose`, `dosage.route`,
///   `dosage.rateQuantity` or an `effectivePeriod` for an infusion).
/// - MedicationRequest gives a planned ``Regimen`` (source ``Regimen/Source/medicationRequest(id:)``),
///   kept apart from the doses given.
/// - Everything else is ignored, not an error.
///
/// Times become hours from ``FHIRReadOptions/origin``. Errors carry the file and the JSON path
/// (`entry[3].resource.valueQuantity.code`, or the NDJSON line).
///
/// ```swift
/// let report = try FHIRReader().read(contentsOf: [URL(fileURLWithPath: "patient-001.json")])
/// let record = report.cohort[0]                  // doses, glucose observations, WT, AGE, SEX
/// let orders = record.plannedRegimens            // from MedicationRequest
/// ```
public struct FHIRReader: Sendable {
    /// Origin, time zone, strictness and limits.
    public var options: FHIRReadOptions

    /// A reader with the given options.
    public init(options: FHIRReadOptions = FHIRReadOptions()) {
        self.options = options
    }

    /// Reads files (Bundles, single resources or NDJSON) as one document set: references may
    /// cross files, as in a bulk export's Patient.ndjson and Observation.ndjson.
    ///
    /// - Throws: ``RecordError/io(file:message:)``, ``RecordError/limitExceeded(_:limit:maximum:)``,
    ///   ``RecordError/malformed(_:message:)`` for a file that is not JSON, and in strict mode the
    ///   first record-level error.
    public func read(contentsOf urls: [URL]) throws(RecordError) -> ReadReport {
        var documents: [(data: Data, file: String)] = []
        var total = 0
        for url in urls {
            let name = url.lastPathComponent
            let data: Data
            do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
                throw .io(file: name, message: "cannot read the file: \(error.localizedDescription)")
            }
            total += data.count
            if total > options.read.limits.maximumBytes {
                throw .limitExceeded(RecordLocation(file: name), limit: "the input size (\(total) bytes)", maximum: options.read.limits.maximumBytes)
            }
            documents.append((data, name))
        }
        return try read(documents)
    }

    /// Reads one in-memory document.
    public func read(_ data: Data, file: String = "<input>") throws(RecordError) -> ReadReport {
        try read([(data, file)])
    }

    /// Reads in-memory documents as one set.
    public func read(_ documents: [(data: Data, file: String)]) throws(RecordError) -> ReadReport {
        var mapper = FHIRMapper(options: options)
        for document in documents {
            try mapper.collect(document.data, file: document.file)
        }
        return try mapper.finish()
    }
}

/// A resource with where it came from.
private struct Located<T> {
    var value: T
    var location: RecordLocation
}

private func at(_ base: RecordLocation, _ suffix: String, id: String? = nil) -> RecordLocation {
    var l = base
    let path = base.jsonPath ?? "$"
    l.jsonPath = suffix.isEmpty ? path : (suffix.hasPrefix("[") ? path + suffix : path + "." + suffix)
    if let id { l.recordID = id }
    return l
}

private struct PatientDraft {
    var id: String
    var location: RecordLocation
    var patient: FHIR.Patient
    var observations: [Located<FHIR.Observation>] = []
    var administrations: [Located<FHIR.MedicationAdministration>] = []
    var requests: [Located<FHIR.MedicationRequest>] = []
}

private struct FHIRMapper {
    let options: FHIRReadOptions
    var collector: ErrorCollector
    var patients: [PatientDraft] = []
    var patientIndex: [String: Int] = [:]
    var observations: [Located<FHIR.Observation>] = []
    var administrations: [Located<FHIR.MedicationAdministration>] = []
    var requests: [Located<FHIR.MedicationRequest>] = []
    var resourceCount = 0
    /// Where each "Type/id" was first seen.
    var resourceIDs: [String: RecordLocation] = [:]
    /// Events (observations, doses given, doses of orders) counted against the budget.
    var events: EventBudget
    /// References of patients with a resource that did not decode.
    var brokenReferences: Set<String> = []

    init(options: FHIRReadOptions) {
        self.options = options
        self.collector = ErrorCollector(strict: options.read.strict, maximum: options.read.limits.maximumReportedErrors,
                                        maximumWarnings: options.read.limits.maximumReportedWarnings)
        self.events = EventBudget(limit: options.read.limits.maximumEvents)
    }

    // MARK: Collecting resources

    mutating func collect(_ data: Data, file: String) throws(RecordError) {
        let limits = options.read.limits
        if data.count > limits.maximumBytes {
            throw .limitExceeded(RecordLocation(file: file), limit: "the input size (\(data.count) bytes)", maximum: limits.maximumBytes)
        }
        if let problem = data.withUnsafeBytes({ TextEncoding.problem($0, file: file) }) { throw problem }
        let decoder = JSONDecoder()
        // One JSON value: a Bundle or a single resource. Only the file size bounds it (a valid
        // minified document may be one long line).
        let whole: LenientBundle
        do {
            whole = try decoder.decode(LenientBundle.self, from: data)
        } catch {
            try collectLines(data, file: file, wholeFailure: error)
            return
        }
        let root = RecordLocation(file: file, jsonPath: "$")
        guard let type = whole.resourceType else {
            throw .missingColumn(root, column: "resourceType (\"Bundle\" or a resource type such as \"Patient\")")
        }
        if type == "Bundle" {
            for (i, entry) in whole.entries.enumerated() {
                let base = RecordLocation(file: file, jsonPath: "entry[\(i)].resource")
                guard let resource = entry.resource else {
                    collector.warn(RecordWarning(RecordLocation(file: file, jsonPath: "entry[\(i)]"), "Bundle entry without a resource (a request or response entry?); skipped"))
                    continue
                }
                try add(resource, fullUrl: entry.fullUrl, base: base)
            }
            return
        }
        guard FHIRResourceTypes.isKnown(type) else {
            throw .malformed(at(root, "resourceType"), message: FHIRResourceTypes.unknownMessage(type))
        }
        let single: LenientResource
        do { single = try decoder.decode(LenientResource.self, from: data) } catch {
            throw .malformed(root, message: describe(error).message)
        }
        try add(single.resource, fullUrl: nil, base: root)
    }

    /// Reads a document that is not one JSON value: NDJSON (one resource per line) when at least
    /// one line is a JSON object; otherwise the document's first syntax error, with its line and
    /// column. In NDJSON a bad line (not JSON, too long, not a resource) costs that line and the
    /// patient it names, not the file.
    mutating func collectLines(_ data: Data, file: String, wholeFailure: any Error) throws(RecordError) {
        let limits = options.read.limits
        enum Outcome {
            case resource(Result<FHIR.Resource, FHIRDecodeFailure>)
            case bundle(LenientBundle)
            case failure(RecordError)
        }
        var outcomes: [(line: Int, outcome: Outcome)] = []
        var anyObject = false
        let decoder = JSONDecoder()
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let n = raw.count
            var line = 0
            var start = 0
            while start < n {
                line += 1
                var end = start
                while end < n, raw[end] != 10 { end += 1 }
                let lineStart = start
                start = end < n ? end + 1 : n
                var first = lineStart
                while first < end, raw[first] == 32 || raw[first] == 9 || raw[first] == 13 { first += 1 }
                if first == end { continue }
                let location = RecordLocation(file: file, line: line, jsonPath: "$")
                if end - lineStart > limits.maximumLineBytes {
                    outcomes.append((line, .failure(.limitExceeded(location, limit: "the NDJSON line length (\(end - lineStart) bytes)",
                                                                   maximum: limits.maximumLineBytes))))
                    continue
                }
                let slice = UnsafeRawBufferPointer(rebasing: raw[lineStart..<end])
                do {
                    let resource = try decoder.decode(LenientResource.self, from: Data(slice))
                    if raw[first] == UInt8(ascii: "{") { anyObject = true }
                    if case .success(.other("Bundle")) = resource.resource, let bundle = try? decoder.decode(LenientBundle.self, from: Data(slice)) {
                        outcomes.append((line, .bundle(bundle)))       // a Bundle on one line: read its entries
                    } else {
                        outcomes.append((line, .resource(resource.resource)))
                    }
                } catch {
                    var here = location
                    var message = describe(error).message
                    if let syntax = JSONSyntax.firstError(slice) {
                        here.column = syntax.column
                        message = "not valid JSON: \(syntax.message)"
                    }
                    outcomes.append((line, .failure(.malformed(here, message: message))))
                }
            }
        }
        guard anyObject else {
            throw wholeDocumentError(data, file: file, wholeFailure)
        }
        for (line, outcome) in outcomes {
            switch outcome {
            case let .resource(resource):
                try add(resource, fullUrl: nil, base: RecordLocation(file: file, line: line, jsonPath: "$"))
            case let .bundle(bundle):
                for (i, entry) in bundle.entries.enumerated() {
                    guard let resource = entry.resource else {
                        collector.warn(RecordWarning(RecordLocation(file: file, line: line, jsonPath: "entry[\(i)]"), "Bundle entry without a resource (a request or response entry?); skipped"))
                        continue
                    }
                    try add(resource, fullUrl: entry.fullUrl, base: RecordLocation(file: file, line: line, jsonPath: "entry[\(i)].resource"))
                }
            case let .failure(error):
                try collector.record(error)
            }
        }
    }

    /// The error for a document that is neither one JSON value nor NDJSON: the first syntax
    /// error with its line and column, or the decoder's reason.
    func wholeDocumentError(_ data: Data, file: String, _ error: any Error) -> RecordError {
        let syntax = data.withUnsafeBytes { JSONSyntax.firstError($0) }
        if let syntax {
            return .malformed(RecordLocation(file: file, line: syntax.line, column: syntax.column),
                              message: "not valid JSON: \(syntax.message)")
        }
        let failure = describe(error)
        return .malformed(at(RecordLocation(file: file), failure.path), message: failure.message)
    }

    mutating func add(_ result: Result<FHIR.Resource, FHIRDecodeFailure>, fullUrl: String?, base: RecordLocation) throws(RecordError) {
        resourceCount += 1
        if resourceCount > options.read.limits.maximumResources {
            throw .limitExceeded(base, limit: "the number of resources", maximum: options.read.limits.maximumResources)
        }
        switch result {
        case let .failure(failure):
            // The decoder's path is from the document's root: the Bundle, or the NDJSON line.
            var location = base
            if !failure.path.isEmpty { location.jsonPath = base.jsonPath == "$" ? "$." + failure.path : failure.path }
            if let ref = failure.patientReference {
                brokenReferences.insert(ref)
                if let r = ref.split(separator: "/").last, ref.contains("Patient/") { location.recordID = String(r) }
            }
            try collector.record(.malformed(location, message: failure.message))
        case let .success(resource):
            // Ids are unique per resource type within a document set.
            if let (type, id) = resource.typeAndID, !id.isEmpty {
                let key = type + "/" + id
                if let first = resourceIDs[key] {
                    var location = at(base, "id")
                    if let patient = resource.patientReference {
                        brokenReferences.insert(patient)
                        location.recordID = patient.split(separator: "/").last.map(String.init)
                    }
                    try collector.record(.duplicateID(location, id: key, first: first))
                    return
                }
                resourceIDs[key] = base
            }
            switch resource {
            case let .patient(p):
                guard let id = p.id, !id.isEmpty else {
                    try collector.record(.missingColumn(at(base, ""), column: "id (a Patient needs a logical id to become a record)"))
                    return
                }
                let index = patients.count
                var location = base
                location.recordID = id
                patients.append(PatientDraft(id: id, location: location, patient: p))
                patientIndex["Patient/\(id)"] = index
                if let fullUrl { patientIndex[fullUrl] = index }
            case let .observation(o):
                try events.add(1, at: base)
                observations.append(Located(value: o, location: base))
            case let .medicationAdministration(m):
                try events.add(1, at: base)
                administrations.append(Located(value: m, location: base))
            case let .medicationRequest(m): requests.append(Located(value: m, location: base))
            case let .other(type):
                if !FHIRResourceTypes.isKnown(type) {
                    try collector.record(.malformed(at(base, "resourceType"), message: FHIRResourceTypes.unknownMessage(type)))
                }
            }
        }
    }

    func patient(for reference: FHIR.Reference?) -> Int? {
        guard let ref = reference?.reference else { return nil }
        if let i = patientIndex[ref] { return i }
        if let range = ref.range(of: "Patient/", options: .backwards) {
            let tail = "Patient/" + ref[range.upperBound...].split(separator: "/").first.map(String.init).orEmpty
            return patientIndex[tail]
        }
        return nil
    }

    /// Attaches each resource to its patient; an unresolved subject is an error.
    mutating func attach() throws(RecordError) {
        for o in observations {
            if let i = patient(for: o.value.subject) { patients[i].observations.append(o) } else {
                try collector.record(.unresolvedReference(at(o.location, "subject.reference"), reference: o.value.subject?.reference ?? "none"))
            }
        }
        for m in administrations {
            if let i = patient(for: m.value.subject) { patients[i].administrations.append(m) } else {
                try collector.record(.unresolvedReference(at(m.location, "subject.reference"), reference: m.value.subject?.reference ?? "none"))
            }
        }
        for m in requests {
            if let i = patient(for: m.value.subject) { patients[i].requests.append(m) } else {
                try collector.record(.unresolvedReference(at(m.location, "subject.reference"), reference: m.value.subject?.reference ?? "none"))
            }
        }
    }

    // MARK: Building records

    mutating func finish() throws(RecordError) -> ReadReport {
        try attach()
        var records: [PatientRecord] = []
        var rejected: [String] = []
        var brokenPatients = Set<Int>()
        for ref in brokenReferences {
            if let i = patient(for: FHIR.Reference(reference: ref)) { brokenPatients.insert(i) }
        }
        // The doses of the orders, counted before any patient's times are built: a document of
        // many long orders is refused before it costs memory.
        var probe = events
        for (index, draft) in patients.enumerated() where !brokenPatients.contains(index) {
            for m in draft.requests {
                if let status = m.value.status, ["cancelled", "entered-in-error", "stopped"].contains(status) { continue }
                for (k, dosage) in (m.value.dosageInstruction ?? []).enumerated() {
                    guard let count = dosage.timing?.repeat?.count, count >= 1 else { continue }
                    var location = at(m.location, "dosageInstruction[\(k)].timing.repeat")
                    location.recordID = draft.id
                    try probe.add(min(count, RegimenParser.maximumDosesPerItem), at: location,
                                  quantity: "the events of this document set (observations, doses given, and the doses of every order, counted before any is built)")
                }
            }
        }
        for (index, draft) in patients.enumerated() {
            if brokenPatients.contains(index) {
                rejected.append(draft.id)
                continue
            }
            var builder = RecordBuilder(draft: draft, options: options)
            let errorsBefore = collector.errors.count + collector.unreported
            try builder.build(&collector, &events)
            if builder.failed || collector.errors.count + collector.unreported > errorsBefore {
                rejected.append(draft.id)
            } else {
                records.append(builder.record)
            }
        }
        return ReadReport(cohort: Cohort(records), errors: collector.errors, unreportedErrorCount: collector.unreported,
                          warnings: collector.warnings, rejectedRecordIDs: rejected)
    }
}

extension Optional where Wrapped == String {
    fileprivate var orEmpty: String { self ?? "" }
}

/// Builds one patient's record from its resources.
private struct RecordBuilder {
    let draft: PatientDraft
    let options: FHIRReadOptions
    var record: PatientRecord
    var failed = false
    var covariateTimes: [String: Double] = [:]
    /// Every covariate value read, with its time in hours, for the covariate history.
    var covariateValues: [String: [(hours: Double, value: Double, unit: MeasurementUnit)]] = [:]

    init(draft: PatientDraft, options: FHIRReadOptions) {
        self.draft = draft
        self.options = options
        self.record = PatientRecord(id: draft.id)
    }

    var zone: TimeZone? {
        if case .explicit = options.origin { return options.timeZone }
        return nil
    }

    /// Seconds since 1970 for a FHIR date-time, or an error at `location`.
    mutating func instant(_ text: String, _ location: RecordLocation, _ collector: inout ErrorCollector) throws(RecordError) -> Double? {
        let parsed: FHIRDateTime
        do { parsed = try FHIRDateTime(parsing: text, location: location) } catch {
            failed = true
            try collector.record(error)
            return nil
        }
        if parsed.precision < .day {
            failed = true
            try collector.record(.ambiguousTime(location, found: text, reason: "it has no day; a dose or an observation needs a full date and time"))
            return nil
        }
        if let seconds = parsed.secondsSince1970(in: zone) { return seconds }
        failed = true
        let what = parsed.precision == .day ? "it is a date without a time" : "it has no time zone"
        try collector.record(.ambiguousTime(location, found: text,
                                            reason: "\(what); give an explicit origin and a time zone (FHIRReadOptions.origin = .explicit(…), timeZone), or write the zone (Z or ±hh:mm)"))
        return nil
    }

    mutating func fail(_ error: RecordError, _ collector: inout ErrorCollector) throws(RecordError) {
        failed = true
        try collector.record(error)
    }

    /// The unit of a quantity from its UCUM code.
    mutating func unit(of quantity: FHIR.Quantity, _ location: RecordLocation, _ collector: inout ErrorCollector) throws(RecordError) -> MeasurementUnit? {
        guard let code = quantity.code, !code.isEmpty else {
            let display = quantity.unit.map { "none (the display text is '\($0)')" } ?? "none"
            try fail(.badValue(at(location, "code"), expected: "a UCUM unit code in code (unit is display text only)", found: display), &collector)
            return nil
        }
        guard let unit = MeasurementUnit.lookup(code) else {
            try fail(.unknownUnit(at(location, "code"), unit: code, known: MeasurementUnit.knownSymbols), &collector)
            return nil
        }
        return unit
    }

    mutating func build(_ collector: inout ErrorCollector, _ events: inout EventBudget) throws(RecordError) {
        // 1. Absolute times of every event.
        var observationTimes: [Double?] = []
        for o in draft.observations {
            let v = o.value
            if let text = v.effectiveDateTime ?? v.effectiveInstant ?? v.effectivePeriod?.start {
                let member = v.effectiveDateTime != nil ? "effectiveDateTime" : (v.effectiveInstant != nil ? "effectiveInstant" : "effectivePeriod.start")
                observationTimes.append(try instant(text, at(o.location, member, id: draft.id), &collector))
            } else {
                try fail(.missingColumn(at(o.location, "effectiveDateTime", id: draft.id), column: "effectiveDateTime"), &collector)
                observationTimes.append(nil)
            }
        }
        var administrationTimes: [(start: Double, end: Double?)?] = []
        for m in draft.administrations {
            let v = m.value
            if let text = v.effectiveDateTime {
                administrationTimes.append(try instant(text, at(m.location, "effectiveDateTime", id: draft.id), &collector).map { ($0, nil) })
            } else if let start = v.effectivePeriod?.start {
                let s = try instant(start, at(m.location, "effectivePeriod.start", id: draft.id), &collector)
                var e: Double?
                if let end = v.effectivePeriod?.end { e = try instant(end, at(m.location, "effectivePeriod.end", id: draft.id), &collector) }
                administrationTimes.append(s.map { ($0, e) })
            } else {
                try fail(.missingColumn(at(m.location, "effectiveDateTime", id: draft.id), column: "effectiveDateTime or effectivePeriod"), &collector)
                administrationTimes.append(nil)
            }
        }
        if failed { return }

        // 2. The origin.
        var origin: Double?
        switch options.origin {
        case let .explicit(dt):
            origin = dt.secondsSince1970(in: options.timeZone)
            if origin == nil {
                try fail(.ambiguousTime(RecordLocation(file: "FHIRReadOptions.origin"), found: "\(dt.year)-\(dt.month)-\(dt.day)",
                                        reason: "the origin needs a time zone: write it with Z or ±hh:mm, or set timeZone"), &collector)
                return
            }
        case .firstDose:
            origin = administrationTimes.compactMap { $0?.start }.min() ?? observationTimes.compactMap { $0 }.min()
        }
        let hours: (Double) -> Double = { ($0 - (origin ?? 0)) / 3600 }

        // 3. Patient: sex and age.
        if let gender = draft.patient.gender {
            switch gender {
            case "male": record.covariates[CovariateName.sex] = Covariate(value: 1)
            case "female": record.covariates[CovariateName.sex] = Covariate(value: 2)
            default: break
            }
        }
        if let birth = draft.patient.birthDate, let origin {
            // A birth date identifies a person: messages describe it but never quote it.
            let location = at(draft.location, "birthDate")
            if let parsed = try? FHIRDateTime(parsing: birth, location: location) {
                if parsed.precision < .day {
                    try fail(.ambiguousTime(location, found: "(a birth date without a day, withheld)", reason: "AGE needs a full date (YYYY-MM-DD)"), &collector)
                } else if let seconds = parsed.secondsSince1970(in: TimeZone(secondsFromGMT: 0)) {
                    record.covariates[CovariateName.age] = Covariate(value: (origin - seconds) / 3600 / MeasurementUnit.year.factor, unit: .year)
                }
            } else {
                try fail(.badValue(location, expected: "a FHIR date (YYYY-MM-DD)", found: "(a malformed birth date, withheld)"), &collector)
            }
        }

        // 4. Observations.
        for (k, o) in draft.observations.enumerated() {
            guard let t = observationTimes[k] else { continue }
            try observation(o, time: t, hours: hours(t), &collector)
        }
        record.observations = stableSorted(record.observations) { $0.time < $1.time }
        record.covariateHistory = Self.history(covariateValues)

        // 5. Doses given.
        for (k, m) in draft.administrations.enumerated() {
            guard let t = administrationTimes[k] else { continue }
            try administration(m, start: hours(t.start), end: t.end.map(hours), &collector)
        }
        record.doses = stableSorted(record.doses) { $0.time < $1.time }

        // 6. Orders: planned regimens.
        for m in draft.requests {
            try request(m, hours: hours, &collector, &events)
        }
    }

    /// The history of each covariate measured more than once with different values: the
    /// measurements in time order, a run of equal values kept as its last measurement — each
    /// Observation counts as a record under NONMEM's PREDPP convention (``TimedCovariate``).
    static func history(_ values: [String: [(hours: Double, value: Double, unit: MeasurementUnit)]]) -> [String: [TimedCovariate]] {
        var result: [String: [TimedCovariate]] = [:]
        for (name, list) in values {
            let sorted = stableSorted(list) { $0.hours < $1.hours }
            var entries: [TimedCovariate] = []
            for item in sorted {
                if let last = entries.last, last.value == item.value {
                    entries[entries.count - 1].time = item.hours
                } else {
                    entries.append(TimedCovariate(time: item.hours, value: item.value, unit: item.unit))
                }
            }
            if entries.count > 1 { result[name] = entries }
        }
        return result
    }

    mutating func observation(_ o: Located<FHIR.Observation>, time: Double, hours: Double, _ collector: inout ErrorCollector) throws(RecordError) {
        let v = o.value
        var base = o.location
        base.recordID = draft.id
        if let status = v.status, ["entered-in-error", "cancelled"].contains(status) { return }
        let codings = v.code?.coding ?? []
        let own = codings.first { $0.system == FHIRWriter.quantitySystem }?.code
        let loinc = codings.first { $0.system == "http://loinc.org" } ?? codings.first { $0.system == nil }
        let code = loinc?.code
        let mapping = own == nil ? code.flatMap(LOINCMapping.forCode) : nil
        guard let quantity = v.valueQuantity else {
            if v.dataAbsentReason != nil || mapping == nil {
                return      // no value, and either said why or not one we use: nothing to read
            }
            try fail(.observationWithoutValue(at(base, "valueQuantity")), &collector)
            return
        }
        guard let value = quantity.value else {
            try fail(.observationWithoutValue(at(base, "valueQuantity.value")), &collector)
            return
        }
        guard value.isFinite else {
            try fail(.badValue(at(base, "valueQuantity.value"), expected: "a finite number", found: value.description), &collector)
            return
        }
        if mapping == nil, own == nil, quantity.code.flatMap(MeasurementUnit.lookup) == nil {
            collector.warn(RecordWarning(at(base, "code"), "Observation with LOINC \(code ?? "none") and unit '\(quantity.code ?? quantity.unit ?? "none")' is not one MedTwin reads; skipped"))
            return
        }
        let quantityLocation = at(base, "valueQuantity")
        guard let unit = try unit(of: quantity, quantityLocation, &collector) else { return }
        let censored = quantity.comparator == "<" || quantity.comparator == "<="

        if let mapping, let name = mapping.covariateName, let storage = mapping.covariateUnit {
            guard let factor = unit.factor(to: storage, substance: mapping.substance) else {
                try fail(.incompatibleUnit(at(quantityLocation, "code"), unit: unit.symbol, expected: "a unit convertible to \(storage.symbol) for \(name)"), &collector)
                return
            }
            if name == CovariateName.weight,
               let e = Plausibility.check(value * factor, "a body weight", unit: "kg", range: options.read.doseBounds?.bodyWeight,
                                          setting: "DoseBounds.bodyWeight", nonNegative: true, at: at(quantityLocation, "value")) {
                try fail(e, &collector)
                return
            }
            guard (value * factor).isFinite else {
                try fail(.implausibleValue(at(quantityLocation, "value"), quantity: "covariate \(name)", value: value * factor, unit: storage.symbol,
                                           plausible: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                           source: "a value must stay finite after conversion to \(storage.symbol)"), &collector)
                return
            }
            covariateValues[name, default: []].append((hours, value * factor, storage))
            if covariateTimes[name].map({ time < $0 }) ?? true {
                covariateTimes[name] = time
                record.covariates[name] = Covariate(value: value * factor, unit: storage)
            }
        }
        let quantityName: String
        let storage: MeasurementUnit
        if let mapping {
            guard let q = mapping.observationQuantity, let u = mapping.observationUnit else { return }
            quantityName = q
            storage = u
        } else {
            quantityName = own ?? code.map { "loinc:\($0)" } ?? "unknown"
            storage = unit.dimension.canonicalUnit
        }
        guard let factor = unit.factor(to: storage, substance: mapping?.substance) else {
            try fail(.incompatibleUnit(at(quantityLocation, "code"), unit: unit.symbol,
                                       expected: "a unit convertible to \(storage.symbol) for \(quantityName)"), &collector)
            return
        }
        let converted = value * factor
        guard converted.isFinite else {
            try fail(.implausibleValue(at(quantityLocation, "value"), quantity: "an observed value", value: converted, unit: storage.symbol,
                                       plausible: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                       source: "a value must stay finite after conversion to \(storage.symbol)"), &collector)
            return
        }
        record.observations.append(Observation(time: hours, quantity: quantityName, value: converted, unit: storage,
                                               lowerLimitOfQuantification: censored ? converted : nil, isCensored: censored))
    }

    func route(_ concept: FHIR.CodeableConcept?) -> Route {
        for coding in concept?.coding ?? [] {
            if let code = coding.code, let r = Route(snomedCode: code) ?? Route(parsing: code) { return r }
            if let display = coding.display, let r = Route(parsing: display) { return r }
        }
        if let text = concept?.text, let r = Route(parsing: text) { return r }
        return .unspecified
    }

    /// A dose amount in canonical units (per-weight doses multiplied by WT).
    mutating func amount(_ q: FHIR.Quantity?, _ location: RecordLocation, _ collector: inout ErrorCollector) throws(RecordError) -> (Double, MeasurementUnit)? {
        guard let q, let value = q.value else {
            try fail(.doseWithoutAmount(location), &collector)
            return nil
        }
        if value < 0 {
            try fail(.negativeAmount(at(location, "value"), found: value), &collector)
            return nil
        }
        guard let unit = try unit(of: q, location, &collector) else { return nil }
        guard unit.dimension.isDoseAmount else {
            try fail(.incompatibleUnit(at(location, "code"), unit: unit.symbol, expected: "a dose unit (mg, µg, U, mg/kg)"), &collector)
            return nil
        }
        var amount = value * unit.factor
        var canonical = unit.dimension.canonicalUnit
        if let resolved = unit.resolvingPerWeight() {
            guard let weight = record.weight else {
                try fail(.badValue(at(location, "code"), expected: "a body weight Observation (LOINC 29463-7) for a dose in \(unit.symbol)", found: "none"), &collector)
                return nil
            }
            if let e = Plausibility.check(weight, "a body weight (for a dose in \(unit.symbol))", unit: "kg", range: options.read.doseBounds?.bodyWeight,
                                          setting: "DoseBounds.bodyWeight", nonNegative: true, at: at(location, "code")) {
                try fail(e, &collector)
                return nil
            }
            amount *= weight
            canonical = resolved
        }
        if let e = Plausibility.checkDose(amount, unit: canonical, bounds: options.read.doseBounds, at: at(location, "value")) {
            try fail(e, &collector)
            return nil
        }
        return (amount, canonical)
    }

    mutating func administration(_ m: Located<FHIR.MedicationAdministration>, start: Double, end: Double?, _ collector: inout ErrorCollector) throws(RecordError) {
        let v = m.value
        var base = m.location
        base.recordID = draft.id
        if let status = v.status, ["not-done", "entered-in-error"].contains(status) { return }
        guard let (amount, unit) = try amount(v.dosage?.dose, at(base, "dosage.dose"), &collector) else { return }
        if amount == 0 {
            try fail(.doseWithoutAmount(at(base, "dosage.dose.value")), &collector)
            return
        }
        if let bounds = options.read.doseBounds, let range = bounds.range(for: unit.dimension), !range.contains(amount) {
            try fail(.implausibleDose(at(base, "dosage.dose.value"), amount: amount, unit: unit.symbol, plausible: range), &collector)
            return
        }
        if let end, end > start,
           let e = Plausibility.check(end - start, "an infusion duration (effectivePeriod)", unit: "h", range: options.read.doseBounds?.infusionDuration,
                                      setting: "DoseBounds.infusionDuration", nonNegative: true, at: at(base, "effectivePeriod")) {
            try fail(e, &collector)
            return
        }
        var delivery = Delivery.bolus
        if let rate = v.dosage?.rateQuantity {
            let location = at(base, "dosage.rateQuantity")
            guard let r = rate.value, r > 0 else {
                try fail(.badValue(at(location, "value"), expected: "a rate > 0", found: rate.value.map(formatNumber) ?? "none"), &collector)
                return
            }
            guard let rateUnit = try self.unit(of: rate, location, &collector) else { return }
            guard let target = unit.dimension.rateDimension, let factor = rateUnit.factor(to: target.canonicalUnit) else {
                try fail(.incompatibleUnit(at(location, "code"), unit: rateUnit.symbol, expected: "a rate in \(unit.symbol) per time (\(unit.symbol)/h)"), &collector)
                return
            }
            guard (r * factor).isFinite else {
                try fail(.implausibleValue(at(location, "value"), quantity: "an infusion rate", value: r * factor, unit: target.canonicalSymbol,
                                           plausible: Double.leastNormalMagnitude...Double.greatestFiniteMagnitude,
                                           source: "a rate must be positive and finite after conversion"), &collector)
                return
            }
            delivery = .infusion(rate: r * factor)
        } else if let end, end > start {
            delivery = .infusionOver(duration: end - start)
        } else if let end, end < start {
            try fail(.timeWentBackwards(at(base, "effectivePeriod.end"), previous: start, found: end), &collector)
            return
        }
        record.doses.append(Dose(time: start, amount: amount, unit: unit, route: route(v.dosage?.route), delivery: delivery))
    }

    mutating func request(_ m: Located<FHIR.MedicationRequest>, hours: (Double) -> Double, _ collector: inout ErrorCollector,
                          _ events: inout EventBudget) throws(RecordError) {
        let v = m.value
        var base = m.location
        base.recordID = draft.id
        if let status = v.status, ["cancelled", "entered-in-error", "stopped"].contains(status) { return }
        var items: [RegimenItem] = []
        for (k, dosage) in (v.dosageInstruction ?? []).enumerated() {
            let here = at(base, "dosageInstruction[\(k)]")
            guard let (amount, unit) = try amount(dosage.doseAndRate?.first?.doseQuantity, at(here, "doseAndRate[0].doseQuantity"), &collector) else { return }
            let rep = dosage.timing?.repeat
            var start = 0.0
            if let text = rep?.boundsPeriod?.start ?? v.authoredOn {
                let member = rep?.boundsPeriod?.start != nil ? "dosageInstruction[\(k)].timing.repeat.boundsPeriod.start" : "authoredOn"
                guard let s = try instant(text, at(base, member), &collector) else { return }
                start = hours(s)
            }
            var times = [start]
            if let rep, let period = rep.period {
                let repLocation = at(here, "timing.repeat")
                let unitSeconds: [String: Double] = ["s": 1, "min": 60, "h": 3600, "d": 86_400, "wk": 604_800]
                guard let seconds = rep.periodUnit.flatMap({ unitSeconds[$0] }) else {
                    try fail(.badValue(at(repLocation, "periodUnit"), expected: "a period unit s, min, h, d or wk", found: rep.periodUnit ?? "none"), &collector)
                    return
                }
                let frequency = max(rep.frequency ?? 1, 1)
                let interval = period * seconds / 3600 / Double(frequency)
                guard interval > 0, interval.isFinite else {
                    try fail(.badValue(at(repLocation, "period"), expected: "a period > 0", found: formatNumber(period)), &collector)
                    return
                }
                if let e = Plausibility.check(interval, "a dosing interval (period ÷ frequency)", unit: "h", range: options.read.doseBounds?.interval,
                                              setting: "DoseBounds.interval", nonNegative: true, at: at(repLocation, "period")) {
                    try fail(e, &collector)
                    return
                }
                var count: Double
                if let c = rep.count {
                    count = Double(c)
                } else if let d = rep.boundsDuration, let value = d.value, let u = d.code.flatMap(MeasurementUnit.lookup) ?? d.unit.flatMap(MeasurementUnit.lookup), u.dimension == .time {
                    count = (value * u.factor / interval).rounded(.up)
                } else if let endText = rep.boundsPeriod?.end {
                    guard let e = try instant(endText, at(repLocation, "boundsPeriod.end"), &collector) else { return }
                    count = ((hours(e) - start) / interval).rounded(.up)
                } else {
                    try fail(.missingColumn(repLocation, column: "count, boundsDuration or boundsPeriod.end (an order needs an end to be simulated)"), &collector)
                    return
                }
                guard count >= 1, count <= Double(RegimenParser.maximumDosesPerItem) else {
                    try fail(.limitExceeded(repLocation, limit: "the number of ordered doses (\(formatNumber(count)))", maximum: RegimenParser.maximumDosesPerItem), &collector)
                    return
                }
                // Counted against the document's event budget before the times are built.
                try events.add(Int(count), at: repLocation)
                times = (0..<Int(count)).map { start + Double($0) * interval }
                if rep.timeOfDay != nil {
                    collector.warn(RecordWarning(at(repLocation, "timeOfDay"), "timeOfDay is not read; the doses are spaced evenly from the start"))
                }
            }
            if times.count == 1 { try events.add(1, at: here) }
            items.append(.doses(DoseSchedule(amount: amount, unit: unit, route: route(dosage.route), times: times)))
        }
        if items.isEmpty {
            try fail(.missingColumn(at(base, "dosageInstruction"), column: "dosageInstruction"), &collector)
            return
        }
        record.plannedRegimens.append(Regimen(items: items, source: .medicationRequest(id: v.id ?? "")))
    }
}
