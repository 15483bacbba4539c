/// The resource types of FHIR R4 (4.0.1), to tell a type MedTwin skips on purpose (Encounter,
/// Condition …) from a misspelt one ("Bunddle", "Observaton"), which is an error.
enum FHIRResourceTypes {
    static let r4: Set<String> = [
        "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse",
        "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure", "Bundle", "CapabilityStatement",
        "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim", "ClaimResponse",
        "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest", "CompartmentDefinition", "Composition",
        "ConceptMap", "Condition", "Consent", "Contract", "Coverage", "CoverageEligibilityRequest",
        "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition", "DeviceMetric", "DeviceRequest",
        "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis",
        "Encounter", "Endpoint", "EnrollmentRequest", "EnrollmentResponse", "EpisodeOfCare", "EventDefinition", "Evidence",
        "EvidenceVariable", "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal",
        "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService", "ImagingStudy", "Immunization",
        "ImmunizationEvaluation", "ImmunizationRecommendation", "ImplementationGuide", "InsurancePlan", "Invoice", "Library",
        "Linkage", "List", "Location", "Measure", "MeasureReport", "Media", "Medication", "MedicationAdministration",
        "MedicationDispense", "MedicationKnowledge", "MedicationRequest", "MedicationStatement", "MedicinalProduct",
        "MedicinalProductAuthorization", "MedicinalProductContraindication", "MedicinalProductIndication",
        "MedicinalProductIngredient", "MedicinalProductInteraction", "MedicinalProductManufactured",
        "MedicinalProductPackaged", "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect",
        "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem", "NutritionOrder", "Observation",
        "ObservationDefinition", "OperationDefinition", "OperationOutcome", "Organization", "OrganizationAffiliation",
        "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation", "Person", "PlanDefinition", "Practitioner",
        "PractitionerRole", "Procedure", "Provenance", "Questionnaire", "QuestionnaireResponse", "RelatedPerson",
        "RequestGroup", "ResearchDefinition", "ResearchElementDefinition", "ResearchStudy", "ResearchSubject",
        "RiskAssessment", "RiskEvidenceSynthesis", "Schedule", "SearchParameter", "ServiceRequest", "Slot", "Specimen",
        "SpecimenDefinition", "StructureDefinition", "StructureMap", "Subscription", "Substance", "SubstanceNucleicAcid",
        "SubstancePolymer", "SubstanceProtein", "SubstanceReferenceInformation", "SubstanceSourceMaterial",
        "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task", "TerminologyCapabilities", "TestReport",
        "TestScript", "ValueSet", "VerificationResult", "VisionPrescription",
    ]

    /// True for an R4 resource type name (case-sensitive, as FHIR is).
    static func isKnown(_ type: String) -> Bool { r4.contains(type) }

    /// "'Bunddle' is not a FHIR R4 resource type; did you mean 'Bundle'?"
    static func unknownMessage(_ type: String) -> String {
        let shown = type.count > 60 ? String(type.prefix(60)) + "…" : type
        var text = "'\(shown)' is not a FHIR R4 resource type"
        if let near = nearest(type) { text += "; did you mean '\(near)'?" } else { text += "; check the spelling (types are case-sensitive: Patient, Observation, Bundle …)" }
        return text
    }

    /// The known type within edit distance 2 (case-insensitive), if one.
    static func nearest(_ type: String) -> String? {
        guard type.count <= 64 else { return nil }
        let a = Array(type.lowercased().utf8)
        var best: (String, Int)?
        for candidate in r4 {
            let b = Array(candidate.lowercased().utf8)
            if abs(a.count - b.count) > 2 { continue }
            let d = distance(a, b)
            if d <= 2, best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance of two short byte strings.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var row = previous
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}

/// A running count of events against ``ReadLimits/maximumEvents``, checked before the events
/// are built.
struct EventBudget {
    let limit: Int
    var count = 0

    init(limit: Int) { self.limit = limit }

    /// Adds `events`, or throws ``RecordError/budgetExceeded(_:quantity:count:limit:bytesPerItem:setting:)``
    /// (whatever the strictness: the budget protects the process, not one record).
    mutating func add(_ events: Int, at location: RecordLocation,
                      quantity: String = "the events of this document set (observations, doses given and doses of orders, counted up to here)") throws(RecordError) {
        let (sum, overflow) = count.addingReportingOverflow(max(events, 0))
        if overflow || sum > limit {
            throw .budgetExceeded(location, quantity: quantity, count: overflow ? Int.max : sum, limit: limit,
                                  bytesPerItem: ReadLimits.bytesPerEvent, setting: "ReadLimits.maximumEvents")
        }
        count = sum
    }
}

extension FHIR.Resource {
    /// The type and id, for the resources MedTwin reads.
    var typeAndID: (String, String)? {
        switch self {
        case let .patient(r): return r.id.map { ("Patient", $0) }
        case let .observation(r): return r.id.map { ("Observation", $0) }
        case let .medicationAdministration(r): return r.id.map { ("MedicationAdministration", $0) }
        case let .medicationRequest(r): return r.id.map { ("MedicationRequest", $0) }
        case .other: return nil
        }
    }

    /// The patient the resource belongs to ("Patient/<id>", or its subject reference).
    var patientReference: String? {
        switch self {
        case let .patient(r): return r.id.map { "Patient/\($0)" }
        case let .observation(r): return r.subject?.reference
        case let .medicationAdministration(r): return r.subject?.reference
        case let .medicationRequest(r): return r.subject?.reference
        case .other: return nil
        }
    }
}
