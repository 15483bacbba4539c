import TwinData

extension PhysiologicalModel {
    /// The dose compartment `dose` enters, by the model's ``recordMapping``:
    ///
    /// 1. only compartments that take the dose's kind of amount (mg, U, g carbs) are candidates;
    /// 2. a dose with a CMT (not 0) enters that compartment; a route that contradicts it (an IV
    ///    dose into CMT 1, the depot, of a PK model) is refused, since the record is ambiguous;
    /// 3. a dose without a CMT (or CMT 0, NONMEM's "default dose compartment") enters the first
    ///    compartment its route reaches; with no route, the first one whose routes include
    ///    `.unspecified` (the depot of the PK models, as NONMEM's ADVAN2 default).
    ///
    /// - Throws: ``ModelError/unsupportedDose(model:dose:reason:)`` naming the dose and the
    ///   model's dose compartments.
    ///
    /// ```swift
    /// let iv = Dose(time: 0, amount: 1000, unit: .milligram, compartment: 2)
    /// try OneCompartmentPK().doseCompartment(for: iv).name   // "central"
    /// ```
    public func doseCompartment(for dose: Dose) throws(ModelError) -> DoseCompartment {
        let all = recordMapping.doseCompartments
        guard !all.isEmpty else {
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes no doses")
        }
        let listing = all.map(\.label).joined(separator: ", ")
        let candidates = all.filter { $0.amounts.contains(dose.unit.dimension) }
        guard !candidates.isEmpty else {
            let kinds = Set(all.flatMap(\.amounts)).map(\.canonicalSymbol).sorted().joined(separator: ", ")
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes doses in \(kinds), not \(dose.unit.symbol)")
        }
        if let number = dose.compartment, number != 0 {
            guard let target = candidates.first(where: { $0.number == number }) else {
                throw .unsupportedDose(model: name, dose: describe(dose),
                                       reason: "compartment \(number) takes no such doses; its dose compartments are \(listing) (\(recordMapping.convention))")
            }
            if dose.route != .unspecified, !target.routes.contains(dose.route) {
                let other = candidates.first { $0.routes.contains(dose.route) }
                throw .unsupportedDose(model: name, dose: describe(dose),
                                       reason: "CMT \(number) is the \(target.name), which \(dose.route.rawValue) doses do not reach"
                                           + (other.map { "; \(dose.route.rawValue) doses go to CMT \($0.number) (\($0.name))" } ?? "")
                                           + " (\(recordMapping.convention))")
            }
            return target
        }
        if let target = candidates.first(where: { $0.routes.contains(dose.route) }) { return target }
        throw .unsupportedDose(model: name, dose: describe(dose),
                               reason: "no compartment takes \(dose.route == .unspecified ? "doses without a route" : "\(dose.route.rawValue) doses"); give a CMT: \(listing)")
    }

    /// Which output `observation` measures (an index into ``outputs``), by the model's
    /// ``recordMapping``, in this order:
    ///
    /// 1. its DVID (``Observation/outputID``): the output with that DVID (1, 2, … in the order
    ///    of ``outputs`` unless the model says otherwise);
    /// 2. its quantity name or LOINC code (``Observation/quantity``, e.g. "glucose",
    ///    "loinc:4049-3"), when that is an output's name or a code the model lists for it;
    /// 3. its CMT (not 0): the output observed in that compartment (the concentration in
    ///    CMT 2 for the PK models, NONMEM's ADVAN2/4 numbering);
    /// 4. otherwise, for a model with one output, output 0 — a generic "DV" or a drug name
    ///    such as "vancomycin" is the concentration of `pk-1cmt`.
    ///
    /// A CMT that contradicts the output found (an observation in CMT 1, the depot, of a PK
    /// model) is refused, and so is a value whose unit cannot be converted to the output's (a
    /// pressure for a concentration; mass and molar concentrations count as convertible, the
    /// substance deciding the factor).
    ///
    /// - Throws: ``ModelError/unmappedObservation(model:observation:reason:)`` naming the
    ///   observation (time, quantity, CMT, DVID) when the model has no such output or the
    ///   record does not say which of several outputs it is.
    ///
    /// ```swift
    /// let level = Observation(time: 1.5, quantity: "DV", value: 18, unit: .milligramPerLiter, compartment: 2)
    /// try TwoCompartmentPK().outputIndex(for: level)   // 0, the concentration C
    /// ```
    public func outputIndex(for observation: Observation) throws(ModelError) -> Int {
        let mapping = recordMapping.observedOutputs
        // The observation's description only when a message needs it (fits call this per kind of
        // observation and subject, where building it would cost more than the mapping).
        var what: String { describe(observation) }
        let cmt = observation.compartment.flatMap { $0 == 0 ? nil : $0 }
        func check(_ entry: ObservedOutput) throws(ModelError) -> Int {
            let output = outputs[entry.output]
            if let cmt, !entry.compartments.isEmpty, !entry.compartments.contains(cmt) {
                throw .unmappedObservation(model: name, observation: what,
                                           reason: "\(output.name) is observed in CMT \(entry.compartments.map(String.init).joined(separator: " or ")), not CMT \(cmt) (\(recordMapping.convention))")
            }
            // Any substance with a molar mass and an activity makes mass, molar and unit
            // concentrations convertible; what matters here is whether a conversion exists.
            let probe = Substance(name: "any", molarMass: 1, picomolesPerUnit: 1)
            if let unit = MeasurementUnit.lookup(output.unit), observation.unit.factor(to: unit, substance: probe) == nil {
                throw .unmappedObservation(model: name, observation: what,
                                           reason: "\(output.name) is in \(output.unit), to which \(observation.unit.symbol) does not convert")
            }
            return entry.output
        }
        if let dvid = observation.outputID {
            guard let entry = mapping.first(where: { $0.outputID == dvid }) else {
                throw .unmappedObservation(model: name, observation: what, reason: "no output has DVID \(dvid); \(outputListing)")
            }
            return try check(entry)
        }
        let quantity = observation.quantity.lowercased()
        if !quantity.isEmpty, quantity != "dv",
           let entry = mapping.first(where: { e in outputs[e.output].name.lowercased() == quantity || e.quantities.contains { $0.lowercased() == quantity } }) {
            return try check(entry)
        }
        if let cmt {
            let observed = mapping.filter { $0.compartments.contains(cmt) }
            if observed.count == 1 { return observed[0].output }
            if observed.isEmpty, mapping.contains(where: { !$0.compartments.isEmpty }) {
                let declared = mapping.filter { !$0.compartments.isEmpty }
                    .map { "\(outputs[$0.output].name) in CMT \($0.compartments.map(String.init).joined(separator: " or "))" }
                throw .unmappedObservation(model: name, observation: what,
                                           reason: "CMT \(cmt) is observed by no output; \(declared.joined(separator: ", ")) (\(recordMapping.convention))")
            }
        }
        if outputs.count == 1, let only = mapping.first { return try check(only) }
        throw .unmappedObservation(model: name, observation: what,
                                   reason: "the model has \(outputs.count) outputs and the record does not say which this is; give a DVID or a quantity name: \(outputListing)")
    }

    /// "DVID 1 C (mg/L), DVID 2 Ce (mg/L)", for messages.
    var outputListing: String {
        recordMapping.observedOutputs.map { "DVID \($0.outputID) \(outputs[$0.output].name) (\(outputs[$0.output].unit))" }.joined(separator: ", ")
    }

    /// A short description of an observation for messages ("DV = 18 mg/L at 1.5 h, CMT 1").
    public func describe(_ observation: Observation) -> String {
        var text = "\(observation.quantity) = \(observation.value) \(observation.unit.symbol) at \(observation.time) h"
        if let c = observation.compartment { text += ", CMT \(c)" }
        if let d = observation.outputID { text += ", DVID \(d)" }
        return text
    }
}
