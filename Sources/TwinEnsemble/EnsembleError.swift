import TwinODE

/// Input that no ensemble can be built from, found before any computation: a malformed
/// variability or covariate specification, an Omega matrix that is not a covariance, a
/// parameter the model does not have, a request that cannot be run.
///
/// This is the one error enum of TwinEnsemble. Every message names the offending value and
/// says what to write instead. The numerical outcome of one member's solve is never an error
/// of this kind: it is a per-member status, so that one bad virtual patient cannot abort a run.
///
/// ```swift
/// do { _ = try VariabilitySpec(parsing: "CL=-30%") }
/// catch { print(error) }   // "variability 'CL=-30%': the value -30 is negative; …"
/// ```
public enum EnsembleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A between-patient variability item (`CL=30%`, `omega:V=0.2`, `sd:WT=12`) that cannot be read.
    case invalidVariability(text: String, reason: String)
    /// A parameter name the model does not have; `known` lists the model's parameters.
    case unknownParameter(name: String, known: [String])
    /// An Omega (η covariance) file that cannot be read: `line` is 1-based in `source`
    /// (0 when the problem is the file as a whole).
    case invalidOmega(source: String, line: Int, reason: String)
    /// An Omega matrix that is symmetric and finite but not positive definite.
    case omegaNotPositiveDefinite(source: String)
    /// A covariate distribution (`WT~N(70,12)[40,150] kg`) or covariate source that cannot be used.
    case invalidCovariate(text: String, reason: String)
    /// A population or summary request that cannot be run (wrong vector length, bad accuracy …).
    case invalidRequest(reason: String)
    /// Solver options no solve can honour, found by TwinODE's check of ``ODEOptions`` (the same
    /// check a single solve makes).
    case invalidOptions(ODEError)
    /// A valid ``ODEOptions`` setting the lane engine cannot honour (a save schedule other than
    /// final-only, dense output, a fixed or given first step).
    case unsupportedOption(name: String, reason: String)
    /// A method the lane engine cannot run; `supported` lists the identifiers of those it can.
    case unsupportedAlgorithm(name: String, supported: [String])

    public var description: String {
        switch self {
        case let .invalidVariability(text, reason):
            return "variability '\(text)': \(reason); accepted forms: NAME=30% (log-normal, coefficient of variation), "
                + "omega:NAME=0.3 (log-normal, ω on the log scale), sd:NAME=12 (normal, SD in the parameter's unit), "
                + "sd:NAME=10% (normal, SD as a percentage of the typical value), separated by commas"
        case let .unknownParameter(name, known):
            return "no parameter named '\(name)'; the model's parameters are \(known.joined(separator: ", ")) (names are case-insensitive)"
        case let .invalidOmega(source, line, reason):
            let place = line > 0 ? "\(source) line \(line)" : source
            return "\(place): \(reason); an Omega file is a header line naming k parameters followed by k rows of k numbers "
                + "(the covariance of η, log scale for log-normal parameters), separated by commas or spaces, # for comments"
        case let .omegaNotPositiveDefinite(source):
            return "\(source): the Omega matrix is not positive definite; every variance must be positive and every correlation "
                + "cov(i,j)/√(var(i)·var(j)) strictly between −1 and 1 (and the correlations jointly consistent)"
        case let .invalidCovariate(text, reason):
            return "covariate '\(text)': \(reason); write NAME~N(mean,sd)[lower,upper] unit or NAME~LN(median,cv%)[lower,upper] unit, "
                + "e.g. WT~N(70,12)[40,150] kg, AGE~N(50,15)[18,90] years (bounds and unit optional), separated by commas"
        case let .invalidRequest(reason):
            return reason
        case let .invalidOptions(error):
            return error.description
        case let .unsupportedOption(name, reason):
            return "option \(name) is not supported by the ensemble engine: \(reason)"
        case let .unsupportedAlgorithm(name, supported):
            return "the ensemble engine cannot run \(name); it runs \(supported.joined(separator: ", ")) "
                + "(for stiff models use rodas4)"
        }
    }
}
