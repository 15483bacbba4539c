/// Root finding for state events on an interpolant: the Illinois variant of regula falsi
/// (Dowell and Jarratt 1971, BIT 11, 168–174) — superlinear, and always bracketing.
enum EventLocator {
    /// A time in [a, b] where g changes sign, given g(a) = ga and g(b) = gb of opposite signs
    /// (or gb = 0), located to |Δt| ≤ 4ε·max(|a|, |b|, 1) — far below 1e-10 for t of order 10⁴.
    static func root(of g: (Double) -> Double, from a0: Double, _ ga0: Double, to b0: Double, _ gb0: Double) -> Double {
        if gb0 == 0 { return b0 }
        var (a, ga, b, gb) = (a0, ga0, b0, gb0)
        let tolerance = 4 * Double.ulpOfOne * max(abs(a), abs(b), 1)
        var side = 0
        for _ in 0..<200 {
            if b - a <= tolerance { break }
            var c = (a * gb - b * ga) / (gb - ga)
            if !(c > a && c < b) { c = 0.5 * (a + b) }
            let gc = g(c)
            if gc == 0 { return c }
            if (gc < 0) == (ga < 0) {
                a = c; ga = gc
                if side == -1 { gb *= 0.5 }
                side = -1
            } else {
                b = c; gb = gc
                if side == 1 { ga *= 0.5 }
                side = 1
            }
        }
        // The crossing is at or before b: report b so the event state is on the crossed side.
        return b
    }
}
