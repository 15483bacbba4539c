#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered line output: a benchmark's lines reach a pipe as they are produced, and stderr
/// lines are never held back behind stdout.
enum Console {
    static func line(_ text: String) { write(fd: 1, text + "\n") }
    static func error(_ text: String) { write(fd: 2, text + "\n") }

    private static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            // Safe: writes bytes from a live buffer; a short write continues from where it stopped.
            var offset = 0
            while offset < buffer.count {
                let n = unistdWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

#if canImport(Glibc)
private let unistdWrite = Glibc.write
#elseif canImport(Darwin)
private let unistdWrite = Darwin.write
#endif
