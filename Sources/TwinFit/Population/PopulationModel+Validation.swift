import TwinData
import TwinModels

extension PopulationModel {
    /// The catalogue entry of ``model``.
    ///
    /// - Throws: ``PopulationModelError/unknownModel(name:known:)``.
    public func catalogueModel() throws(PopulationModelError) -> AnyPhysiologicalModel {
        guard let m = try? ModelCatalog.model(named: model) else { throw .unknownModel(name: model, known: ModelCatalog.names) }
        return m
    }

    /// The index of population parameter `name` (case-insensitive).
    func parameterIndex(_ name: String) -> Int? {
        let lower = name.lowercased()
        return parameters.firstIndex { $0.name.lowercased() == lower }
    }

    /// The parameters with a random effect, in Ω's order (the order of ``parameters``).
    public var randomEffectParameters: [String] { parameters.filter { $0.randomEffect != .none }.map(\.name) }

    /// Checks the model name, every parameter, derived parameter, covariate relation, Ω and the
    /// residual error models against the model's catalogue entry.
    ///
    /// - Throws: ``PopulationModelError`` naming the first problem.
    public func validate() throws(PopulationModelError) {
        let m = try catalogueModel()
        let known = m.parameters.map(\.name)
        func isModelParameter(_ name: String) -> Bool { known.contains { $0.lowercased() == name.lowercased() } }
        var seen = Set<String>()
        for (i, p) in parameters.enumerated() {
            guard seen.insert(p.name.lowercased()).inserted else {
                throw .invalidField(path: "parameters[\(i)].name", reason: "\(p.name) is listed twice")
            }
            guard p.typical.isFinite else { throw .invalidValue(name: p.name, value: p.typical, reason: "θ must be finite") }
            switch p.randomEffect {
            case .exponential where !(p.typical > 0):
                throw .invalidValue(name: p.name, value: p.typical, reason: "θ must be > 0 for an exponential random effect")
            case .logit:
                let l = p.lower ?? 0, h = p.upper ?? 1
                guard l < h, p.typical > l, p.typical < h else {
                    throw .invalidValue(name: p.name, value: p.typical, reason: "θ must lie inside the logit bounds (\(l), \(h))")
                }
            default: break
            }
        }
        var targets = Set<String>()
        for (i, d) in derived.enumerated() {
            guard isModelParameter(d.parameter) else { throw .unknownParameter(model: model, name: d.parameter, known: known) }
            guard parameterIndex(d.parameter) == nil else {
                throw .invalidField(path: "derived[\(i)].parameter", reason: "\(d.parameter) is both a population parameter and derived")
            }
            guard targets.insert(d.parameter.lowercased()).inserted else {
                throw .invalidField(path: "derived[\(i)].parameter", reason: "\(d.parameter) is derived twice")
            }
            for input in d.relation.inputs where parameterIndex(input) == nil {
                throw .invalidField(path: "derived[\(i)]", reason: "\(input) is not a population parameter")
            }
        }
        let derivedInputs = Set(derived.flatMap { $0.relation.inputs.map { $0.lowercased() } })
        for p in parameters where !isModelParameter(p.name) && !derivedInputs.contains(p.name.lowercased()) {
            throw .unknownParameter(model: model, name: p.name, known: known)
        }
        for (i, r) in covariates.enumerated() {
            guard parameterIndex(r.parameter) != nil else {
                throw .invalidField(path: "covariates[\(i)].parameter", reason: "\(r.parameter) is not a population parameter")
            }
            if let unit = r.unit, MeasurementUnit.lookup(unit) == nil {
                throw .invalidField(path: "covariates[\(i)].unit", reason: "unknown unit \"\(unit)\"")
            }
            switch r.effect {
            case .power(let ref, let e):
                guard ref > 0, ref.isFinite, e.isFinite else { throw .invalidValue(name: "\(r.parameter)~\(r.covariate)", value: ref, reason: "power: reference must be > 0 and the exponent finite") }
            case .exponential(let ref, let k):
                guard ref.isFinite, k.isFinite else { throw .invalidValue(name: "\(r.parameter)~\(r.covariate)", value: k, reason: "exponential: reference and coefficient must be finite") }
            case .linear(let ref, let s):
                guard ref.isFinite, s.isFinite else { throw .invalidValue(name: "\(r.parameter)~\(r.covariate)", value: s, reason: "linear: reference and slope must be finite") }
            case .categorical(let f):
                guard f > 0, f.isFinite else { throw .invalidValue(name: "\(r.parameter)~\(r.covariate)", value: f, reason: "categorical: the factor must be > 0") }
            }
        }
        _ = try omegaMatrix()
        let outputs = m.outputs.map(\.name)
        for e in errorModels where !outputs.contains(e.output) {
            throw .unknownOutput(model: model, name: e.output, known: outputs)
        }
        for o in outputs {
            let matching = errorModels.filter { $0.output == o }
            guard let e = matching.first else { throw .missingErrorModel(model: model, output: o) }
            guard matching.count == 1 else { throw .invalidField(path: "errorModels", reason: "output \(o) has \(matching.count) error models") }
            do { try e.model.validate() } catch {
                throw .invalidValue(name: "σ of \(o)", value: e.model.standardDeviations.first ?? .nan, reason: error.description)
            }
        }
    }

    /// Ω over ``randomEffectParameters`` (row-major), assembled from the blocks.
    ///
    /// - Throws: ``PopulationModelError/invalidOmega(_:)`` when the blocks do not cover exactly
    ///   the parameters with random effects, ``PopulationModelError/omegaNotPositiveDefinite(parameters:)``.
    public func omegaMatrix() throws(PopulationModelError) -> [Double] {
        let names = randomEffectParameters.map { $0.lowercased() }
        let k = names.count
        var full = [Double](repeating: 0, count: k * k)
        var covered = Set<Int>()
        for block in omega {
            var index: [Int] = []
            for name in block.parameters {
                guard let i = names.firstIndex(of: name.lowercased()) else {
                    throw .invalidOmega("\(name) has no random effect (or is not a population parameter)")
                }
                guard covered.insert(i).inserted else { throw .invalidOmega("\(name) appears in two blocks") }
                index.append(i)
            }
            let m = try block.matrix()
            let n = index.count
            for a in 0..<n { for b in 0..<n { full[index[a] * k + index[b]] = m[a * n + b] } }
        }
        if covered.count != k {
            let missing = randomEffectParameters.enumerated().filter { !covered.contains($0.offset) }.map(\.element)
            throw .invalidOmega("no variance for \(missing.joined(separator: ", ")), which \(missing.count == 1 ? "has" : "have") a random effect")
        }
        return full
    }
}
