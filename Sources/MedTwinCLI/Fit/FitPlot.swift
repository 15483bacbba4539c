import Foundation
import MedTwin

/// The SVG of `medtwin fit --plot`: one panel per subject (the first 12, three to a row) with
/// the observations as points and the individual prediction as a smooth curve, then two
/// goodness-of-fit panels over every fitted subject: observed against individual prediction
/// (with the identity line) and weighted residuals against time (with the zero line and ±2).
/// The run's provenance goes into the file's `<desc>`; every panel is a `<g class="panel">`.
enum FitPlot {
    typealias P = SVGPlot

    /// Subjects drawn in their own panel.
    static let maximumSubjectPanels = 12
    static let columns = 3
    static let cellWidth = 300.0, cellHeight = 210.0, gofHeight = 330.0, top = 58.0

    /// The individual prediction of a fitted subject on a fine grid from the record's origin to
    /// `hours`; nil when it cannot be simulated.
    static func curve(model: AnyPhysiologicalModel, subject: SubjectFit, hours: Double, points: Int = 241) -> (times: [Double], values: [[Double]])? {
        var request = SimulationRequest(hours: hours)
        request.parameters = subject.parameters
        request.record = subject.record
        request.points = points
        guard let run = try? model.simulate(request), run.simulation.status.isSuccess else { return nil }
        return (run.simulation.timesInHours, run.simulation.values)
    }

    /// A time axis (hours) from 0 on the clock's steps, ending on the first tick at or after `end`.
    static func timeAxis(end: Double) -> (lo: Double, hi: Double, ticks: [Double]) {
        let end = max(end, 1e-9)
        var ticks = P.TimeAxis(unit: .hour, span: end).ticks(0, end)
        if ticks.count >= 2, let last = ticks.last, last < end * (1 - 1e-9) {
            ticks.append(last + (ticks[1] - ticks[0]))
        }
        return (0, max(ticks.last ?? end, end), ticks)
    }

    static func render(model: AnyPhysiologicalModel, fits: [SubjectFit], failed: Int, provenance: [String]) -> String {
        let shown = Array(fits.prefix(maximumSubjectPanels))
        let rows = (shown.count + columns - 1) / columns
        let width = Double(columns) * cellWidth
        let gofTop = top + Double(rows) * cellHeight + 24
        let height = gofTop + gofHeight + 20
        let count = fits.count > shown.count ? "first \(shown.count) of \(fits.count) subjects" : "\(fits.count) subject\(fits.count == 1 ? "" : "s")"
        let kind = fits.first?.fit.isMaximumAPosteriori == true ? "MAP (Bayesian) individual fits" : "individual fits"
        let title = "\(model.name) \(kind) — \(count)" + (failed > 0 ? " (\(failed) failed, not shown)" : "")
        let units = model.outputs.map { $0.unit.isEmpty ? $0.name : "\($0.name) (\($0.unit))" }.joined(separator: ", ")
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <desc>\(P.escape(provenance.joined(separator: "\n")))</desc>
            <rect width="100%" height="100%" fill="white"/>
            <text x="16" y="22" font-size="15" font-weight="bold">\(P.escape(P.fitted(title, width: width - 32, characterWidth: 8.8)))</text>
            <text x="16" y="40" fill="#555">\(P.escape(P.fitted("points: observed \(units) (open triangles: below LLOQ); lines: individual predictions; time in h", width: width - 32)))</text>

            """
        for (k, subject) in shown.enumerated() {
            let x = Double(k % columns) * cellWidth, y = top + Double(k / columns) * cellHeight
            svg += subjectPanel(model: model, subject: subject, x: x, y: y)
        }
        let outputUnits = Set(model.outputs.map(\.unit))
        svg += observedVersusPredicted(fits: fits, unit: outputUnits.count == 1 ? outputUnits.first ?? "" : "", x: 0, y: gofTop, width: width / 2)
        svg += residualsVersusTime(fits: fits, x: width / 2, y: gofTop, width: width / 2)
        svg += "</svg>\n"
        return svg
    }

    /// One subject: observations and the individual prediction of each output.
    static func subjectPanel(model: AnyPhysiologicalModel, subject: SubjectFit, x: Double, y: Double) -> String {
        let fit = subject.fit
        let lastEvent = max(fit.observations.map(\.time).max() ?? 0, subject.record.doses.map(\.time).max() ?? 0)
        let xAxis = timeAxis(end: lastEvent > 0 ? lastEvent : 1)
        let curve = curve(model: model, subject: subject, hours: xAxis.hi)
        var lo = 0.0, hi = -Double.infinity
        for o in fit.observations where o.observed.isFinite { lo = min(lo, o.observed); hi = max(hi, o.observed) }
        for row in curve?.values ?? [] { for v in row where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        let frame = FitPlotFrame(x0: x + 58, y0: y + 30, width: cellWidth - 74, height: cellHeight - 70,
                                 xAxis: xAxis, yAxis: P.valueAxis(lo, hi.isFinite ? hi : 1, maxIntervals: 5))
        var svg = "<g class=\"panel subject\" id=\"subject-\(P.escape(identifier(fit.subject)))\">\n"
        let estimates = zip(fit.parameterNames, fit.estimates).map { "\($0) \(FitReport.short($1))" }.joined(separator: " · ")
        let heading = "ID \(fit.subject)" + (fit.converged ? "" : " (not converged)")
        svg += "<text x=\(P.q(frame.x0)) y=\(P.q(y + 12)) font-weight=\"bold\"\(fit.converged ? "" : " fill=\"#c00\"")>\(P.escape(P.fitted(heading, width: frame.width)))</text>\n"
        svg += "<text x=\(P.q(frame.x0)) y=\(P.q(y + 25)) font-size=\"10\" fill=\"#555\">\(P.escape(P.fitted(estimates, width: frame.width, characterWidth: 5.5)))</text>\n"
        let yTitle = model.outputs.count == 1 ? (model.outputs[0].unit.isEmpty ? model.outputs[0].name : "\(model.outputs[0].name) (\(model.outputs[0].unit))") : nil
        svg += frame.grid(fontSize: 10, yTitle: yTitle)
        for (j, output) in model.outputs.enumerated() {
            let colour = P.palette[j % P.palette.count]
            if let curve { svg += frame.path(zip(curve.times, curve.values).map { ($0, $1[safe: j] ?? .nan) }, colour: colour) }
            for o in fit.observations where o.output == output.name {
                svg += frame.marker(o.time, o.observed, colour: "#333", censored: o.censored)
            }
        }
        if curve == nil {
            svg += "<text x=\(P.q(frame.x0 + 6)) y=\(P.q(frame.y0 + 14)) font-size=\"10\" fill=\"#c00\">prediction could not be simulated</text>\n"
        }
        svg += frame.border + "</g>\n"
        return svg
    }

    /// Observed against individual prediction, every uncensored observation, identity line.
    static func observedVersusPredicted(fits: [SubjectFit], unit: String, x: Double, y: Double, width: Double) -> String {
        let points = fits.flatMap { $0.fit.observations.filter { !$0.censored }.map { ($0.predicted, $0.observed) } }
            .filter { $0.0.isFinite && $0.1.isFinite }
        let values = points.flatMap { [$0.0, $0.1] }
        let axis = P.valueAxis(min(values.min() ?? 0, 0), values.max() ?? 1, maxIntervals: 6)
        let frame = FitPlotFrame(x0: x + 70, y0: y + 30, width: width - 100, height: gofHeight - 90, xAxis: axis, yAxis: axis)
        var svg = "<g class=\"panel gof\" id=\"observed-vs-predicted\">\n"
        svg += "<text x=\(P.q(frame.x0)) y=\(P.q(y + 16)) font-weight=\"bold\">Observed vs individual prediction</text>\n"
        let suffix = unit.isEmpty ? "" : " (\(unit))"
        svg += frame.grid(fontSize: 11, xTitle: "individual prediction" + suffix, yTitle: "observed" + suffix)
        svg += frame.path([(axis.lo, axis.lo), (axis.hi, axis.hi)], colour: "#888", width: 1.2, dash: "5 3")
        for (p, o) in points { svg += frame.marker(p, o, colour: P.palette[0], radius: 2.6) }
        return svg + frame.border + "</g>\n"
    }

    /// Weighted residuals against time, every uncensored observation, zero line and ±2.
    static func residualsVersusTime(fits: [SubjectFit], x: Double, y: Double, width: Double) -> String {
        let points = fits.flatMap { $0.fit.observations.filter { !$0.censored }.map { ($0.time, $0.weightedResidual) } }
            .filter { $0.0.isFinite && $0.1.isFinite }
        let extent = max(points.map { abs($0.1) }.max() ?? 0, 2.5)
        let xAxis = timeAxis(end: points.map(\.0).max() ?? 1)
        let tEnd = xAxis.hi
        let frame = FitPlotFrame(x0: x + 70, y0: y + 30, width: width - 100, height: gofHeight - 90,
                                 xAxis: xAxis, yAxis: P.valueAxis(-extent, extent, maxIntervals: 6))
        var svg = "<g class=\"panel gof\" id=\"residuals-vs-time\">\n"
        svg += "<text x=\(P.q(frame.x0)) y=\(P.q(y + 16)) font-weight=\"bold\">Weighted residuals vs time</text>\n"
        svg += frame.grid(fontSize: 11, xTitle: "time (h)", yTitle: "weighted residual")
        svg += frame.path([(0, 0), (tEnd, 0)], colour: "#555", width: 1.2)
        for level in [-2.0, 2.0] { svg += frame.path([(0, level), (tEnd, level)], colour: "#aaa", width: 1, dash: "4 3") }
        for (t, r) in points { svg += frame.marker(t, r, colour: P.palette[1], radius: 2.6) }
        return svg + frame.border + "</g>\n"
    }

    /// A subject ID as an XML id: letters, digits, '-' and '_' kept, anything else '_'.
    static func identifier(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
