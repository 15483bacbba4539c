import RealModule
import TwinData
import TwinModels

/// One member of a virtual population: its physiological parameters, covariates and random effects.
///
/// ```swift
/// let m = population.member(12, seed: 42)
/// m.parameters          // one value per model parameter, in model order
/// m.eta                 // the random effects that made them
/// ```
public struct PopulationMember: Sendable, Equatable {
    /// The member's index in the population (−1 for ``VirtualPopulation/typicalMember()``).
    public let index: Int
    /// The physiological parameters, one per model parameter in model order, in the parameters'
    /// units. Not range-checked: the engine reports out-of-range members as per-member failures.
    public let parameters: [Double]
    /// The member's covariates (empty for ``CovariateSource/none``).
    public let covariates: [String: Covariate]
    /// The random effects, one per model parameter in model order: log scale for log-normal
    /// parameters (P = P_typ·exp η), the parameter's unit for normal ones (P = P_typ + η), 0 for
    /// parameters without variability.
    public let eta: [Double]

    public init(index: Int, parameters: [Double], covariates: [String: Covariate], eta: [Double]) {
        self.index = index
        self.parameters = parameters
        self.covariates = covariates
        self.eta = eta
    }
}

/// A virtual population of one model: typical values, between-patient variability (independent
/// per parameter and/or a correlated Omega block) and covariates, from which member i is drawn
/// reproducibly from (seed, i) alone.
///
/// Member i is made as follows (NONMEM's order: covariate model on the typical values, then η):
///
/// ```
/// 1. covariates  ← the CovariateSource (drawn ones consume the stream first, in listed order)
/// 2. P_typ,i     ← individualize(P_typ, covariates)        (only when the covariate model is asked for)
/// 3. z_Ω         ← k standard normals, in Omega order;  η_Ω = L·z_Ω
/// 4. η_j         ← ω_j·z_j for each other varying parameter, in model parameter order
/// 5. P_i,j       = P_typ,i,j · exp(η_j)  (log-normal)   or   P_typ,i,j + η_j  (normal)
/// ```
///
/// Every random number comes from ``MemberRandomStream``(seed, i), one standard normal per
/// η and per covariate attempt, in that order, so the same (seed, index) always gives the same
/// member, on any thread. A parameter both in the ``VariabilitySpec`` and in the Omega matrix
/// takes its spread from Omega (the spec then only says whether it is normal, via `sd:`;
/// Omega parameters are log-normal otherwise). `sd:NAME=10%` is resolved against the base typical
/// value (before covariates).
///
/// ```swift
/// let model = OneCompartmentPK()
/// let population = try VirtualPopulation(model: model,
///                                        variability: VariabilitySpec(parsing: "CL=30%, V=20%, ka=40%"),
///                                        covariates: CovariateSource(parsing: "WT~N(70,12)[40,150] kg"))
/// let member = population.member(0, seed: 2024)
/// ```
public struct VirtualPopulation: Sendable {
    /// The model's physiological parameters.
    public let parameterDescriptors: [ModelParameter]
    /// The typical (base) values, one per parameter, before covariates.
    public let typical: [Double]
    /// The independent variability of each parameter (model order; nil where it does not vary
    /// independently: fixed, or in the Omega block), `sd:…%` resolved.
    public let independent: [ParameterVariability?]
    /// The correlated block, or nil.
    public let omega: OmegaMatrix?
    /// For each Omega entry, the model parameter index it applies to.
    public let omegaParameterIndices: [Int]
    /// For each model parameter, whether η acts multiplicatively (log-normal) or additively.
    public let isLogNormal: [Bool]
    /// Where members' covariates come from.
    public let covariates: CovariateSource
    /// The model's covariate model, or nil for none.
    private let individualizer: (@Sendable ([Double], [String: Covariate]) -> [Double])?

    /// The number of physiological parameters.
    public var parameterCount: Int { parameterDescriptors.count }

    /// A population from a model's parameter list.
    ///
    /// - Parameters:
    ///   - parameters: the model's physiological parameters (names, units, typical values).
    ///   - typical: typical values to vary around, one per parameter (default: the parameters'
    ///     typical values); e.g. a fitted subject's values.
    ///   - variability: the independent variability of named parameters (case-insensitive names).
    ///   - omega: a correlated block; its parameters must be parameters of the model.
    ///   - covariates: where members' covariates come from.
    ///   - individualize: the covariate model (typically ``PhysiologicalModel/individualize(_:covariates:)``),
    ///     applied to the typical values when a member has covariates; nil for none.
    /// - Throws: ``EnsembleError/unknownParameter(name:known:)`` for a name in `variability` or
    ///   `omega` the model does not have; ``EnsembleError/invalidRequest(reason:)`` for a `typical`
    ///   vector of the wrong length or with non-finite values, or a log-normal parameter whose
    ///   typical value is not positive.
    public init(parameters: [ModelParameter], typical: [Double]? = nil, variability: VariabilitySpec,
                omega: OmegaMatrix? = nil, covariates: CovariateSource = .none,
                individualize: (@Sendable ([Double], [String: Covariate]) -> [Double])? = nil) throws(EnsembleError) {
        let names = parameters.map(\.name)
        let base = typical ?? parameters.map(\.typical)
        guard base.count == parameters.count else {
            throw .invalidRequest(reason: "the base parameter vector has \(base.count) values but the model has \(parameters.count) parameters (\(names.joined(separator: ", "))); give one value per parameter in model order")
        }
        for (j, value) in base.enumerated() where !value.isFinite {
            throw .invalidRequest(reason: "the base value of \(names[j]) is \(value); give a finite value")
        }
        func index(of name: String) throws(EnsembleError) -> Int {
            let lower = name.lowercased()
            guard let j = names.firstIndex(where: { $0.lowercased() == lower }) else {
                throw .unknownParameter(name: name, known: names)
            }
            return j
        }

        var independent = [ParameterVariability?](repeating: nil, count: parameters.count)
        for entry in variability.entries {
            let j = try index(of: entry.name)
            independent[j] = entry.variability.resolved(typical: base[j])
        }
        var isLogNormal = independent.map { $0?.isLogNormal ?? false }
        var omegaIndices: [Int] = []
        if let omega {
            for name in omega.names {
                let j = try index(of: name)
                omegaIndices.append(j)
                // Omega wins for the spread; a `sd:` entry in the spec makes the parameter normal.
                isLogNormal[j] = independent[j].map(\.isLogNormal) ?? true
                independent[j] = nil
            }
        }
        let varying = Set(omegaIndices).union(independent.indices.filter { independent[$0] != nil })
        for j in varying.sorted() where isLogNormal[j] && !(base[j] > 0) {
            throw .invalidRequest(reason: "\(names[j]) varies log-normally around its typical value \(base[j]), which is not positive, so every member would have \(base[j]); give a positive typical value or a normal variability (sd:\(names[j])=…)")
        }

        self.parameterDescriptors = parameters
        self.typical = base
        self.independent = independent
        self.omega = omega
        self.omegaParameterIndices = omegaIndices
        self.isLogNormal = isLogNormal
        self.covariates = covariates
        self.individualizer = individualize
    }

    /// A population of `model` (its parameters and, when asked, its covariate model).
    ///
    /// - Parameters:
    ///   - model: the model; its ``PhysiologicalModel/individualize(_:covariates:)`` is the
    ///     covariate model with `covariateRelations: .modelDefault`; without, members'
    ///     covariates serve only per-kg doses.
    ///   - base: typical values (default the model's), e.g. a subject's parameters.
    ///   - variability, omega, covariates: see ``init(parameters:typical:variability:omega:covariates:individualize:)``.
    ///   - covariateRelations: ``CovariateRelations/modelDefault`` to apply the model's default
    ///     covariate relations (its allometry) to each member's covariates; default none.
    /// - Throws: as ``init(parameters:typical:variability:omega:covariates:individualize:)``.
    public init<Model: PhysiologicalModel>(model: Model, base: [Double]? = nil, variability: VariabilitySpec,
                                           omega: OmegaMatrix? = nil, covariates: CovariateSource = .none,
                                           covariateRelations: CovariateRelations = .none) throws(EnsembleError) {
        var individualize: (@Sendable ([Double], [String: Covariate]) -> [Double])?
        if covariateRelations == .modelDefault {
            individualize = { parameters, covariates in model.individualize(parameters, covariates: covariates) }
        }
        try self.init(parameters: model.parameters, typical: base, variability: variability, omega: omega,
                      covariates: covariates, individualize: individualize)
    }

    /// Member `index` of the population drawn with `seed` (see the type's documentation for the
    /// order of draws). The same (seed, index) always gives the same member.
    ///
    /// - Parameters:
    ///   - index: the member's index (0-based).
    ///   - seed: the run's seed.
    public func member(_ index: Int, seed: UInt64) -> PopulationMember {
        var stream = MemberRandomStream(seed: seed, member: index)
        let memberCovariates = covariates.covariates(forMember: index, using: &stream)
        var values = typical
        if !memberCovariates.isEmpty, let individualizer {
            let adjusted = individualizer(values, memberCovariates)
            if adjusted.count == values.count { values = adjusted }
        }
        var eta = [Double](repeating: 0, count: values.count)
        if let omega {
            let z = (0..<omega.count).map { _ in stream.standardNormal() }
            var block = [Double](repeating: 0, count: omega.count)
            omega.correlate(z, into: &block)
            for (k, j) in omegaParameterIndices.enumerated() { eta[j] = block[k] }
        }
        for j in independent.indices {
            guard let variability = independent[j] else { continue }
            eta[j] = variability.spread * stream.standardNormal()
        }
        for j in values.indices where eta[j] != 0 {
            values[j] = isLogNormal[j] ? values[j] * Double.exp(eta[j]) : values[j] + eta[j]
        }
        return PopulationMember(index: index, parameters: values, covariates: memberCovariates, eta: eta)
    }

    /// The typical member: the typical values, no covariates, η = 0, index −1.
    public func typicalMember() -> PopulationMember {
        PopulationMember(index: -1, parameters: typical, covariates: [:], eta: [Double](repeating: 0, count: typical.count))
    }
}
