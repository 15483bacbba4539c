/// Where in a source a problem was found: a CSV file's line and column, a FHIR document's JSON
/// path, or a character of a regimen string.
///
/// Locations name the file and the record ID (never a patient's name or other identifier from
/// FHIR), so that a message can go into a log.
///
/// ```swift
/// let here = RecordLocation(file: "theophylline.csv", line: 17, column: 4, columnName: "AMT")
/// print(here)   // theophylline.csv line 17, column 4 (AMT)
/// ```
public struct RecordLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file name as given to the reader (or a label such as `"<input>"`).
    public var file: String
    /// The 1-based line number in a CSV or NDJSON file.
    public var line: Int?
    /// The 1-based column (field) number in a CSV row.
    public var column: Int?
    /// The CSV column's header name, upper-cased (`"AMT"`).
    public var columnName: String?
    /// The JSON path inside a FHIR document (`"entry[3].resource.valueQuantity.code"`).
    public var jsonPath: String?
    /// The record (subject) ID the problem belongs to, when known.
    public var recordID: String?

    /// A location with any of its parts.
    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil,
                jsonPath: String? = nil, recordID: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.jsonPath = jsonPath
        self.recordID = recordID
    }

    /// True for a CSV cell of a column where NONMEM's "." (missing) is a legal value: not ID,
    /// TIME or EVID, and not a JSON path or a regimen.
    var acceptsMissingMarker: Bool {
        guard jsonPath == nil, line != nil, let columnName else { return false }
        return !["ID", "TIME", "EVID"].contains(columnName)
    }

    public var description: String {
        var text = file
        if let line { text += " line \(line)" }
        if let column {
            text += ", column \(column)"
            if let columnName { text += " (\(columnName))" }
        } else if let columnName {
            text += ", column \(columnName)"
        }
        if let jsonPath { text += " at \(jsonPath)" }
        if let recordID { text += " [ID \(recordID)]" }
        return text
    }
}
