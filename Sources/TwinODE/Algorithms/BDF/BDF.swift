/// A variable-order (1–5), quasi-constant step size backward differentiation formula for stiff
/// problems, in the backward-difference form of Shampine and Reichelt: the step changes by
/// interpolating the difference array, the order by comparing error estimates of the
/// neighbouring orders. Newton iterations reuse the Jacobian until they fail to converge and
/// the LU of I − (h/α)·J until h or the order changes.
///
/// References: Shampine and Reichelt (1997), "The MATLAB ODE suite", SIAM J. Sci. Comput. 18,
/// 1–22; Byrne and Hindmarsh (1975), ACM TOMS 1, 71–96 (variable-order BDF in difference form).
public struct BDF: ODEAlgorithm {
    /// The highest order used (1 … 5).
    public var maxOrder: Int

    public init(maxOrder: Int = 5) { self.maxOrder = min(5, max(1, maxOrder)) }
    public var name: String { "BDF" }
    public var order: Int { maxOrder }
    public var isStiff: Bool { true }
    public var descriptor: AlgorithmDescriptor { AlgorithmDescriptor(kind: .bdf(maxOrder: maxOrder)) }
}

extension ODEAlgorithm where Self == BDF {
    /// Variable-order BDF, orders 1 to 5.
    public static var bdf: BDF { BDF() }
    /// Variable-order BDF, orders 1 to `maxOrder`.
    public static func bdf(maxOrder: Int) -> BDF { BDF(maxOrder: maxOrder) }
}
