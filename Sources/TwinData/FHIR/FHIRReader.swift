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
    /// References of patients with a resource that did not decode.
    var brokenReferences: Set<String> = []

    init(options: FHIRReadOptions) {
        self.options = options
        self.collector = ErrorCollector(strict: options.read.strict, maximum: options.read.limits.maximumReportedErrors,
                                        maximumWarnings: options.read.limits.maximumReportedWarnings)
    }

    // MARK: Collecting resources

    mutating func collect(_ data: Data, file: String) throws(RecordError) {
        let limits = options.read.limits
        if data.count > limits.maximumBytes {
            throw .limitExceeded(RecordLocation(file: file), limit: "the input size (\(data.count) bytes)", maximum: limits.maximumBytes)
        }
        let decoder = JSONDecoder()
        // A Bundle or a single resource?
        do {
            let bundle = try decoder.decode(LenientBundle.self, from: data)
            if bundle.resourceType == "Bundle" {
                for (i, entry) in bundle.entries.enumerated() {
                    let base = RecordLocation(file: file, jsonPath: "entry[\(i)].resource")
                    guard let resource = entry.resource else { continue }
                    try add(resource, fullUrl: entry.fullUrl, base: base)
                }
                return
            }
            let single = try decoder.decode(LenientResource.self, from: data)
            try add(single.resource, fullUrl: nil, base: RecordLocation(file: file, jsonPath: "$"))
            return
        } catch let error as RecordError {
            throw error
        } catch {
            // Not one JSON value: try NDJSON below, unless the first line is not JSON either.
            let wholeFailure = describe(error)
            var line = 0
            var start = data.startIndex
            var sawResource = false
            while start < data.endIndex {
                line += 1
                let end = data[start...].firstIndex(of: 10) ?? data.endIndex
                let lineData = data[start..<end]
                start = end < data.endIndex ? end + 1 : end
                if lineData.count > limits.maximumLineBytes {
                    throw .limitExceeded(RecordLocation(file: file, line: line), limit: "the line length", maximum: limits.maximumLineBytes)
                }
                if lineData.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                let base = RecordLocation(file: file, line: line, jsonPath: "$")
                do {
                    let resource = try decoder.decode(LenientResource.self, from: Data(lineData))
                    try add(resource.resource, fullUrl: nil, base: base)
                    sawResource = true
                } catch let error as RecordError {
                    throw error
                } catch {
                    if !sawResource {
                        throw .malformed(at(RecordLocation(file: file), wholeFailure.path), message: wholeFailure.message)
                    }
                    let failure = describe(error)
                    try collector.record(.malformed(at(base, failure.path), message: failure.message))
                }
            }
            if !sawResource {
                throw .malformed(at(RecordLocation(file: file), wholeFailure.path), message: wholeFailure.message)
            }
        }
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
            case let .observation(o): observations.append(Located(value: o, location: base))
            case let .medicationAdministration(m): administrations.append(Located(value: m, location: base))
            case let .medicationRequest(m): requests.append(Located(value: m, location: base))
            case .other: break
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
        for (index, draft) in patients.enumerated() {
            if brokenPatients.contains(index) {
                rejected.append(draft.id)
                continue
            }
            var builder = RecordBuilder(draft: draft, options: options)
            let errorsBefore = collector.errors.count + collector.unreported
            try builder.build(&collector)
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

    mutating func build(_ collector: inout ErrorCollector) throws(RecordError) {
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

        // 5. Doses given.
        for (k, m) in draft.administrations.enumerated() {
            guard let t = administrationTimes[k] else { continue }
            try administration(m, start: hours(t.start), end: t.end.map(hours), &collector)
        }
        record.doses = stableSorted(record.doses) { $0.time < $1.time }

        // 6. Orders: planned regimens.
        for m in draft.requests {
            try request(m, hours: hours, &collector)
        }
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
        if value < 0 || !value.isFinite {
            try fail(.negativeAmount(at(location, "value"), found: value), &collector)
            return nil
        }
        guard let unit = try unit(of: q, location, &collector) else { return nil }
        guard unit.dimension.isDoseAmount else {
            try fail(.incompatibleUnit(at(location, "code"), unit: unit.symbol, expected: "a dose unit (mg, µg, U, mg/kg)"), &collector)
            return nil
        }
        if let resolved = unit.resolvingPerWeight() {
            guard let weight = record.weight else {
                try fail(.badValue(at(location, "code"), expected: "a body weight Observation (LOINC 29463-7) for a dose in \(unit.symbol)", found: "none"), &collector)
                return nil
            }
            return (value * unit.factor * weight, resolved)
        }
        return (value * unit.factor, unit.dimension.canonicalUnit)
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
            delivery = .infusion(rate: r * factor)
        } else if let end, end > start {
            delivery = .infusionOver(duration: end - start)
        } else if let end, end < start {
            try fail(.timeWentBackwards(at(base, "effectivePeriod.end"), previous: start, found: end), &collector)
            return
        }
        record.doses.append(Dose(time: start, amount: amount, unit: unit, route: route(v.dosage?.route), delivery: delivery))
    }

    mutating func request(_ m: Located<FHIR.MedicationRequest>, hours: (Double) -> Double, _ collector: inout ErrorCollector) throws(RecordError) {
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
                times = (0..<Int(count)).map { start + Double($0) * interval }
                if rep.timeOfDay != nil {
                    collector.warn(RecordWarning(at(repLocation, "timeOfDay"), "timeOfDay is not read; the doses are spaced evenly from the start"))
                }
            }
            items.append(.doses(DoseSchedule(amount: amount, unit: unit, route: route(dosage.route), times: times)))
        }
        if items.isEmpty {
            try fail(.missingColumn(at(base, "dosageInstruction"), column: "dosageInstruction"), &collector)
            return
        }
        record.plannedRegimens.append(Regimen(items: items, source: .medicationRequest(id: v.id ?? "")))
    }
}
