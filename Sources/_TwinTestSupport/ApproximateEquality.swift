import TwinLinearAlgebra

/// ‖a − b‖_F / ‖b‖_F (or ‖a − b‖_F when b is zero): the relative error of `a` against the reference `b`.
public func relativeError<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> S {
    precondition(a.rows == b.rows && a.columns == b.columns, "relativeError: \(a.shapeDescription) vs \(b.shapeDescription)")
    var diff: S = 0, ref: S = 0
    for k in 0..<a.elements.count {
        let d = a.elements[k] - b.elements[k]
        diff += d * d
        ref += b.elements[k] * b.elements[k]
    }
    return ref == 0 ? diff.squareRoot() : (diff / ref).squareRoot()
}

/// The relative error of vector `a` against reference `b`, in the 2-norm.
public func relativeError<S: BLASScalar>(_ a: [S], _ b: [S]) -> S {
    relativeError(Matrix(column: a), Matrix(column: b))
}

/// |a − b| ≤ tolerance · max(1, |b|).
public func isClose<S: BinaryFloatingPoint>(_ a: S, _ b: S, tolerance: S) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// |a − b| ≤ tolerance · |b|: a purely relative comparison for values far from 1.
public func isRelativelyClose<S: BinaryFloatingPoint>(_ a: S, _ b: S, tolerance: S) -> Bool {
    abs(a - b) <= tolerance * abs(b)
}

/// A backward-error tolerance of `ulps` units of roundoff per unit of order n: `ulps · n · ε`.
public func ulpTolerance<S: BLASScalar>(_: S.Type, n: Int, ulps: Int = 8) -> S {
    S(ulps) * S(max(n, 1)) * S.ulpOfOne
}
