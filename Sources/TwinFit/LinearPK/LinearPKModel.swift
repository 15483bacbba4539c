import TwinModels

/// A one-, two- or three-compartment linear pharmacokinetic model solved in closed form:
/// first-order absorption from a depot (rate ka, bioavailability F, lag tlag), IV bolus and
/// zero-order infusion into the depot or the central compartment, repeated and steady-state
/// doses by superposition — as NONMEM's ADVAN1–4/11/12 and rxode2's `linCmt()` do — with exact
/// gradients of the central concentration C = A_central/V1 (mg/L) in every parameter.
///
/// The parameters come in the order of the TwinModels ODE models, so that a fit can switch
/// between the closed form and the ODE path (units: h, L, L/h, 1/h):
///
/// | compartments | TwinModels model | parameters |
/// |---|---|---|
/// | 1 | `pk-1cmt` | ka, CL, V, F, tlag |
/// | 2 | `pk-2cmt` | ka, CL, V1, Q, V2, F, tlag |
/// | 3 | `pk-3cmt` | ka, CL, V1, Q2, V2, Q3, V3, F, tlag |
///
/// References: Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed., Marcel Dekker, ch. 1–2
/// (macro constants of the one-, two- and three-compartment models); Abuhelwa AY, Foster DJR,
/// Upton RN (2015) ADVAN-style analytical solutions for common pharmacokinetic models,
/// J Pharmacol Toxicol Methods 73:42–48 (the superposition of bolus, infusion and absorption
/// doses and their steady states).
///
/// ```swift
/// let model = try LinearPKModel(compartments: 1)
/// let doses = [try LinearPKDose(time: 0, amount: 320)]                  // oral, mg
/// var c: [Double] = [], dc: [Double] = []
/// try model.concentrations(at: [1, 2, 4, 8], doses: doses, parameters: [1.5, 2.8, 35, 1, 0],
///                          into: &c, gradient: &dc)                     // c in mg/L, dc 4 × 5
/// ```
public struct LinearPKModel: Sendable, Hashable {
    /// The number of disposition compartments (central and peripheral): 1, 2 or 3.
    public let compartments: Int

    /// A model with `compartments` disposition compartments (1, 2 or 3).
    ///
    /// - Throws: ``LinearPKError/unsupportedCompartmentCount(_:)`` for any other number.
    public init(compartments: Int) throws(LinearPKError) {
        guard (1...3).contains(compartments) else { throw .unsupportedCompartmentCount(compartments) }
        self.compartments = compartments
    }

    /// The closed form of a TwinModels model when it is `pk-1cmt`, `pk-2cmt` or `pk-3cmt`
    /// (same parameters, same order); nil for any other model.
    ///
    /// ```swift
    /// LinearPKModel(matching: TwoCompartmentPK())?.compartments   // 2
    /// ```
    public init?(matching model: some PhysiologicalModel) {
        switch model.name {
        case "pk-1cmt": compartments = 1
        case "pk-2cmt": compartments = 2
        case "pk-3cmt": compartments = 3
        default: return nil
        }
    }

    /// The parameter names in order (see the table above).
    public var parameterNames: [String] {
        switch compartments {
        case 1: return ["ka", "CL", "V", "F", "tlag"]
        case 2: return ["ka", "CL", "V1", "Q", "V2", "F", "tlag"]
        default: return ["ka", "CL", "V1", "Q2", "V2", "Q3", "V3", "F", "tlag"]
        }
    }

    /// The number of parameters: 5, 7 or 9.
    public var parameterCount: Int { 2 * compartments + 3 }

    /// Index of ka (0), then CL, V1, Q2, V2, Q3, V3 (1 … 2n), F (2n + 1) and tlag (2n + 2).
    var bioavailabilityIndex: Int { 2 * compartments + 1 }
    var lagIndex: Int { 2 * compartments + 2 }

    /// Checks the parameter vector: length, ka and the disposition parameters finite and > 0,
    /// F and tlag finite and ≥ 0.
    func validate(_ p: [Double]) throws(LinearPKError) {
        guard p.count == parameterCount else { throw .wrongParameterCount(expected: parameterCount, found: p.count) }
        for i in 0...(2 * compartments) where !(p[i].isFinite && p[i] > 0) {
            throw .invalidParameter(name: parameterNames[i], value: p[i])
        }
        let f = p[bioavailabilityIndex], lag = p[lagIndex]
        guard f.isFinite, f >= 0 else { throw .invalidParameter(name: "F", value: f) }
        guard lag.isFinite, lag >= 0 else { throw .invalidParameter(name: "tlag", value: lag) }
    }
}
