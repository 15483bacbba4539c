import Foundation
import TwinData
import TwinModels
import TwinODE

/// Paths of the reference data under Tests/Fixtures/Models, found from this file's location.
enum ModelFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/Models")
    static let simglucose = root.appendingPathComponent("simglucose_24h.csv")

    /// One row of simglucose_24h.csv (made by make_simglucose_fixture.py).
    struct GlucoseRow {
        let subject: String, arm: String
        let minute: Double, plasmaGlucose: Double, subcutaneousGlucose: Double, plasmaInsulin: Double
    }

    /// The rows of the simglucose fixture; lines starting with '#' are provenance.
    static func simglucoseRows() throws -> [GlucoseRow] {
        let text = try String(contentsOf: simglucose, encoding: .utf8)
        var rows: [GlucoseRow] = []
        for line in text.split(separator: "\n").dropFirst(3) where !line.hasPrefix("#") {
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 6, let m = Double(f[2]), let g = Double(f[3]), let gs = Double(f[4]), let i = Double(f[5]) else { continue }
            rows.append(GlucoseRow(subject: f[0], arm: f[1], minute: m, plasmaGlucose: g, subcutaneousGlucose: gs, plasmaInsulin: i))
        }
        return rows
    }
}

/// f(t, y, p) of a model with Doubles.
func rightHandSide<M: PhysiologicalModel>(_ model: M, t: Double = 0, y: [Double], p: [Double]) throws -> [Double] {
    var dy = [Double](repeating: 0, count: y.count)
    try y.withUnsafeBufferPointer { yb in
        try p.withUnsafeBufferPointer { pb in
            try dy.withUnsafeMutableBufferPointer { db in
                try model.rightHandSide(t: t, y: ODEVector(yb.baseAddress!, count: y.count), p: ODEVector(pb.baseAddress!, count: p.count),
                                        dy: ODEMutableVector(db.baseAddress!, count: y.count))
            }
        }
    }
    return dy
}

/// ∂f/∂y by forward-mode dual numbers (exact to rounding), column-major.
func dualJacobian<M: PhysiologicalModel>(_ model: M, t: Double, y: [Double], p: [Double]) throws -> [Double] {
    let n = y.count
    let yd = y.enumerated().map { Dual($0.element, seed: $0.offset) }
    let pd = p.map { Dual($0) }
    var fd = [Dual](repeating: Dual(0), count: n)
    try yd.withUnsafeBufferPointer { yb in
        try pd.withUnsafeBufferPointer { pb in
            try fd.withUnsafeMutableBufferPointer { db in
                try model.rightHandSide(t: Dual(t), y: ODEVector(yb.baseAddress!, count: n), p: ODEVector(pb.baseAddress!, count: p.count),
                                        dy: ODEMutableVector(db.baseAddress!, count: n))
            }
        }
    }
    var jac = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { jac[i + j * n] = fd[i].partials[j] } }
    return jac
}

/// The model's analytic Jacobian, column-major.
func analyticJacobian<M: PhysiologicalModel>(_ model: M, t: Double, y: [Double], p: [Double]) -> [Double] {
    let n = y.count
    var jac = [Double](repeating: 0, count: n * n)
    y.withUnsafeBufferPointer { yb in
        p.withUnsafeBufferPointer { pb in
            jac.withUnsafeMutableBufferPointer { jb in
                _ = model.jacobian(t: t, y: ODEVector(yb.baseAddress!, count: n), p: ODEVector(pb.baseAddress!, count: p.count),
                               into: ODEMutableVector(jb.baseAddress!, count: n * n))
            }
        }
    }
    return jac
}

/// ∫ g(t, y(t)) dt over the solution's dense output, by 5-point Gauss–Legendre on every step
/// (exact for the degree-4 interpolants when g is linear in y; Abramowitz and Stegun 1964, 25.4.29).
func integrate(_ solution: ODESolution, _ g: (Double, [Double]) -> Double) -> Double {
    guard let dense = solution.dense else { return .nan }
    let nodes = [0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640]
    let weights = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891]
    var total = 0.0
    for (start, length) in zip(dense.starts, dense.lengths) where length > 0 {
        for (x, w) in zip(nodes, weights) {
            let t = start + 0.5 * length * (1 + x)
            // Evaluate strictly inside the segment so that the step's own polynomial is used.
            guard let y = dense(min(max(t, start), start + length)) else { continue }
            total += 0.5 * length * w * g(t, y)
        }
    }
    return total
}
