import MedTwin

/// An SVG of a population's bands: one panel per output, the 5–95% band shaded, the median as a
/// solid line and the mean dashed, with the run's provenance in the file's `<desc>`.
enum BandPlot {
    static func render(summary: PopulationSummary, entry: AnyPhysiologicalModel, provenance: [String], subtitle: String) -> String {
        typealias P = SVGPlot
        let bands = summary.bands()
        let quantities = summary.quantities
        let times = summary.times
        let panelHeight = P.panelHeight, gap = P.gap
        let axes = quantities.map { name -> (lo: Double, hi: Double, ticks: [Double]) in
            var lo = Double.infinity, hi = -Double.infinity
            for b in bands where b.quantity == name {
                for v in [b.p5, b.p95, b.mean] where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
            }
            return lo <= hi ? P.valueAxis(lo, hi) : P.valueAxis(0, 1)
        }
        let widestTick = axes.flatMap(\.ticks).map { Double(P.label($0).count) * P.characterWidth }.max() ?? 0
        let left = max(P.minimumLeft, widestTick + 6 + 34)
        let yTitleX = left - widestTick - 6 - 16
        let plotWidth = P.width - left - P.right
        let t0 = times.first ?? 0, t1 = max(times.last ?? 1, t0 + 1e-12)
        let axis = P.TimeAxis(unit: entry.timeUnit, span: t1 - t0)
        let xTicks = axis.ticks(t0 * axis.scale, t1 * axis.scale)
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }
        let top = 52.0 + 22.0
        let height = top + Double(quantities.count) * panelHeight + Double(max(quantities.count - 1, 0)) * gap + P.bottom
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(P.width))" height="\(Int(height))" viewBox="0 0 \(Int(P.width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <desc>\(P.escape(provenance.joined(separator: "\n")))</desc>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15" font-weight="bold">\(P.escape(P.fitted(entry.title + " — virtual population", width: plotWidth, characterWidth: 8.8)))</text>
            <text x="\(left)" y="40" fill="#555">\(P.escape(P.fitted(subtitle, width: plotWidth)))</text>

            """
        for (k, name) in quantities.enumerated() {
            let y0 = top + Double(k) * (panelHeight + gap)
            let yAxis = axes[k]
            func y(_ v: Double) -> Double { y0 + panelHeight - (v - yAxis.lo) / (yAxis.hi - yAxis.lo) * panelHeight }
            for v in yAxis.ticks {
                svg += "<line x1=\(P.q(left)) x2=\(P.q(left + plotWidth)) y1=\(P.q(y(v))) y2=\(P.q(y(v))) stroke=\"#e6e6e6\"/>"
                svg += "<text x=\(P.q(left - 6)) y=\(P.q(y(v) + 4)) text-anchor=\"end\">\(P.label(v))</text>\n"
            }
            for tick in xTicks {
                let xt = x(tick / axis.scale)
                svg += "<line x1=\(P.q(xt)) x2=\(P.q(xt)) y1=\(P.q(y0)) y2=\(P.q(y0 + panelHeight)) stroke=\"#e6e6e6\"/>"
                svg += "<text x=\(P.q(xt)) y=\(P.q(y0 + panelHeight + 16)) text-anchor=\"middle\">\(P.label(tick))</text>\n"
            }
            let own = bands.filter { $0.quantity == name && $0.p5.isFinite && $0.p95.isFinite }
            let colour = P.palette[k % P.palette.count]
            if !own.isEmpty {
                let upper = own.map { "\(P.f(x($0.time))),\(P.f(y($0.p95)))" }
                let lower = own.reversed().map { "\(P.f(x($0.time))),\(P.f(y($0.p5)))" }
                svg += "<path d=\"M\((upper + lower).joined(separator: " L")) Z\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
                svg += "<path d=\"M" + own.map { "\(P.f(x($0.time))),\(P.f(y($0.p50)))" }.joined(separator: " L")
                    + "\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>\n"
                svg += "<path d=\"M" + own.map { "\(P.f(x($0.time))),\(P.f(y($0.mean)))" }.joined(separator: " L")
                    + "\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>\n"
            }
            let unit = entry.outputs.first { $0.name == name }?.unit ?? ""
            svg += "<text transform=\"translate(\(P.f(yTitleX)) \(P.f(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(P.escape(unit.isEmpty ? name : "\(name) (\(unit))"))</text>\n"
            svg += "<text x=\(P.q(left + 4)) y=\(P.q(y0 - 6))>\(P.escape("\(name): median (solid), mean (dashed), 5–95% (shaded)"))</text>\n"
            svg += "<rect x=\(P.q(left)) y=\(P.q(y0)) width=\(P.q(plotWidth)) height=\(P.q(panelHeight)) fill=\"none\" stroke=\"#888\"/>\n"
        }
        let lastBottom = top + Double(quantities.count) * panelHeight + Double(max(quantities.count - 1, 0)) * gap
        svg += "<text x=\(P.q(left + plotWidth / 2)) y=\(P.q(lastBottom + 36)) text-anchor=\"middle\">time (\(axis.symbol))</text>\n"
        svg += "</svg>\n"
        return svg
    }
}
