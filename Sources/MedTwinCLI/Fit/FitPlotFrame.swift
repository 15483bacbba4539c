/// One rectangular plot area of a fit figure: maps data to pixels and draws its grid, tick
/// labels, axis titles and frame with SVGPlot's helpers (`valueAxis`, `label`, `escape`, `f`).
struct FitPlotFrame {
    typealias P = SVGPlot

    /// The plot area, px.
    var x0: Double, y0: Double, width: Double, height: Double
    /// The axes: ends and ticks, data units.
    var xAxis: (lo: Double, hi: Double, ticks: [Double])
    var yAxis: (lo: Double, hi: Double, ticks: [Double])

    /// The pixel column of data value `x`.
    func px(_ x: Double) -> Double { x0 + (x - xAxis.lo) / max(xAxis.hi - xAxis.lo, 1e-300) * width }
    /// The pixel row of data value `y`.
    func py(_ y: Double) -> Double { y0 + height - (y - yAxis.lo) / max(yAxis.hi - yAxis.lo, 1e-300) * height }

    /// Whether (x, y) lies inside the axes' ranges (with a hair of rounding).
    func contains(_ x: Double, _ y: Double) -> Bool {
        let ex = 1e-9 * (xAxis.hi - xAxis.lo), ey = 1e-9 * (yAxis.hi - yAxis.lo)
        return x.isFinite && y.isFinite && x >= xAxis.lo - ex && x <= xAxis.hi + ex && y >= yAxis.lo - ey && y <= yAxis.hi + ey
    }

    /// Grid lines and tick labels (`fontSize` px), then the axis titles when given.
    func grid(fontSize: Double, xTitle: String? = nil, yTitle: String? = nil) -> String {
        var svg = ""
        for v in yAxis.ticks {
            svg += "<line x1=\(P.q(x0)) x2=\(P.q(x0 + width)) y1=\(P.q(py(v))) y2=\(P.q(py(v))) stroke=\"#e6e6e6\"/>"
            svg += "<text x=\(P.q(x0 - 4)) y=\(P.q(py(v) + fontSize / 3)) font-size=\"\(P.f(fontSize))\" text-anchor=\"end\">\(P.label(v))</text>\n"
        }
        for v in xAxis.ticks {
            svg += "<line x1=\(P.q(px(v))) x2=\(P.q(px(v))) y1=\(P.q(y0)) y2=\(P.q(y0 + height)) stroke=\"#e6e6e6\"/>"
            svg += "<text x=\(P.q(px(v))) y=\(P.q(y0 + height + fontSize + 2)) font-size=\"\(P.f(fontSize))\" text-anchor=\"middle\">\(P.label(v))</text>\n"
        }
        if let xTitle {
            svg += "<text x=\(P.q(x0 + width / 2)) y=\(P.q(y0 + height + 2 * fontSize + 8)) font-size=\"\(P.f(fontSize + 1))\" text-anchor=\"middle\">\(P.escape(xTitle))</text>\n"
        }
        if let yTitle {
            let widest = yAxis.ticks.map { Double(P.label($0).count) }.max() ?? 1
            let x = x0 - 8 - widest * fontSize * 0.55 - fontSize / 2
            svg += "<text transform=\"translate(\(P.f(x)) \(P.f(y0 + height / 2))) rotate(-90)\" font-size=\"\(P.f(fontSize + 1))\" text-anchor=\"middle\">\(P.escape(yTitle))</text>\n"
        }
        return svg
    }

    /// The frame, drawn last so that it sits on top.
    var border: String {
        "<rect x=\(P.q(x0)) y=\(P.q(y0)) width=\(P.q(width)) height=\(P.q(height)) fill=\"none\" stroke=\"#888\"/>\n"
    }

    /// A polyline through the points inside the frame (a gap where one is outside or not finite).
    func path(_ points: [(Double, Double)], colour: String, width lineWidth: Double = 1.6, dash: String? = nil) -> String {
        var d = ""
        var pen = false
        for (x, y) in points {
            guard contains(x, y) else { pen = false; continue }
            d += (pen ? "L" : "M") + "\(P.f(px(x))),\(P.f(py(y))) "
            pen = true
        }
        guard !d.isEmpty else { return "" }
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(P.f(lineWidth))\" stroke-linejoin=\"round\"\(dashing)/>\n"
    }

    /// A filled circle (observed value) or, for a censored one, an open triangle pointing down
    /// at the LLOQ.
    func marker(_ x: Double, _ y: Double, colour: String, censored: Bool = false, radius: Double = 3) -> String {
        guard contains(x, y) else { return "" }
        let cx = px(x), cy = py(y)
        if censored {
            return "<path d=\"M\(P.f(cx - radius)),\(P.f(cy - radius)) L\(P.f(cx + radius)),\(P.f(cy - radius)) L\(P.f(cx)),\(P.f(cy + radius)) Z\" fill=\"white\" stroke=\"\(colour)\"/>\n"
        }
        return "<circle cx=\(P.q(cx)) cy=\(P.q(cy)) r=\(P.q(radius)) fill=\"\(colour)\" fill-opacity=\"0.75\" stroke=\"white\" stroke-width=\"0.5\"/>\n"
    }
}
