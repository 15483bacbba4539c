import Foundation
import TwinData
import TwinModels

extension PopulationModel {
    /// The typical value of each population parameter (order of ``parameters``) for `record`:
    /// θ times every covariate relation's factor, with the record's baseline covariates.
    ///
    /// - Throws: ``PopulationModelError/missingCovariate(record:covariate:parameter:)``,
    ///   ``PopulationModelError/invalidCovariate(record:covariate:value:reason:)``.
    public func populationTypicals(for record: PatientRecord) throws(PopulationModelError) -> [Double] {
        var values = parameters.map(\.typical)
        for relation in covariates {
            guard let i = parameterIndex(relation.parameter) else {
                throw .invalidField(path: "covariates", reason: "\(relation.parameter) is not a population parameter")
            }
            let x = try covariateValue(relation, in: record)
            guard let factor = relation.effect.factor(x) else {
                throw .invalidCovariate(record: record.id, covariate: relation.covariate, value: x,
                                        reason: "outside what the \(relation.effect.name) relation on \(relation.parameter) admits")
            }
            values[i] *= factor
        }
        return values
    }

    /// The covariate a relation reads, in the relation's unit.
    func covariateValue(_ relation: CovariateRelation, in record: PatientRecord) throws(PopulationModelError) -> Double {
        guard let c = record.covariates[relation.covariate.uppercased()] else {
            throw .missingCovariate(record: record.id, covariate: relation.covariate, parameter: relation.parameter)
        }
        // A covariate without a unit (read without units, or a code) is taken as written.
        guard let unitName = relation.unit, let from = c.unit else { return c.value }
        guard let to = MeasurementUnit.lookup(unitName), let x = from.convert(c.value, to: to) else {
            throw .invalidCovariate(record: record.id, covariate: relation.covariate, value: c.value,
                                    reason: "recorded in \(from), which does not convert to \(unitName)")
        }
        return x
    }

    /// The model's full parameter vector for `record` (the model's order, e.g. pk-2cmt
    /// [ka, CL, V1, Q, V2, F, tlag]): population parameters with their covariate relations,
    /// derived parameters, and the model's default for any parameter the population model does
    /// not mention. No random effects (η = 0). The model's own `individualize` (default
    /// allometry) is not applied: the relations here are explicit.
    ///
    /// - Throws: ``PopulationModelError`` for an unknown model, a missing or unusable covariate.
    public func typicalParameters(for record: PatientRecord) throws(PopulationModelError) -> [Double] {
        let m = try catalogueModel()
        let pop = try populationTypicals(for: record)
        var p = m.parameters.map(\.typical)
        func modelIndex(_ name: String) -> Int? { m.parameters.firstIndex { $0.name.lowercased() == name.lowercased() } }
        for (i, q) in parameters.enumerated() { if let j = modelIndex(q.name) { p[j] = pop[i] } }
        for d in derived {
            guard let j = modelIndex(d.parameter) else { throw .unknownParameter(model: model, name: d.parameter, known: m.parameters.map(\.name)) }
            var inputs: [Double] = []
            for name in d.relation.inputs {
                guard let i = parameterIndex(name) else { throw .invalidField(path: "derived", reason: "\(name) is not a population parameter") }
                inputs.append(pop[i])
            }
            p[j] = d.relation.value(inputs)
        }
        return p
    }

    /// What a fit of one subject estimates: the model parameters that carry a random effect
    /// (directly, or through a derived relation), their transforms, typical values for `record`
    /// and Ω mapped onto them.
    struct Individualization {
        var estimated: [String]
        var transforms: [ParameterTransform]
        var typical: [Double]
        var omega: [Double]
        var full: [Double]
    }

    /// The estimated model parameters, their transforms and the rows of A with
    /// η_model = A·η_population (independent of the record).
    func estimationRows() throws(PopulationModelError) -> (names: [String], transforms: [ParameterTransform], indices: [Int], rows: [[Double]]) {
        let m = try catalogueModel()
        let re = randomEffectParameters.map { $0.lowercased() }
        let k = re.count
        var names: [String] = [], transforms: [ParameterTransform] = [], indices: [Int] = [], rows: [[Double]] = []
        for (j, mp) in m.parameters.enumerated() {
            if let i = parameterIndex(mp.name), let t = parameters[i].transform, let r = re.firstIndex(of: mp.name.lowercased()) {
                var row = [Double](repeating: 0, count: k)
                row[r] = 1
                names.append(mp.name); transforms.append(t); indices.append(j); rows.append(row)
            } else if let d = derived.first(where: { $0.parameter.lowercased() == mp.name.lowercased() }) {
                // Derived from estimated model parameters only: it follows them (``derivedParameters``).
                if derivesFromEstimatedModelParameters(d, model: m) { continue }
                var row = [Double](repeating: 0, count: k)
                for (input, exponent) in zip(d.relation.inputs, d.relation.logExponents) {
                    guard let r = re.firstIndex(of: input.lowercased()) else { continue }
                    guard let i = parameterIndex(input), parameters[i].randomEffect == .exponential else {
                        throw .unsupportedParameterization("\(mp.name) is derived from \(input), whose random effect is not exponential; only log-scale random effects pass through derived relations")
                    }
                    row[r] += exponent
                }
                guard row.contains(where: { $0 != 0 }) else { continue }
                names.append(mp.name); transforms.append(.log); indices.append(j); rows.append(row)
            }
        }
        return (names, transforms, indices, rows)
    }

    /// Whether every input of `d` that carries a random effect is a model parameter estimated
    /// with its own (so that the fit can derive the target from the estimates: V = CL/ke with
    /// ke held, fm3Theo's form), rather than a population parameter the model lacks (fm1Theo's
    /// ke with its own η, where the target itself is estimated with the mapped Ω).
    func derivesFromEstimatedModelParameters(_ d: DerivedParameter, model m: AnyPhysiologicalModel) -> Bool {
        let re = Set(randomEffectParameters.map { $0.lowercased() })
        let moving = d.relation.inputs.filter { re.contains($0.lowercased()) }
        guard !moving.isEmpty else { return false }
        return moving.allSatisfy { input in
            m.parameters.contains { $0.name.lowercased() == input.lowercased() }
                && parameterIndex(input).map { parameters[$0].randomEffect == .exponential } == true
        }
    }

    /// The model parameters the fit derives from its estimates, with the other inputs at their
    /// typical values for `record`: x_target = Π input^exponent (``DerivedModelParameter``).
    func derivedParameters(for record: PatientRecord) throws(PopulationModelError) -> [DerivedModelParameter] {
        let m = try catalogueModel()
        let pop = try populationTypicals(for: record)
        let re = Set(randomEffectParameters.map { $0.lowercased() })
        var out: [DerivedModelParameter] = []
        for d in derived where derivesFromEstimatedModelParameters(d, model: m) {
            guard let target = m.parameters.first(where: { $0.name.lowercased() == d.parameter.lowercased() })?.name else { continue }
            var factor = 1.0
            var powers: [String: Double] = [:]
            for (input, exponent) in zip(d.relation.inputs, d.relation.logExponents) {
                if re.contains(input.lowercased()), let name = m.parameters.first(where: { $0.name.lowercased() == input.lowercased() })?.name {
                    powers[name, default: 0] += exponent
                } else if let i = parameterIndex(input) {
                    factor *= Foundation.pow(pop[i], exponent)
                }
            }
            out.append(DerivedModelParameter(target: target, factor: factor, powers: powers))
        }
        return out
    }

    func individualization(for record: PatientRecord) throws(PopulationModelError) -> Individualization {
        try validate()
        let full = try typicalParameters(for: record)
        let (names, transforms, indices, rows) = try estimationRows()
        let omegaR = try omegaMatrix()
        let k = randomEffectParameters.count
        // Ω on the estimated parameters' transformed scale: A·Ω·Aᵀ (exact: the derived relations
        // are linear in the logarithms).
        let e = rows.count
        var omega = [Double](repeating: 0, count: e * e)
        for a in 0..<e {
            for b in 0..<e {
                var s = 0.0
                for r in 0..<k where rows[a][r] != 0 {
                    for c in 0..<k where rows[b][c] != 0 { s += rows[a][r] * omegaR[r * k + c] * rows[b][c] }
                }
                omega[a * e + b] = s
            }
        }
        return Individualization(estimated: names, transforms: transforms, typical: indices.map { full[$0] }, omega: omega, full: full)
    }

    /// The model parameters a subject's fit estimates (those a random effect moves), in the
    /// model's order.
    public func estimatedParameters() throws(PopulationModelError) -> [String] {
        try estimationRows().names
    }

    /// The prior for one subject's MAP fit: typical values (covariates applied) and Ω on the
    /// estimated model parameters (``estimatedParameters()``), on their transformed scale.
    ///
    /// A model parameter derived only from estimated model parameters (Pinheiro & Bates'
    /// fm3Theo: V = CL/ke with no η on ke) is not estimated: the fit derives it
    /// (``FitSpecification/derived``).
    ///
    /// - Throws: ``PopulationModelError/unsupportedParameterization(_:)`` when Ω on the model's
    ///   parameters is singular, and the covariate errors.
    public func prior(for record: PatientRecord) throws(PopulationModelError) -> ParameterPrior {
        let plan = try individualization(for: record)
        return try makePrior(plan)
    }

    func makePrior(_ plan: Individualization) throws(PopulationModelError) -> ParameterPrior {
        do {
            return try ParameterPrior(typical: plan.typical, omega: plan.omega)
        } catch {
            throw .unsupportedParameterization("Ω mapped onto the model parameters \(plan.estimated.joined(separator: ", ")) is not positive definite (more of them move than there are random effects); fitting the population's own parameters is not supported yet")
        }
    }

    /// A MAP fit specification for `record`: the parameters with random effects estimated on
    /// their random effects' scale (log for exponential, identity for additive, logit), the
    /// others fixed at their covariate-adjusted typical values, the population's residual error
    /// models (not estimated), and the prior ``prior(for:)``. Starts at the typical values.
    ///
    /// ```swift
    /// let spec = try goti.fitSpecification(model: TwoCompartmentPK(), record: patient)
    /// let fit = try IndividualFitter(specification: spec).fit(patient)
    /// ```
    ///
    /// - Throws: ``PopulationModelError/modelMismatch(population:given:)`` when `model` is not
    ///   the population model's, ``PopulationModelError/invalidSpecification(_:)`` when a fixed
    ///   value falls outside the model's range, and the errors of ``prior(for:)``.
    public func fitSpecification<M: PhysiologicalModel>(model: M, record: PatientRecord) throws(PopulationModelError) -> FitSpecification<M> {
        guard model.name.lowercased() == self.model.lowercased() else { throw .modelMismatch(population: self.model, given: model.name) }
        let plan = try individualization(for: record)
        let prior = try makePrior(plan)
        let derivedModel = try derivedParameters(for: record)
        let derivedTargets = Set(derivedModel.map(\.target))
        var fixed: [String: Double] = [:]
        for (j, p) in model.parameters.enumerated() where !plan.estimated.contains(p.name) && !derivedTargets.contains(p.name) {
            fixed[p.name] = plan.full[j]
        }
        var errors: [ResidualErrorModel] = []
        for o in model.outputs {
            guard let e = errorModels.first(where: { $0.output == o.name }) else { throw .missingErrorModel(model: model.name, output: o.name) }
            errors.append(e.model)
        }
        do {
            var spec = try FitSpecification(model: model, estimate: plan.estimated, fixed: fixed, errorModels: errors, prior: prior)
            spec.transforms = plan.transforms
            spec.derived = derivedModel
            spec.start = Dictionary(uniqueKeysWithValues: zip(plan.estimated, plan.typical))
            spec.estimateErrorModel = false
            return spec
        } catch {
            throw .invalidSpecification(error)
        }
    }
}
