import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OpenBLAS runtime and the operating system, reached from C; everything above this file
/// sees only Swift values.
enum OpenBLASBackend {
    static var coreName: String {
        // Safe: openblas_get_corename returns a pointer to a static NUL-terminated string.
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    static var configuration: String {
        // Safe: openblas_get_config returns a pointer to a static NUL-terminated string.
        guard let p = openblas_get_config() else { return "" }
        return String(cString: p).trimmingSpaces()
    }

    static var threadCount: Int { Int(openblas_get_num_threads()) }

    static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(clamping: n)) }

    static var processorCount: Int { Int(openblas_get_num_procs()) }

    static var cpuFeatures: CPUFeatures { CPUFeatures(rawValue: medtwin_cpu_features()) }

    /// Whether this OpenBLAS build carries the kernels of core `name` (a DYNAMIC_ARCH build
    /// exports one `gotoblas_<NAME>` table per core it was built with).
    static func hasCore(_ name: String) -> Bool {
        // Safe: dlopen(nil) is the already-loaded process image; dlsym only looks the name up.
        guard let handle = dlopen(nil, RTLD_NOW) else { return false }
        defer { dlclose(handle) }
        return dlsym(handle, "gotoblas_" + name.uppercased()) != nil
    }

    static func environment(_ name: String) -> String? {
        // Safe: getenv returns nil or a NUL-terminated string owned by the environment.
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }

    /// The per-core L2 cache of CPU 0 in KiB, from sysfs (Linux), or nil when unknown.
    static var level2CacheKiB: Int? {
        for index in 0..<8 {
            let base = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
            guard let level = readSmallFile(base + "level"), level == "2",
                  let type = readSmallFile(base + "type"), type != "Instruction",
                  let size = readSmallFile(base + "size") else { continue }
            return parseKiB(size)
        }
        return nil
    }

    /// Paths of the mapped shared objects whose file name mentions a BLAS or LAPACK library (Linux).
    static var mappedLinearAlgebraLibraries: [String] {
        guard let text = readSmallFile("/proc/self/maps", limit: 1 << 22) else { return [] }
        var seen: [String] = []
        for line in text.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            let file = path.split(separator: "/").last.map(String.init) ?? path
            let lower = file.lowercased()
            let isLinearAlgebra = ["blas", "lapack", "mkl", "blis", "atlas"].contains { lower.contains($0) }
            if isLinearAlgebra && !seen.contains(path) { seen.append(path) }
        }
        return seen
    }

    /// Reads a small text file with the C library (no Foundation in numeric targets).
    static func readSmallFile(_ path: String, limit: Int = 1 << 16) -> String? {
        // Safe: the FILE is closed on every path; fread writes at most `chunk.count` bytes into `chunk`.
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self).trimmingSpaces()
    }
}

/// "2048K" → 2048, "4M" → 4096, "512" (bytes) → 0.
func parseKiB(_ text: String) -> Int? {
    let t = text.trimmingSpaces()
    if t.hasSuffix("K"), let v = Int(t.dropLast()) { return v }
    if t.hasSuffix("M"), let v = Int(t.dropLast()) { return v * 1024 }
    if let v = Int(t) { return v / 1024 }
    return nil
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
