import RealModule
import TwinODE

/// The three ensemble problems the C peers solve (`../shared/peers/README.md`): the same
/// equations, spans, initial states and tolerances, so that `medtwin bench ensemble` and the
/// peers can be run on the same parameter rows and compared.
public enum EnsembleBenchmarkProblem: String, Sendable, CaseIterable {
    /// Two-compartment oral PK, 100 mg into the gut at t = 0, t ∈ [0, 48] h; rtol 1e-6, atol 1e-9.
    case pk
    /// Robertson's stiff kinetics, k1 = 0.04·U(0.9, 1.1), t ∈ [0, 1e5]; rtol 1e-6, atol 1e-10.
    case rober
    /// The Bergman benchmark variant with a meal, t ∈ [0, 600] min; rtol 1e-6, atol 1e-9.
    case bergman

    public var system: any ODESystem {
        switch self {
        case .pk: TwoCompartmentOral()
        case .rober: Robertson()
        case .bergman: BergmanMealBenchmark()
        }
    }
    public var parameterCount: Int { self == .rober ? 3 : 5 }
    public var initialState: [Double] {
        switch self {
        case .pk: [100, 0, 0]
        case .rober: [1, 0, 0]
        case .bergman: [BergmanMealBenchmark.basalGlucose, 0, BergmanMealBenchmark.basalInsulin]
        }
    }
    public var timeSpan: (start: Double, end: Double) {
        switch self {
        case .pk: (0, 48)
        case .rober: (0, 1e5)
        case .bergman: (0, 600)
        }
    }
    public var relativeTolerance: Double { 1e-6 }
    public var absoluteTolerance: Double { self == .rober ? 1e-10 : 1e-9 }
    /// Whether the problem is stiff (Rodas4) or not (Tsit5).
    public var isStiff: Bool { self == .rober }
    public var typicalParameters: [Double] {
        switch self {
        case .pk: TwoCompartmentOral.typicalParameters
        case .rober: Robertson.typicalParameters
        case .bergman: BergmanMealBenchmark.typicalParameters
        }
    }

    /// `count` parameter rows (row-major, count × parameterCount): the rows of members 0 ..< count
    /// as ``parameters(member:seed:into:)`` draws them.
    public func drawParameters(count: Int, seed: UInt64 = 20240601) -> [Double] {
        var rows: [Double] = []
        rows.reserveCapacity(count * parameterCount)
        var row: [Double] = []
        for i in 0..<count {
            parameters(member: i, seed: seed, into: &row)
            rows += row
        }
        return rows
    }
}

extension EnsembleBenchmarkProblem {
    /// Member `index`'s parameter row, drawn as the peers' gen_params.py draws them — log-normal
    /// with CV 30% around the typical values (pk, bergman) or k1 = 0.04·U(0.9, 1.1) (rober) — from
    /// a stream of its own (seeded by seed and index), for runs without the peers' files: a run of
    /// any size needs no table, and the same seed gives the same rows.
    public func parameters(member index: Int, seed: UInt64 = 20240601, into row: inout [Double]) {
        var rng = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        _ = rng.next()
        row.removeAll(keepingCapacity: true)
        switch self {
        case .rober:
            row += [0.04 * (0.9 + 0.2 * (rng.centredUniform() + 0.5)), 3e7, 1e4]
        case .pk, .bergman:
            let omega = Double.log(1 + 0.3 * 0.3).squareRoot()
            for typical in typicalParameters { row.append(typical * Double.exp(omega * rng.standardNormal())) }
        }
    }
}

extension SplitMix64 {
    /// A standard normal draw (Box–Muller, the cosine branch).
    public mutating func standardNormal() -> Double {
        let u1 = (Double(next() >> 11) + 0.5) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }
}
