/// Codable models for the subset of FHIR R4 that MedTwin reads: Patient (birthDate, gender),
/// Observation (code, subject, effective time, valueQuantity), MedicationAdministration (doses
/// given) and MedicationRequest (orders). Every other member of a resource is ignored, as are
/// other resource types. Names, addresses and identifiers are deliberately not modelled.
public enum FHIR {
    /// A coding: a code from a code system (LOINC, SNOMED CT, UCUM).
    public struct Coding: Codable, Hashable, Sendable {
        public var system: String?
        public var code: String?
        public var display: String?
        public init(system: String? = nil, code: String? = nil, display: String? = nil) {
            self.system = system; self.code = code; self.display = display
        }
    }

    /// A concept given by codings and/or text.
    public struct CodeableConcept: Codable, Hashable, Sendable {
        public var coding: [Coding]?
        public var text: String?
        public init(coding: [Coding]? = nil, text: String? = nil) { self.coding = coding; self.text = text }
    }

    /// A reference to another resource ("Patient/123", "urn:uuid:…").
    public struct Reference: Codable, Hashable, Sendable {
        public var reference: String?
        public init(reference: String? = nil) { self.reference = reference }
    }

    /// A measured amount. The UCUM unit is in `code` (with `system` http://unitsofmeasure.org);
    /// `unit` is display text only. `comparator` "<" marks a value below a limit.
    public struct Quantity: Codable, Hashable, Sendable {
        public var value: Double?
        public var comparator: String?
        public var unit: String?
        public var system: String?
        public var code: String?
        public init(value: Double? = nil, comparator: String? = nil, unit: String? = nil, system: String? = nil, code: String? = nil) {
            self.value = value; self.comparator = comparator; self.unit = unit; self.system = system; self.code = code
        }
    }

    /// A time span.
    public struct Period: Codable, Hashable, Sendable {
        public var start: String?
        public var end: String?
        public init(start: String? = nil, end: String? = nil) { self.start = start; self.end = end }
    }

    /// Patient: only the birth date and administrative gender are read.
    public struct Patient: Codable, Hashable, Sendable {
        public var resourceType: String = "Patient"
        public var id: String?
        public var birthDate: String?
        public var gender: String?
        public init(id: String?, birthDate: String? = nil, gender: String? = nil) {
            self.id = id; self.birthDate = birthDate; self.gender = gender
        }
    }

    /// Observation: a vital sign or a laboratory value.
    public struct Observation: Codable, Hashable, Sendable {
        public var resourceType: String = "Observation"
        public var id: String?
        public var status: String?
        public var code: CodeableConcept?
        public var subject: Reference?
        public var effectiveDateTime: String?
        public var effectiveInstant: String?
        public var effectivePeriod: Period?
        public var valueQuantity: Quantity?
        public var dataAbsentReason: CodeableConcept?
        public init(id: String? = nil, status: String? = "final", code: CodeableConcept?, subject: Reference?,
                    effectiveDateTime: String?, valueQuantity: Quantity?) {
            self.id = id; self.status = status; self.code = code; self.subject = subject
            self.effectiveDateTime = effectiveDateTime; self.valueQuantity = valueQuantity
        }
    }

    /// The dosage of a MedicationAdministration.
    public struct AdministrationDosage: Codable, Hashable, Sendable {
        public var route: CodeableConcept?
        public var dose: Quantity?
        public var rateQuantity: Quantity?
        public init(route: CodeableConcept? = nil, dose: Quantity?, rateQuantity: Quantity? = nil) {
            self.route = route; self.dose = dose; self.rateQuantity = rateQuantity
        }
    }

    /// MedicationAdministration: a dose given.
    public struct MedicationAdministration: Codable, Hashable, Sendable {
        public var resourceType: String = "MedicationAdministration"
        public var id: String?
        public var status: String?
        public var medicationCodeableConcept: CodeableConcept?
        public var subject: Reference?
        public var effectiveDateTime: String?
        public var effectivePeriod: Period?
        public var dosage: AdministrationDosage?
        public init(id: String? = nil, status: String? = "completed", medicationCodeableConcept: CodeableConcept? = nil,
                    subject: Reference?, effectiveDateTime: String? = nil, effectivePeriod: Period? = nil, dosage: AdministrationDosage?) {
            self.id = id; self.status = status; self.medicationCodeableConcept = medicationCodeableConcept
            self.subject = subject; self.effectiveDateTime = effectiveDateTime; self.effectivePeriod = effectivePeriod
            self.dosage = dosage
        }
    }

    /// Timing.repeat of a dosage instruction.
    public struct TimingRepeat: Codable, Hashable, Sendable {
        public var boundsDuration: Quantity?
        public var boundsPeriod: Period?
        public var count: Int?
        public var frequency: Int?
        public var period: Double?
        public var periodUnit: String?
        public var timeOfDay: [String]?
        public init(boundsDuration: Quantity? = nil, boundsPeriod: Period? = nil, count: Int? = nil, frequency: Int? = nil,
                    period: Double? = nil, periodUnit: String? = nil, timeOfDay: [String]? = nil) {
            self.boundsDuration = boundsDuration; self.boundsPeriod = boundsPeriod; self.count = count
            self.frequency = frequency; self.period = period; self.periodUnit = periodUnit; self.timeOfDay = timeOfDay
        }
    }

    /// Timing of a dosage instruction.
    public struct Timing: Codable, Hashable, Sendable {
        public var `repeat`: TimingRepeat?
        public init(repeat: TimingRepeat?) { self.repeat = `repeat` }
    }

    /// Dose and rate of a dosage instruction.
    public struct DoseAndRate: Codable, Hashable, Sendable {
        public var doseQuantity: Quantity?
        public var rateQuantity: Quantity?
        public init(doseQuantity: Quantity?, rateQuantity: Quantity? = nil) { self.doseQuantity = doseQuantity; self.rateQuantity = rateQuantity }
    }

    /// A dosage instruction of a MedicationRequest.
    public struct Dosage: Codable, Hashable, Sendable {
        public var timing: Timing?
        public var route: CodeableConcept?
        public var doseAndRate: [DoseAndRate]?
        public init(timing: Timing?, route: CodeableConcept? = nil, doseAndRate: [DoseAndRate]?) {
            self.timing = timing; self.route = route; self.doseAndRate = doseAndRate
        }
    }

    /// MedicationRequest: an order, read as a planned ``Regimen``.
    public struct MedicationRequest: Codable, Hashable, Sendable {
        public var resourceType: String = "MedicationRequest"
        public var id: String?
        public var status: String?
        public var intent: String?
        public var medicationCodeableConcept: CodeableConcept?
        public var subject: Reference?
        public var authoredOn: String?
        public var dosageInstruction: [Dosage]?
        public init(id: String? = nil, status: String? = "active", intent: String? = "order", subject: Reference?,
                    authoredOn: String? = nil, dosageInstruction: [Dosage]?) {
            self.id = id; self.status = status; self.intent = intent; self.subject = subject
            self.authoredOn = authoredOn; self.dosageInstruction = dosageInstruction
        }
    }

    /// One of the resources MedTwin reads, or another type (kept only by name, ignored).
    public enum Resource: Codable, Hashable, Sendable {
        case patient(Patient)
        case observation(Observation)
        case medicationAdministration(MedicationAdministration)
        case medicationRequest(MedicationRequest)
        case other(resourceType: String)

        private enum Key: String, CodingKey { case resourceType }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            let type = try container.decode(String.self, forKey: .resourceType)
            switch type {
            case "Patient": self = .patient(try Patient(from: decoder))
            case "Observation": self = .observation(try Observation(from: decoder))
            case "MedicationAdministration": self = .medicationAdministration(try MedicationAdministration(from: decoder))
            case "MedicationRequest": self = .medicationRequest(try MedicationRequest(from: decoder))
            default: self = .other(resourceType: type)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case let .patient(r): try r.encode(to: encoder)
            case let .observation(r): try r.encode(to: encoder)
            case let .medicationAdministration(r): try r.encode(to: encoder)
            case let .medicationRequest(r): try r.encode(to: encoder)
            case let .other(type):
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(type, forKey: .resourceType)
            }
        }
    }

    /// A Bundle entry.
    public struct BundleEntry: Codable, Hashable, Sendable {
        public var fullUrl: String?
        public var resource: Resource?
        public init(fullUrl: String? = nil, resource: Resource?) { self.fullUrl = fullUrl; self.resource = resource }
    }

    /// A Bundle (collection, searchset, transaction …).
    public struct Bundle: Codable, Hashable, Sendable {
        public var resourceType: String = "Bundle"
        public var type: String?
        public var entry: [BundleEntry]?
        public init(type: String? = "collection", entry: [BundleEntry]?) { self.type = type; self.entry = entry }
    }
}
