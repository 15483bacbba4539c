import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A number of bytes given on the command line: `2GiB`, `512MB`, `1.5G`, `800000000`.
///
/// KB, MB, GB and TB are powers of 1000; KiB, MiB, GiB, TiB (and K, M, G, T alone) powers of 1024.
struct ByteCount: ExpressibleByArgument, CustomStringConvertible, Sendable, Equatable {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let number = text.prefix { $0.isNumber || $0 == "." }
        let unit = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factors: [String: Double] = ["": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
                                         "k": 1024, "kib": 1024, "m": 1_048_576, "mib": 1_048_576,
                                         "g": 1_073_741_824, "gib": 1_073_741_824, "t": 1_099_511_627_776, "tib": 1_099_511_627_776]
        guard let value = Double(number), value.isFinite, let factor = factors[unit] else { return nil }
        let bytes = value * factor
        guard bytes >= 1, bytes < 9e18 else { return nil }
        self.bytes = Int(bytes)
    }

    var description: String { ResourceBudget.format(bytes) }
    var defaultValueDescription: String { description }
}

/// The limits a run checks its request against before it starts; each can be raised.
struct BudgetOptions: ParsableArguments {
    /// The default memory budget.
    static let defaultMemory = ByteCount(bytes: 2 << 30)

    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("""
                The most memory the run may plan for (results, bands, solver history), e.g. 512MiB, 4GB. \
                A request that needs more stops before computing, naming what needs it.
                """, valueName: "SIZE"))
    var maxMemory: ByteCount = BudgetOptions.defaultMemory
}

/// Checked arithmetic on sizes that come from the command line, and the sentences a refusal uses.
enum ResourceBudget {
    /// The product of `factors`, or nil when it overflows `Int` (or a factor is negative).
    static func product(_ factors: Int...) -> Int? {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// `a + b`, or nil on overflow.
    static func sum(_ terms: Int?...) -> Int? {
        var result = 0
        for term in terms {
            guard let term else { return nil }
            let (value, overflow) = result.addingReportingOverflow(term)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// "1.5 GiB", "300 MiB", "12 KiB", "800 B"; "more than 8 EiB" for nil.
    static func format(_ bytes: Int?) -> String {
        guard let bytes else { return "more than 8 EiB" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), k = 0
        while value >= 1024, k < units.count - 1 { value /= 1024; k += 1 }
        if k == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[k])" : "\(rounded) \(units[k])"
    }

    /// Refuses a need above the limit with a sentence naming what needs it.
    ///
    /// - Parameters:
    ///   - what: the quantity and its size, e.g. "--points 100000 × 3 outputs × 2 threads".
    ///   - needs: the estimate in bytes (nil: too large to count).
    ///   - advice: what to lower or raise.
    static func require(_ what: String, needs bytes: Int?, within limit: ByteCount, advice: String) throws {
        guard let bytes, bytes <= limit.bytes else {
            throw ValidationError("\(what) needs \(bytes == nil ? "" : "about ")\(format(bytes)) of memory, more than --max-memory \(limit) allows; \(advice)")
        }
    }

    /// Free bytes for an unprivileged writer on the file system holding `directory`, if known.
    static func freeSpace(in directory: String) -> Int? {
        var info = statvfs()
        // Safe: statvfs fills the struct or fails.
        guard statvfs(directory, &info) == 0 else { return nil }
        return product(Int(info.f_bavail), Int(info.f_frsize))
    }
}
