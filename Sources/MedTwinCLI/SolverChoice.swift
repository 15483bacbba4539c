import ArgumentParser
import MedTwin

/// `--solver NAME`: one of TwinODE's methods by its ``ODEAlgorithm/identifier`` (`tsit5`, `dp5`,
/// `rodas4`, `bdf`), the one choice `simulate`, `ensemble` and `bench ensemble` share. The
/// ensemble commands reject, in their `validate()`, a method the lane engine cannot run.
struct SolverChoice: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The method, as `ODEProblem.solve` and the ensemble engine take it.
    let algorithm: any ODEAlgorithm

    init(_ algorithm: any ODEAlgorithm) { self.algorithm = algorithm }

    init?(argument: String) {
        guard let algorithm = ODEAlgorithms.named(argument) else { return nil }
        self.algorithm = algorithm
    }

    static var allValueStrings: [String] { ODEAlgorithms.all.map(\.identifier) }
    static let tsit5 = SolverChoice(Tsitouras5())
    static let rodas4 = SolverChoice(Rodas4())

    var description: String { algorithm.identifier }

    /// Throws a `ValidationError` naming the methods the ensemble runs when it cannot run this one.
    func validateForEnsemble() throws {
        do {
            try EnsembleAlgorithms.check(algorithm)
        } catch {
            throw ValidationError("--solver \(algorithm.identifier): \(error)")
        }
    }
}
