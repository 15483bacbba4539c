/// Finds the first syntax error in JSON text and where it is (line and column), for messages
/// that point at the character: Foundation's JSON errors do not carry a line and column on
/// every platform.
///
/// An iterative scanner (no recursion, so deep nesting cannot exhaust the stack) over RFC 8259
/// JSON: one value, optional whitespace around it.
enum JSONSyntax {
    /// A syntax error: 0-based byte offset, 1-based line and column (in characters), and what
    /// was expected.
    struct Failure: Equatable {
        var offset: Int
        var line: Int
        var column: Int
        var message: String
    }

    /// The first syntax error in `bytes`, or nil when they are one well-formed JSON value.
    static func firstError(_ bytes: UnsafeRawBufferPointer) -> Failure? {
        guard let (offset, message) = scan(bytes) else { return nil }
        let (line, column) = position(of: offset, in: bytes)
        return Failure(offset: offset, line: line, column: column, message: message)
    }

    /// 1-based line and column (counting characters, not bytes) of byte `offset`.
    static func position(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    private enum Container { case object, array }

    private static func describe(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> String {
        guard i < bytes.count else { return "the end of the text" }
        let b = bytes[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "the byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private static func scan(_ bytes: UnsafeRawBufferPointer) -> (Int, String)? {
        let n = bytes.count
        var i = 0
        var stack: [Container] = []
        func skipSpace() { while i < n, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 } }
        func fail(_ expected: String) -> (Int, String) { (i, "expected \(expected), found \(describe(bytes, i))") }

        // States: expecting a value; after a value (expecting , or a closing bracket or the end).
        var expectingValue = true
        var afterComma = false
        while true {
            skipSpace()
            if expectingValue {
                guard i < n else { return fail("a value") }
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "{"):
                    i += 1
                    skipSpace()
                    if i < n, bytes[i] == UInt8(ascii: "}") { i += 1; expectingValue = false; continue }
                    stack.append(.object)
                    // A member: a string key and ':'.
                    if let e = member() { return e }
                    continue
                case UInt8(ascii: "["):
                    i += 1
                    skipSpace()
                    if i < n, bytes[i] == UInt8(ascii: "]") { i += 1; expectingValue = false; continue }
                    stack.append(.array)
                    continue
                case UInt8(ascii: "\""):
                    if let e = string() { return e }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let e = number() { return e }
                case UInt8(ascii: "t"): if let e = literal("true") { return e }
                case UInt8(ascii: "f"): if let e = literal("false") { return e }
                case UInt8(ascii: "n"): if let e = literal("null") { return e }
                default:
                    if b == UInt8(ascii: "]") || b == UInt8(ascii: "}"), afterComma { return fail("a value after ',' (a trailing comma is not JSON)") }
                    return fail("a value (an object, array, string, number, true, false or null)")
                }
                expectingValue = false
                afterComma = false
                continue
            }
            // After a value.
            guard let top = stack.last else {
                if i < n { return fail("the end of the document after the value (one JSON value per document; NDJSON has one per line)") }
                return nil
            }
            guard i < n else { return fail(top == .object ? "',' or '}'" : "',' or ']'") }
            let b = bytes[i]
            if b == UInt8(ascii: ",") {
                i += 1
                afterComma = true
                if top == .object {
                    skipSpace()
                    if i < n, bytes[i] == UInt8(ascii: "}") { return fail("a member name in quotes after ',' (a trailing comma is not JSON)") }
                    if let e = member() { return e }
                }
                expectingValue = true
                continue
            }
            if top == .object && b == UInt8(ascii: "}") || top == .array && b == UInt8(ascii: "]") {
                i += 1
                stack.removeLast()
                continue
            }
            return fail(top == .object ? "',' or '}'" : "',' or ']'")
        }

        func member() -> (Int, String)? {
            skipSpace()
            guard i < n, bytes[i] == UInt8(ascii: "\"") else { return fail("a member name in double quotes") }
            if let e = string() { return e }
            skipSpace()
            guard i < n, bytes[i] == UInt8(ascii: ":") else { return fail("':' after the member name") }
            i += 1
            expectingValue = true
            return nil
        }

        func string() -> (Int, String)? {
            i += 1      // opening quote
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return nil }
                if b < 0x20 { return fail("a closing '\"' (a control character or line break inside a string must be escaped)") }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < n else { return fail("an escape after '\\'") }
                    switch bytes[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 1
                    case UInt8(ascii: "u"):
                        i += 1
                        for _ in 0..<4 {
                            guard i < n, isHex(bytes[i]) else { return fail("four hexadecimal digits after '\\u'") }
                            i += 1
                        }
                    default:
                        return fail("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                    }
                    continue
                }
                i += 1
            }
            return fail("a closing '\"'")
        }

        func number() -> (Int, String)? {
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(bytes[i]) else { return fail("a digit") }
            if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while i < n, isDigit(bytes[i]) { i += 1 } }
            if i < n, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < n, isDigit(bytes[i]) else { return fail("a digit after '.'") }
                while i < n, isDigit(bytes[i]) { i += 1 }
            }
            if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < n, isDigit(bytes[i]) else { return fail("a digit in the exponent") }
                while i < n, isDigit(bytes[i]) { i += 1 }
            }
            return nil
        }

        func literal(_ word: String) -> (Int, String)? {
            for c in word.utf8 {
                guard i < n, bytes[i] == c else { return fail("'\(word)'") }
                i += 1
            }
            return nil
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 97 && b | 0x20 <= 102) }
}
