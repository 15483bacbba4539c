/// What a fit does with an observation below the lower limit of quantification (BLQ, TwinData's
/// `Observation.isCensored`).
///
/// - ``discard``: Beal's M1 — the observation is left out.
/// - ``likelihood``: Beal's M3 — the observation contributes P(y < LLOQ) = Φ((LLOQ − f)/√V)
///   to the likelihood.
///
/// Reference: Beal SL (2001) Ways to fit a PK model with some data below the quantification
/// limit. J Pharmacokinet Pharmacodyn 28:481–504.
///
/// ```swift
/// var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"])
/// spec.censoring = .likelihood            // M3
/// ```
public enum CensoringMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// M1: drop BLQ observations.
    case discard = "M1"
    /// M3: censored likelihood.
    case likelihood = "M3"
}
