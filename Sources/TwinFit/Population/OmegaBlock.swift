import TwinLinearAlgebra

/// One block of the between-subject covariance Ω, on the random effects' scale (variances of η;
/// for an exponential random effect ω² ≈ CV² for small CV).
///
/// Ω is block-diagonal over the blocks, in the order of the population model's parameters. A
/// diagonal Ω is one ``Structure/diagonal`` block; a full Ω is one ``Structure/full`` block over
/// every parameter with a random effect; NONMEM's `$OMEGA BLOCK(n)` is one full block.
///
/// ```swift
/// let iiv = OmegaBlock(parameters: ["CL", "V1"], structure: .diagonal, values: [0.158404, 0.665856])
/// let block = OmegaBlock(parameters: ["CL", "V"], structure: .full, values: [0.09, 0.02, 0.04]) // lower triangle, row-wise
/// ```
public struct OmegaBlock: Sendable, Hashable, Codable {
    /// Diagonal (variances only) or full (lower triangle row-wise: ω₁₁, ω₂₁, ω₂₂, ω₃₁ …).
    public enum Structure: String, Sendable, Hashable, Codable { case diagonal, full }

    /// The parameters of the block, in its order.
    public var parameters: [String]
    /// Diagonal or full.
    public var structure: Structure
    /// n variances, or n(n+1)/2 lower-triangle entries row-wise.
    public var values: [Double]
    /// Whether the block was fixed in the population fit.
    public var fixed: Bool

    public init(parameters: [String], structure: Structure, values: [Double], fixed: Bool = false) {
        self.parameters = parameters
        self.structure = structure
        self.values = values
        self.fixed = fixed
    }

    enum CodingKeys: String, CodingKey { case parameters, structure, values, fixed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parameters = try c.decode([String].self, forKey: .parameters)
        structure = try c.decode(Structure.self, forKey: .structure)
        values = try c.decode([Double].self, forKey: .values)
        fixed = try c.decodeIfPresent(Bool.self, forKey: .fixed) ?? false
    }

    /// The block as a dense symmetric n × n matrix (row-major).
    ///
    /// - Throws: ``PopulationModelError/invalidOmega(_:)`` for a wrong count or a non-finite
    ///   entry, ``PopulationModelError/omegaNotPositiveDefinite(parameters:)``.
    public func matrix() throws(PopulationModelError) -> [Double] {
        let n = parameters.count
        guard n > 0 else { throw .invalidOmega("a block names no parameters") }
        let expected = structure == .diagonal ? n : n * (n + 1) / 2
        guard values.count == expected else {
            throw .invalidOmega("block \(parameters.joined(separator: ",")): \(structure.rawValue) needs \(expected) values, has \(values.count)")
        }
        guard values.allSatisfy(\.isFinite) else { throw .invalidOmega("block \(parameters.joined(separator: ",")): non-finite value") }
        var m = [Double](repeating: 0, count: n * n)
        switch structure {
        case .diagonal:
            for i in 0..<n { m[i * n + i] = values[i] }
        case .full:
            var k = 0
            for i in 0..<n {
                for j in 0...i {
                    m[i * n + j] = values[k]
                    m[j * n + i] = values[k]
                    k += 1
                }
            }
        }
        let dense = Matrix<Double>(rows: n, columns: n) { i, j in m[i * n + j] }
        guard (0..<n).allSatisfy({ m[$0 * n + $0] > 0 }), (try? CholeskyFactorization(dense)) != nil else {
            throw .omegaNotPositiveDefinite(parameters: parameters)
        }
        return m
    }
}
