import ArgumentParser
import Foundation
import MedTwin

/// Parsing of `medtwin fit`'s value syntaxes: parameter lists (`ka,CL,V`), assignments
/// (`KA=1.2`, repeatable or comma-separated), the residual error model (`combined=0.5,0.1`) and
/// the BLQ method. Each failure is a `ValidationError` naming the flag and what it expects.
enum FitArguments {
    /// `--blq`: Beal's M1 (drop below-LLOQ observations) or M3 (censored likelihood).
    enum BLQ: String, ExpressibleByArgument, CaseIterable, Sendable {
        case m1, m3

        init?(argument: String) { self.init(rawValue: argument.lowercased()) }

        var censoring: CensoringMethod { self == .m1 ? .discard : .likelihood }
    }

    /// The names of a comma-separated list (`ka,CL,V`), in the model's spelling.
    ///
    /// - Throws: `ValidationError` for an empty list or name, a name the model lacks (listing its
    ///   parameters), or a name given twice.
    static func names(_ text: String, option: String, model: AnyPhysiologicalModel) throws -> [String] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw ValidationError("\(option) '\(text)': give parameter names separated by commas, such as ka,CL,V")
        }
        var names: [String] = []
        for part in parts {
            let name = try canonical(part, option: option, model: model)
            guard !names.contains(name) else { throw ValidationError("\(option): \(name) is listed twice") }
            names.append(name)
        }
        return names
    }

    /// The assignments of repeated `option` entries, each `NAME=VALUE` or several separated by
    /// commas, by the model's spelling of the name; the value must lie in the parameter's range.
    ///
    /// - Throws: `ValidationError` for a malformed entry, an unknown name, a name given twice or
    ///   a value out of range.
    static func assignments(_ entries: [String], option: String, model: AnyPhysiologicalModel) throws -> [String: Double] {
        var values: [String: Double] = [:]
        for entry in entries {
            for part in entry.split(separator: ",", omittingEmptySubsequences: false) {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let (rawName, value) = assignment(text) else {
                    throw ValidationError("\(option) '\(text)': write NAME=VALUE with a finite number, such as KA=1.2 (several: KA=1.2,CL=3)")
                }
                let name = try canonical(rawName, option: option, model: model)
                guard values[name] == nil else { throw ValidationError("\(option): \(name) is given twice") }
                if let parameter = model.parameters.first(where: { $0.name == name }), !parameter.admits(value) {
                    throw ValidationError("\(option) \(name)=\(ModelListing.format(value)): outside the parameter's range "
                                          + "\(ModelListing.format(parameter.lower))…\(ModelListing.format(parameter.upper))" + (parameter.unit.isEmpty ? "" : " \(parameter.unit)"))
                }
                values[name] = value
            }
        }
        return values
    }

    /// `NAME=VALUE` split, or nil when malformed.
    static func assignment(_ text: String) -> (String, Double)? {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else { return nil }
        return (parts[0], value)
    }

    /// The model's spelling of `name` (matched case-insensitively).
    static func canonical(_ name: String, option: String, model: AnyPhysiologicalModel) throws -> String {
        let lower = name.lowercased()
        guard let parameter = model.parameters.first(where: { $0.name.lowercased() == lower }) else {
            throw ValidationError("\(option) \(name): model \(model.name) has no parameter '\(name)'; its parameters are "
                                  + model.parameters.map(\.name).joined(separator: ", ") + " (`medtwin models \(model.name)` describes them)")
        }
        return parameter.name
    }

    /// The default start value of each error model's standard deviations.
    static let defaultErrorStandardDeviations: [String: [Double]] = [
        "additive": [1], "proportional": [0.1], "combined": [1, 0.1], "exponential": [0.1],
    ]

    /// `--error KIND[=SD[,SD]]`: additive (a, output unit), proportional (b, a fraction),
    /// combined (a,b) or exponential (σ, log scale). Without SDs the defaults (additive 1,
    /// proportional 0.1, combined 1,0.1, exponential 0.1) are used; they are start values when
    /// the SDs are estimated.
    ///
    /// - Throws: `ValidationError` for an unknown kind, the wrong number of SDs, or an SD that
    ///   is not a positive finite number (they are estimated on the log scale, so 0 cannot start).
    static func errorModel(_ text: String) throws -> ResidualErrorModel {
        let syntax = "write KIND or KIND=SD[,SD]: additive[=a], proportional[=b], combined[=a,b] or exponential[=σ], such as combined=0.5,0.1"
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let kind = parts[0].lowercased()
        guard let defaults = defaultErrorStandardDeviations[kind] else {
            throw ValidationError("--error '\(text)': unknown residual error model '\(parts[0])'; \(syntax)")
        }
        var sds = defaults
        if parts.count == 2 {
            let fields = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.compactMap { Double($0) }
            guard numbers.count == fields.count, numbers.count == defaults.count else {
                let count = defaults.count == 1 ? "one standard deviation" : "two standard deviations (a,b)"
                throw ValidationError("--error '\(text)': \(kind) takes \(count); \(syntax)")
            }
            sds = numbers
        }
        for sd in sds where !(sd > 0 && sd.isFinite) {
            throw ValidationError("--error '\(text)': standard deviations must be positive and finite (they are estimated on the log scale), not \(ModelListing.format(sd))")
        }
        let model: ResidualErrorModel
        switch kind {
        case "additive": model = .additive(sds[0])
        case "proportional": model = .proportional(sds[0])
        case "combined": model = .combined(additive: sds[0], proportional: sds[1])
        default: model = .exponential(sds[0])
        }
        do { try model.validate() } catch { throw ValidationError("--error '\(text)': \(error)") }
        return model
    }
}
