import Foundation
import Testing
@testable import TwinEnsemble

/// The step-size controllers' vector log₂ and 2ˣ, against Foundation's scalar ones.
@Suite("LaneMath: the controllers' vector log₂ and 2ˣ")
struct LaneMathTests {
    /// Positive normal numbers spread over the whole exponent range, with varied significands.
    static let samples: [Double] = (0..<4096).map { k in
        let significand = 1 + Double((k &* 2654435761) % 1_000_003) / 1_000_003
        return significand * Foundation.pow(2, Double(k % 2040 - 1020))
    }

    @Test("log₂ is within 1e-7 of Foundation's log2 across the exponent range (fit bound 8.6e-8)")
    func logarithmMatchesFoundation() {
        var worst = 0.0
        for start in stride(from: 0, to: Self.samples.count, by: 8) {
            let x = SIMD8<Double>((0..<8).map { Self.samples[start + $0] })
            let y = LaneMath.log2(x)
            for lane in 0..<8 { worst = max(worst, abs(y[lane] - Foundation.log2(x[lane]))) }
        }
        // Expected: the fit's maximum error on the reduced interval (Benchmarks/scripts/fit-lane-log2.py).
        #expect(worst < 1e-7)
        #expect(LaneMath.log2(SIMD8<Double>(repeating: 1)) == SIMD8<Double>(repeating: 0))
    }

    @Test("2ˣ is within 2e-7 relative of Foundation's exp2 on [−1000, 1000] (Taylor bound 1.9e-7)")
    func exponentialMatchesFoundation() {
        var worst = 0.0
        for k in 0..<512 {
            let x = SIMD8<Double>((0..<8).map { Double(k * 8 + $0) / 4096 * 2000 - 1000 + 0.37 })
            let y = LaneMath.exp2(x)
            for lane in 0..<8 { worst = max(worst, abs(y[lane] / Foundation.exp2(x[lane]) - 1)) }
        }
        #expect(worst < 2e-7)
    }

    @Test("Every lane width gives the same bits lane by lane")
    func widthsAgree() {
        let x = Array(Self.samples.prefix(8))
        let wide = LaneMath.exp2(-0.17 * LaneMath.log2(SIMD8<Double>(x)))
        for start in stride(from: 0, to: 8, by: 2) {
            let narrow = LaneMath.exp2(-0.17 * LaneMath.log2(SIMD2<Double>(x[start], x[start + 1])))
            #expect(narrow[0].bitPattern == wide[start].bitPattern && narrow[1].bitPattern == wide[start + 1].bitPattern)
        }
        for start in stride(from: 0, to: 8, by: 4) {
            let four = LaneMath.exp2(-0.17 * LaneMath.log2(SIMD4<Double>(x[start..<(start + 4)])))
            for lane in 0..<4 { #expect(four[lane].bitPattern == wide[start + lane].bitPattern) }
        }
    }
}
