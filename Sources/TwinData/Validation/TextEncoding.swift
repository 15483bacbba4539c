/// Recognises inputs that are not UTF-8 text before a reader misreads them: UTF-16 and UTF-32
/// (with a byte-order mark, or without one but with the zero bytes they put between ASCII
/// characters) and binary data with NUL bytes.
enum TextEncoding {
    /// The problem with `bytes` as UTF-8 text, or nil when they may be UTF-8.
    ///
    /// Only the first 4 KiB are inspected, so the check costs nothing on large files.
    static func problem(_ bytes: UnsafeRawBufferPointer, file: String) -> RecordError? {
        let n = bytes.count
        func b(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0xAA }
        var encoding: String?
        var iconv = ""
        if n >= 4, b(0) == 0, b(1) == 0, b(2) == 0xFE, b(3) == 0xFF {
            encoding = "UTF-32 big-endian (byte-order mark 00 00 FE FF)"; iconv = "UTF-32BE"
        } else if n >= 4, b(0) == 0xFF, b(1) == 0xFE, b(2) == 0, b(3) == 0 {
            encoding = "UTF-32 little-endian (byte-order mark FF FE 00 00)"; iconv = "UTF-32LE"
        } else if n >= 2, b(0) == 0xFE, b(1) == 0xFF {
            encoding = "UTF-16 big-endian (byte-order mark FE FF)"; iconv = "UTF-16BE"
        } else if n >= 2, b(0) == 0xFF, b(1) == 0xFE {
            encoding = "UTF-16 little-endian (byte-order mark FF FE)"; iconv = "UTF-16LE"
        } else {
            // No mark: look for zero bytes in the first 4 KiB.
            let limit = min(n, 4096)
            var firstZero = -1
            var evenZeros = 0, oddZeros = 0
            for i in 0..<limit where bytes[i] == 0 {
                if firstZero < 0 { firstZero = i }
                if i % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
            }
            if firstZero < 0 { return nil }
            let pairs = limit / 2
            if n >= 4, b(0) != 0, b(1) == 0, b(2) == 0, b(3) == 0 {
                encoding = "UTF-32 little-endian (no byte-order mark; zero bytes after each character)"; iconv = "UTF-32LE"
            } else if n >= 4, b(0) == 0, b(1) == 0, b(2) == 0, b(3) != 0 {
                encoding = "UTF-32 big-endian (no byte-order mark)"; iconv = "UTF-32BE"
            } else if oddZeros * 2 >= pairs, evenZeros * 8 < pairs {
                encoding = "UTF-16 little-endian (no byte-order mark; a zero byte after each ASCII character)"; iconv = "UTF-16LE"
            } else if evenZeros * 2 >= pairs, oddZeros * 8 < pairs {
                encoding = "UTF-16 big-endian (no byte-order mark; a zero byte before each ASCII character)"; iconv = "UTF-16BE"
            } else {
                return .malformed(RecordLocation(file: file),
                                  message: "the file holds a zero (NUL) byte at byte \(firstZero + 1): it is not UTF-8 text (binary data, or UTF-16/UTF-32); convert it to UTF-8")
            }
        }
        guard let encoding else { return nil }
        return .malformed(RecordLocation(file: file),
                          message: "the file is encoded in \(encoding); MedTwin reads UTF-8 only: convert it to UTF-8 (iconv -f \(iconv) -t UTF-8 \(file) > converted), or save it as \"UTF-8\" from the spreadsheet")
    }
}
