import Foundation
import MedTwin

/// A self-contained SVG of a simulation: one panel per output unit (outputs that share a unit
/// share a panel), a common time axis, 1–2–5 ticks, a legend, dose times marked, and the run's
/// provenance in the file's <desc>.
enum SVGPlot {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    static func render(model: AnyPhysiologicalModel, run: ModelRun, doseTimes: [Double], provenance: [String]) -> String {
        let sim = run.simulation
        // Group outputs by unit, in first-appearance order.
        var groups: [(unit: String, outputs: [Int])] = []
        for (k, output) in sim.outputs.enumerated() {
            if let g = groups.firstIndex(where: { $0.unit == output.unit }) { groups[g].outputs.append(k) } else { groups.append((output.unit, [k])) }
        }
        let width = 900.0, left = 80.0, right = 30.0, top = 56.0, panelHeight = 200.0, gap = 46.0, bottom = 50.0
        let height = top + Double(groups.count) * panelHeight + Double(max(groups.count - 1, 0)) * gap + bottom
        let plotWidth = width - left - right
        let t0 = sim.times.first ?? 0, t1 = max(sim.times.last ?? 1, t0 + 1e-12)
        let xTicks = ticks(t0, t1)
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <desc>\(escape(provenance.joined(separator: "\n")))</desc>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15" font-weight="bold">\(escape(model.title))</text>
            <text x="\(left)" y="40" fill="#555">\(escape(model.name)) · \(escape(run.parameterSource)) · status: \(escape(sim.status.description))</text>

            """
        for (g, group) in groups.enumerated() {
            let y0 = top + Double(g) * (panelHeight + gap)
            var lo = Double.infinity, hi = -Double.infinity
            for row in sim.values { for k in group.outputs where row[k].isFinite { lo = min(lo, row[k]); hi = max(hi, row[k]) } }
            if !lo.isFinite { lo = 0; hi = 1 }
            if hi - lo < 1e-12 * max(abs(hi), 1) { lo -= max(abs(lo) * 0.05, 0.5); hi += max(abs(hi) * 0.05, 0.5) }
            let yTicks = ticks(lo, hi)
            lo = min(lo, yTicks.first ?? lo); hi = max(hi, yTicks.last ?? hi)
            func y(_ v: Double) -> Double { y0 + panelHeight - (v - lo) / (hi - lo) * panelHeight }
            svg += "<rect x=\"\(left)\" y=\"\(f(y0))\" width=\"\(f(plotWidth))\" height=\"\(f(panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
            for v in yTicks {
                svg += "<line x1=\"\(left)\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(label(v))</text>\n"
            }
            for t in xTicks {
                svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(y0))\" y2=\"\(f(y0 + panelHeight))\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(f(x(t)))\" y=\"\(f(y0 + panelHeight + 16))\" text-anchor=\"middle\">\(label(t))</text>\n"
            }
            for t in doseTimes where t >= t0 && t <= t1 {
                svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(y0))\" y2=\"\(f(y0 + panelHeight))\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>\n"
            }
            let unit = group.unit.isEmpty ? "(no unit)" : group.unit
            svg += "<text transform=\"translate(\(f(left - 56)) \(f(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(unit))</text>\n"
            for (j, k) in group.outputs.enumerated() {
                let colour = palette[(groups[..<g].reduce(0) { $0 + $1.outputs.count } + j) % palette.count]
                var path = ""
                var pen = false
                for (t, row) in zip(sim.times, sim.values) {
                    guard row[k].isFinite else { pen = false; continue }
                    path += (pen ? "L" : "M") + "\(f(x(t))),\(f(y(row[k]))) "
                    pen = true
                }
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>\n"
                let lx = left + 10 + Double(j) * 190
                svg += "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 18))\" y1=\"\(f(y0 - 8))\" y2=\"\(f(y0 - 8))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                svg += "<text x=\"\(f(lx + 24))\" y=\"\(f(y0 - 4))\">\(escape(sim.outputs[k].name))</text>\n"
            }
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">time (\(model.timeUnit.symbol))\(doseTimes.isEmpty ? "" : " — dashed lines: doses")</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// About five round (1, 2, 5 × 10ᵏ) ticks covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var out: [Double] = []
        var v = (lo / step).rounded(.down) * step
        while v <= hi + step * 1e-9 && out.count < 50 {
            if v >= lo - step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v) }
            v += step
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.3g", v) }
        var s = String(format: "%.4f", v)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
