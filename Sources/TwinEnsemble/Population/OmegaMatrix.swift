import TwinLinearAlgebra

/// The full between-patient covariance Ω of η for a subset of a model's parameters, with its
/// lower Cholesky factor L (Ω = L·Lᵀ), so that correlated η are drawn as η = L·z from independent
/// standard normals z.
///
/// For a log-normal parameter η is on the log scale (P = P_typical·exp η); for a normal one it
/// is in the parameter's unit (P = P_typical + η), so its Omega entries are in unit².
///
/// The text form (CSV or whitespace-separated; `#` starts a comment; blank lines ignored) is a
/// header line naming the k parameters, then k rows of k numbers. A row may start with its
/// parameter's name as a label (the header may then start with an empty cell):
///
/// ```
/// # η covariance, log scale: ω_CL = 0.3, ω_V = 0.2, correlation 0.6
/// CL,    V
/// 0.09,  0.036
/// 0.036, 0.04
/// ```
///
/// ```swift
/// let omega = try OmegaMatrix(parsing: text, source: "omega.csv")
/// omega.names                   // ["CL", "V"]
/// omega.correlation(0, 1)       // 0.6
/// ```
public struct OmegaMatrix: Sendable, Equatable {
    /// The parameter names, in the order of the rows and columns.
    public let names: [String]
    /// Ω, k×k, symmetric positive definite (symmetrised as (Ω + Ωᵀ)/2).
    public let covariance: Matrix<Double>
    /// The lower Cholesky factor L of Ω (zeros above the diagonal).
    public let choleskyFactor: Matrix<Double>
    /// Where the matrix came from (a file name), for messages.
    public let source: String
    /// L's lower triangle packed by rows: row i holds entries (i, 0)…(i, i) at i(i+1)/2.
    private let packedLower: [Double]

    /// The number of parameters k.
    public var count: Int { names.count }

    /// Parses an Omega file's text.
    ///
    /// - Parameters:
    ///   - text: the file's contents (see the type's documentation for the layout).
    ///   - source: the file's name, used in messages.
    /// - Throws: ``EnsembleError/invalidOmega(source:line:reason:)`` naming the 1-based line: no
    ///   header, a header entry that is not a name or a repeated name, a row with the wrong number
    ///   of entries, an entry that is not a number or not finite, a row label that does not match
    ///   the header, too few or too many rows, an asymmetric pair; and
    ///   ``EnsembleError/omegaNotPositiveDefinite(source:)``.
    public init(parsing text: String, source: String) throws(EnsembleError) {
        var header: [String]?
        var rows: [[Double]] = []
        var rowLines: [Int] = []
        var lineNumber = 0
        var lastLine = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = Self.fields(line)
            if fields.isEmpty { continue }
            lastLine = lineNumber
            guard let names = header else {
                header = fields
                try Self.checkHeader(fields, source: source, line: lineNumber)
                continue
            }
            let k = names.count
            guard rows.count < k else {
                throw .invalidOmega(source: source, line: lineNumber, reason: "found more than \(k) rows for the \(k) parameters \(names.joined(separator: ", "))")
            }
            var entries = fields
            if entries.count == k + 1, PopulationText.number(entries[0]) == nil {
                let label = entries.removeFirst()
                let expected = names[rows.count]
                guard label.lowercased() == expected.lowercased() else {
                    throw .invalidOmega(source: source, line: lineNumber, reason: "row label '\(label)' does not match the header: row \(rows.count + 1) is \(expected)")
                }
            }
            guard entries.count == k else {
                throw .invalidOmega(source: source, line: lineNumber, reason: "expected \(k) numbers (one per parameter: \(names.joined(separator: ", "))), found \(entries.count)")
            }
            var row: [Double] = []
            row.reserveCapacity(k)
            for (j, entry) in entries.enumerated() {
                guard let value = PopulationText.number(entry) else {
                    throw .invalidOmega(source: source, line: lineNumber, reason: "'\(entry)' in column \(j + 1) (\(names[j])) is not a number")
                }
                row.append(value)
            }
            rows.append(row)
            rowLines.append(lineNumber)
        }
        guard let names = header else {
            throw .invalidOmega(source: source, line: 0, reason: "the text is empty: no header line naming the parameters")
        }
        guard rows.count == names.count else {
            throw .invalidOmega(source: source, line: lastLine, reason: "expected \(names.count) rows after the header, found \(rows.count)")
        }
        try self.init(names: names, validating: rows, lines: rowLines, source: source)
    }

    /// An Omega matrix from names and the rows of the covariance.
    ///
    /// - Parameters:
    ///   - names: the k parameter names.
    ///   - covariance: k rows of k numbers, symmetric positive definite.
    ///   - source: a name for messages (default "Omega").
    /// - Throws: ``EnsembleError/invalidOmega(source:line:reason:)`` (line 0, the row named in the
    ///   reason) and ``EnsembleError/omegaNotPositiveDefinite(source:)``.
    public init(names: [String], covariance: [[Double]], source: String = "Omega") throws(EnsembleError) {
        try Self.checkHeader(names, source: source, line: 0)
        guard covariance.count == names.count else {
            throw .invalidOmega(source: source, line: 0, reason: "expected \(names.count) rows (one per parameter), found \(covariance.count)")
        }
        for (i, row) in covariance.enumerated() where row.count != names.count {
            throw .invalidOmega(source: source, line: 0, reason: "row \(i + 1) (\(names[i])) has \(row.count) numbers, expected \(names.count)")
        }
        try self.init(names: names, validating: covariance, lines: [Int](repeating: 0, count: names.count), source: source)
    }

    /// Checks finiteness and symmetry, symmetrises, factors.
    private init(names: [String], validating rows: [[Double]], lines: [Int], source: String) throws(EnsembleError) {
        let k = names.count
        for i in 0..<k {
            for j in 0..<k where !rows[i][j].isFinite {
                throw .invalidOmega(source: source, line: lines[i], reason: "row \(i + 1), column \(j + 1) (\(names[i]), \(names[j])) is \(rows[i][j]); every entry must be finite")
            }
        }
        for i in 0..<k {
            for j in 0..<i {
                let a = rows[i][j], b = rows[j][i]
                if Swift.abs(a - b) > 1e-10 * Swift.max(Swift.abs(a), Swift.abs(b)) {
                    throw .invalidOmega(source: source, line: lines[i], reason: "the matrix is not symmetric: entry (\(names[i]), \(names[j])) = \(a) but (\(names[j]), \(names[i])) = \(b); a covariance matrix has equal entries across the diagonal")
                }
            }
        }
        var covariance = Matrix<Double>(rows: k, columns: k)
        for i in 0..<k { for j in 0..<k { covariance[i, j] = 0.5 * (rows[i][j] + rows[j][i]) } }
        let factor: Matrix<Double>
        do {
            factor = try CholeskyFactorization(covariance).lower
        } catch {
            throw .omegaNotPositiveDefinite(source: source)
        }
        var packed: [Double] = []
        packed.reserveCapacity(k * (k + 1) / 2)
        for i in 0..<k { for j in 0...i { packed.append(factor[i, j]) } }
        self.names = names
        self.covariance = covariance
        self.choleskyFactor = factor
        self.source = source
        self.packedLower = packed
    }

    /// The correlation Ω_ij / √(Ω_ii·Ω_jj) of parameters i and j (0-based, in ``names`` order).
    public func correlation(_ i: Int, _ j: Int) -> Double {
        covariance[i, j] / (covariance[i, i] * covariance[j, j]).squareRoot()
    }

    /// η = L·z for k independent standard normals `z`, written into `eta` (k entries).
    ///
    /// - Precondition: `z.count == count` and `eta.count == count`.
    public func correlate(_ z: [Double], into eta: inout [Double]) {
        let k = count
        precondition(z.count == k && eta.count == k, "OmegaMatrix.correlate: expected \(k) values, found \(z.count) and \(eta.count)")
        var offset = 0
        for i in 0..<k {
            var s = 0.0
            for j in 0...i { s += packedLower[offset + j] * z[j] }
            eta[i] = s
            offset += i + 1
        }
    }

    /// The fields of one line: separated by commas and/or whitespace, empty ones dropped.
    private static func fields(_ line: Substring) -> [String] {
        line.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
    }

    private static func checkHeader(_ names: [String], source: String, line: Int) throws(EnsembleError) {
        guard !names.isEmpty else {
            throw .invalidOmega(source: source, line: line, reason: "no parameter names")
        }
        var seen: Set<String> = []
        for name in names {
            guard PopulationText.isName(name) else {
                throw .invalidOmega(source: source, line: line, reason: PopulationText.number(name) != nil
                    ? "the first line must name the parameters, found the number \(name)"
                    : "'\(name)' is not a parameter name (letters, digits and _)")
            }
            guard seen.insert(name.lowercased()).inserted else {
                throw .invalidOmega(source: source, line: line, reason: "parameter \(name) appears twice in the header")
            }
        }
    }
}
