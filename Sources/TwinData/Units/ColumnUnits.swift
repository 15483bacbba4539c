import Foundation

/// The units of a NONMEM-style CSV file's columns, which the file itself does not carry.
///
/// Readers refuse to guess: TIME, and DV and AMT when present, must have a unit. RATE is in
/// AMT's unit per TIME's unit, DUR and II in TIME's unit, LLOQ in DV's unit. Covariate columns
/// may have one (WT=kg); without one their values are kept as written.
///
/// Give units on the command line (`--units TIME=h,DV=mg/L,AMT=mg,WT=kg`, parsed by
/// ``init(parsing:)``) or in a JSON sidecar next to the file — `theophylline.units.json` beside
/// `theophylline.csv` — holding one object of column → unit:
///
/// ```json
/// {"TIME": "h", "DV": "mg/L", "AMT": "mg", "WT": "kg"}
/// ```
///
/// ```swift
/// let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg,WT=kg")
/// units["time"]          // MeasurementUnit.hour (names are case-insensitive)
/// ```
public struct ColumnUnits: Hashable, Sendable {
    /// Units by upper-case column name.
    public var units: [String: MeasurementUnit]

    /// Units from a dictionary (names are upper-cased).
    ///
    /// Names that differ only in case ("dv" and "DV") name one column; when they carry
    /// different units the spelling that sorts last (in Unicode order: lower case after upper)
    /// wins, the same on every run. Use ``init(validating:)`` to refuse such a dictionary.
    public init(_ units: [String: MeasurementUnit] = [:]) {
        var upper: [String: MeasurementUnit] = [:]
        for k in units.keys.sorted() { upper[k.uppercased()] = units[k] }
        self.units = upper
    }

    /// Units from a dictionary, refusing names that differ only in case.
    ///
    /// - Throws: ``RecordError/badValue(_:expected:found:)`` naming both spellings.
    public init(validating units: [String: MeasurementUnit]) throws(RecordError) {
        var seen: [String: String] = [:]
        for k in units.keys.sorted() {
            if let other = seen[k.uppercased()] {
                throw .badValue(RecordLocation(file: "<units>", columnName: k.uppercased()),
                                expected: "one unit per column (names are case-insensitive)", found: "both '\(other)' and '\(k)'")
            }
            seen[k.uppercased()] = k
        }
        self.init(units)
    }

    /// The unit of a column (case-insensitive).
    public subscript(column: String) -> MeasurementUnit? {
        get { units[column.uppercased()] }
        set { units[column.uppercased()] = newValue }
    }

    /// Parses `NAME=unit,NAME=unit,…` (what the CLI's `--units` takes). Errors are located in
    /// the file `<units>`, with the column name.
    ///
    /// - Throws: ``RecordError/badValue(_:expected:found:)`` for an entry without `=`,
    ///   ``RecordError/unknownUnit(_:unit:known:)`` for an unknown unit.
    public init(parsing spec: String) throws(RecordError) {
        var units: [String: MeasurementUnit] = [:]
        let location = RecordLocation(file: "<units>")
        for entry in spec.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw .badValue(location, expected: "NAME=unit (TIME=h)", found: String(entry))
            }
            let name = String(parts[0]).trimmingWhitespace().uppercased()
            let unitText = String(parts[1]).trimmingWhitespace()
            guard !name.isEmpty else { throw .badValue(location, expected: "a column name before '='", found: String(entry)) }
            var here = location
            here.columnName = name
            if units[name] != nil {
                throw .badValue(here, expected: "each column once (names are case-insensitive: TIME and time are one column)",
                                found: String(entry).trimmingWhitespace())
            }
            units[name] = try MeasurementUnit.parse(unitText, location: here)
        }
        self.units = units
    }

    /// Reads a JSON sidecar: one object mapping column names to unit spellings.
    ///
    /// - Parameter file: the sidecar's name, for messages.
    /// - Throws: ``RecordError/malformed(_:message:)`` when it is not such an object,
    ///   ``RecordError/unknownUnit(_:unit:known:)`` for an unknown unit.
    public init(sidecarJSON data: Data, file: String) throws(RecordError) {
        if let problem = data.withUnsafeBytes({ TextEncoding.problem($0, file: file) }) { throw problem }
        if let syntax = data.withUnsafeBytes({ JSONSyntax.firstError($0) }) {
            throw .malformed(RecordLocation(file: file, line: syntax.line, column: syntax.column), message: "not valid JSON: \(syntax.message)")
        }
        let decoded: [String: String]
        do {
            decoded = try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw .malformed(RecordLocation(file: file, jsonPath: "$"),
                             message: "expected a JSON object of column name → unit ({\"TIME\": \"h\", \"DV\": \"mg/L\"}), found something else")
        }
        var units: [String: MeasurementUnit] = [:]
        var spelling: [String: String] = [:]
        // Every key as written, in file order: JSONDecoder keeps one of two equal keys silently,
        // and keys that differ only in case would make the answer depend on dictionary order.
        for name in Self.sidecarKeys(data) {
            let upper = name.uppercased()
            if let other = spelling[upper] {
                let what = other == name ? "the key '\(name)' appears twice" : "the keys '\(other)' and '\(name)' name the same column (names are case-insensitive)"
                throw .malformed(RecordLocation(file: file, jsonPath: "$.\(name)"), message: "\(what); keep one of them")
            }
            spelling[upper] = name
        }
        for name in decoded.keys.sorted() {
            let upper = name.uppercased()
            units[upper] = try MeasurementUnit.parse(decoded[name] ?? "", location: RecordLocation(file: file, jsonPath: "$.\(name)"))
        }
        self.units = units
    }

    /// The member names of a flat JSON object of strings, in file order, duplicates kept
    /// (the strings at even positions; the document is known to be valid JSON).
    static func sidecarKeys(_ data: Data) -> [String] {
        var keys: [String] = []
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var i = 0
            var index = 0
            let n = bytes.count
            while i < n {
                guard bytes[i] == 34 else { i += 1; continue }
                let start = i
                i += 1
                while i < n, bytes[i] != 34 { i += bytes[i] == 92 ? 2 : 1 }
                i += 1
                if index % 2 == 0, i <= n {
                    let literal = Data("[".utf8) + Data(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) + Data("]".utf8)
                    if let key = try? JSONDecoder().decode([String].self, from: literal).first { keys.append(key) }
                }
                index += 1
            }
        }
        return keys
    }

    /// The sidecar's location for a CSV file: the same name with `.units.json` in place of the
    /// extension (`data/theoph.csv` → `data/theoph.units.json`).
    public static func sidecarURL(for csv: URL) -> URL {
        csv.deletingPathExtension().appendingPathExtension("units.json")
    }

    /// The sidecar's units, or nil when there is no sidecar.
    ///
    /// - Throws: as ``init(sidecarJSON:file:)``, or ``RecordError/io(file:message:)``.
    public static func loadSidecar(for csv: URL) throws(RecordError) -> ColumnUnits? {
        let url = sidecarURL(for: csv)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .io(file: url.lastPathComponent, message: "cannot read the units sidecar: \(error.localizedDescription)")
        }
        return try ColumnUnits(sidecarJSON: data, file: url.lastPathComponent)
    }

    /// The units as a sidecar JSON object, keys sorted.
    public func sidecarJSON() -> Data {
        var object: [String: String] = [:]
        for (k, v) in units { object[k] = v.symbol }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(object)) ?? Data("{}".utf8)
    }
}
