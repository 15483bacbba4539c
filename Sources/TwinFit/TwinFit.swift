/// TwinFit: calibrating a model to one patient's records.
///
/// The target's parts, one folder each:
///
/// - `LinearPK/` — closed-form one-, two- and three-compartment linear pharmacokinetics with
///   exact parameter gradients (superposition of doses), used where a model allows it;
/// - `Optimizer/` — a bounded Levenberg–Marquardt / Fisher-scoring trust-region minimiser with a
///   convergence report, and the identifiability check on the Fisher information;
/// - `Observation/` — residual error models (additive, proportional, combined, exponential)
///   and below-LLOQ handling (M1, M3);
/// - `Individual/` — the objective (−2 log-likelihood, MAP with a population prior) in a
///   transformed parameter space and the fit of one patient or of many, across threads;
/// - `Posterior/` — Laplace, sampling–importance–resampling and Metropolis draws around a fit;
/// - `Population/` and `TwinFile/` — the population-model and twin file formats (schema v1).
///
/// Numbers here are values (`Codable`, `Sendable`); reading and writing files stays in
/// TwinData and the CLI. See ARCHITECTURE.md for where TwinFit sits.
public enum TwinFit {}
