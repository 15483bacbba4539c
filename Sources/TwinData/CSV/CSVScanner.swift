/// Splits CSV bytes into lines and fields without copying: each field is a byte range into the
/// input. Quoted fields (RFC 4180, `""` for a quote inside) are supported; a quoted field that
/// spans lines is not (NONMEM files have none) and is reported as malformed.
struct CSVScanner {
    /// A field's byte range in the input and whether it was quoted with `""` inside (needs unescaping).
    struct Field {
        var start: Int
        var end: Int
        var hasEscapedQuote: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next line's first byte.
    var position = 0
    /// 1-based number of the line last returned.
    var lineNumber = 0
    /// Byte range of the line last read (also when it was refused).
    var lineStart = 0
    var lineEnd = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Skip a UTF-8 byte-order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    enum LineError: Error {
        case tooLong
        case tooManyFields
        case unterminatedQuote(column: Int)
        case textAfterQuote(column: Int)
    }

    /// Reads the next non-blank, non-comment (`#`) line into `fields` (cleared first). Returns
    /// false at the end of the input. Fields are trimmed of spaces and tabs.
    mutating func nextLine(into fields: inout [Field], maximumLineBytes: Int, maximumFields: Int) throws(LineError) -> Bool {
        let n = bytes.count
        while position < n {
            lineNumber += 1
            let lineStart = position
            // Find the end of the line.
            var end = lineStart
            while end < n, bytes[end] != 10 { end += 1 }
            position = end < n ? end + 1 : n
            var lineEnd = end
            if lineEnd > lineStart, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            self.lineStart = lineStart
            self.lineEnd = lineEnd
            if lineEnd - lineStart > maximumLineBytes { throw .tooLong }
            // Blank or comment line?
            var first = lineStart
            while first < lineEnd, bytes[first] == 32 || bytes[first] == 9 { first += 1 }
            if first == lineEnd || bytes[first] == UInt8(ascii: "#") { continue }
            try split(lineStart, lineEnd, into: &fields, maximumFields: maximumFields)
            return true
        }
        return false
    }

    private func split(_ lineStart: Int, _ lineEnd: Int, into fields: inout [Field], maximumFields: Int) throws(LineError) {
        fields.removeAll(keepingCapacity: true)
        var i = lineStart
        while true {
            if fields.count >= maximumFields { throw .tooManyFields }
            while i < lineEnd, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
            if i < lineEnd, bytes[i] == 34 {            // quoted field
                let start = i + 1
                var j = start
                var escaped = false
                var closed = false
                while j < lineEnd {
                    if bytes[j] == 34 {
                        if j + 1 < lineEnd, bytes[j + 1] == 34 { escaped = true; j += 2; continue }
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed { throw .unterminatedQuote(column: fields.count + 1) }
                fields.append(Field(start: start, end: j, hasEscapedQuote: escaped))
                i = j + 1
                while i < lineEnd, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
                if i < lineEnd, bytes[i] != 44 { throw .textAfterQuote(column: fields.count) }
            } else {
                let start = i
                while i < lineEnd, bytes[i] != 44 { i += 1 }
                var end = i
                while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
                fields.append(Field(start: start, end: end, hasEscapedQuote: false))
            }
            if i >= lineEnd { break }
            i += 1                                   // skip the comma
            if i == lineEnd {                         // trailing comma: one more, empty field
                fields.append(Field(start: i, end: i, hasEscapedQuote: false))
                break
            }
        }
    }

    /// The text of field `index` (0-based) of the line last read, split naively on commas
    /// (quotes not honoured), or nil when the line has fewer fields or it is missing. Used to
    /// name the subject of a line that was refused as a whole (too long, too many fields).
    func rawField(_ index: Int) -> String? {
        var field = 0
        var start = lineStart
        var i = lineStart
        while i <= lineEnd {
            if i == lineEnd || bytes[i] == 44 {
                if field == index {
                    var a = start, b = i
                    while a < b, bytes[a] == 32 || bytes[a] == 9 || bytes[a] == 34 { a += 1 }
                    while b > a, bytes[b - 1] == 32 || bytes[b - 1] == 9 || bytes[b - 1] == 34 { b -= 1 }
                    if a == b || (b == a + 1 && bytes[a] == UInt8(ascii: ".")) { return nil }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
                }
                field += 1
                start = i + 1
            }
            i += 1
        }
        return nil
    }

    /// The field's bytes.
    @inline(__always)
    func slice(_ field: Field) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
    }

    /// The field as text (unescaping `""`).
    func text(_ field: Field) -> String {
        let s = String(decoding: slice(field), as: UTF8.self)
        return field.hasEscapedQuote ? s.replacingAll("\"\"", with: "\"") : s
    }

    /// True when the field is empty or a lone ".": NONMEM's missing value.
    @inline(__always)
    func isMissing(_ field: Field) -> Bool {
        field.end == field.start || (field.end == field.start + 1 && bytes[field.start] == UInt8(ascii: "."))
    }
}
