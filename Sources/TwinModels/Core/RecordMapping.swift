import TwinData

/// A compartment number (NONMEM's CMT) a model takes doses into: the state a bolus is added
/// to, the input an infusion feeds, the kinds of amount it takes and the routes that reach it
/// when a dose names no CMT.
///
/// ```swift
/// // pk-1cmt's central compartment in NONMEM's ADVAN2 numbering: CMT 2, state 1, input 1, IV.
/// DoseCompartment(2, "central", state: 1, input: 1, routes: [.intravenous])
/// ```
public struct DoseCompartment: Sendable, Hashable {
    /// The CMT number records use (1-based).
    public let number: Int
    /// What it is ("depot", "central", "insulin").
    public let name: String
    /// The state a bolus is added to (0-based).
    public let state: Int
    /// The input an infusion feeds (0-based, among the model's inputs), or nil for boluses only.
    public let input: Int?
    /// The routes that reach this compartment when a dose names no CMT; a dose that names this
    /// CMT and another route (not `.unspecified`) is refused as contradictory.
    public let routes: [Route]
    /// The kinds of amount it takes (mass for drugs, insulin units, carbohydrate grams).
    public let amounts: [UnitDimension]

    /// - Parameters:
    ///   - number: the CMT number (1-based).
    ///   - name: a short name.
    ///   - state: the state a bolus is added to.
    ///   - input: the input an infusion feeds, or nil.
    ///   - routes: the routes that reach it without a CMT (`.unspecified` for the default one).
    ///   - amounts: the kinds of amount it takes; default `[.mass]` (mg).
    public init(_ number: Int, _ name: String, state: Int, input: Int?, routes: [Route], amounts: [UnitDimension] = [.mass]) {
        self.number = number
        self.name = name
        self.state = state
        self.input = input
        self.routes = routes
        self.amounts = amounts
    }

    /// "CMT 2 central (iv)", for messages and listings.
    public var label: String {
        let r = routes.filter { $0 != .unspecified }.map(\.rawValue)
        return "CMT \(number) \(name)" + (r.isEmpty ? "" : " (\(r.joined(separator: ", ")))")
    }
}

/// How records name one of a model's outputs: the CMT numbers an observation of it carries, its
/// DVID, and the quantity names or LOINC codes (as ``Observation/quantity`` holds them:
/// "glucose", "loinc:4049-3") that are it.
///
/// ```swift
/// // The plasma concentration of pk-2cmt: observed in CMT 2 (central), DVID 1.
/// ObservedOutput(output: 0, compartments: [2], outputID: 1, quantities: ["C"])
/// ```
public struct ObservedOutput: Sendable, Hashable {
    /// The output's index in ``PhysiologicalModel/outputs``.
    public let output: Int
    /// The CMT numbers an observation of this output may carry (empty: any).
    public let compartments: [Int]
    /// The DVID that names it.
    public let outputID: Int
    /// Quantity names and `loinc:CODE` codes that are this output (case-insensitive); the
    /// output's own name always is.
    public let quantities: [String]

    public init(output: Int, compartments: [Int] = [], outputID: Int, quantities: [String] = []) {
        self.output = output
        self.compartments = compartments
        self.outputID = outputID
        self.quantities = quantities
    }
}

/// How a model reads patient records: the dose compartments (CMT → state, input, routes) and the
/// observed outputs (CMT, DVID, quantity names → output), after NONMEM's conventions — the
/// compartment numbers of ADVAN1/3/11 (CMT 1 central) or ADVAN2/4/12 (CMT 1 depot, 2 central),
/// DVID 1, 2, … for the outputs in order.
///
/// ```swift
/// let mapping = TwoCompartmentPK().recordMapping
/// mapping.doseCompartments.map(\.label)   // ["CMT 1 depot (oral, sc, im, ev)", "CMT 2 central (iv)"]
/// ```
public struct RecordMapping: Sendable, Hashable {
    /// The compartments that take doses; empty for a model that takes none.
    public var doseCompartments: [DoseCompartment]
    /// One entry per output that records can observe.
    public var observedOutputs: [ObservedOutput]
    /// The numbering convention, in words ("NONMEM ADVAN2/4/12: CMT 1 depot, CMT 2 central").
    public var convention: String

    public init(doseCompartments: [DoseCompartment], observedOutputs: [ObservedOutput], convention: String) {
        self.doseCompartments = doseCompartments
        self.observedOutputs = observedOutputs
        self.convention = convention
    }

    /// The mapping of the compartmental PK models (NONMEM ADVAN2/4/12 numbering): CMT 1 the depot
    /// (state 0, input 0; oral, sc, im, extravascular and unspecified routes), CMT 2 the central
    /// compartment (state 1, input 1; IV); the concentration (output 0) observed in CMT 2, DVID 1.
    /// Further outputs (PD) get DVID 2, 3, … and no CMT.
    public static func advan2(outputs: [ModelOutput]) -> RecordMapping {
        let observed = outputs.indices.map { k in
            ObservedOutput(output: k, compartments: k == 0 ? [2] : [], outputID: k + 1)
        }
        return RecordMapping(
            doseCompartments: [DoseCompartment(1, "depot", state: 0, input: 0, routes: [.oral, .subcutaneous, .intramuscular, .extravascular, .unspecified]),
                               DoseCompartment(2, "central", state: 1, input: 1, routes: [.intravenous])],
            observedOutputs: observed,
            convention: "NONMEM ADVAN2/4/12 numbering: CMT 1 depot, CMT 2 central; observations of the concentration in CMT 2 (or CMT 0 / none)")
    }

    /// The default: the given dose compartments, and output k named by DVID k + 1 and its name,
    /// observed in any CMT.
    public static func plain(outputs: [ModelOutput], doses: [DoseCompartment] = [], convention: String) -> RecordMapping {
        RecordMapping(doseCompartments: doses,
                      observedOutputs: outputs.indices.map { ObservedOutput(output: $0, outputID: $0 + 1) },
                      convention: convention)
    }
}
