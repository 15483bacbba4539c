import Foundation
import MedTwin

/// A self-contained SVG of a simulation: one panel per output unit (outputs that share a unit
/// share a panel), a common time axis with round ticks (hours of the day, not 500 min), y axes
/// that end on labelled ticks with the curves clear of the frame, a legend naming each output,
/// every dose marked and labelled with its amount, and the run's provenance in the file's <desc>.
enum SVGPlot {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// One dose on the plot: its time in the model's time unit, its end when it is an infusion,
    /// and its label ("100 mg po", "45 g carbs", "500 mg iv over 1 h").
    struct DoseMark: Equatable {
        var time: Double
        var end: Double?
        var label: String

        init(time: Double, end: Double? = nil, label: String) {
            self.time = time
            self.end = end
            self.label = label
        }

        /// The mark for `dose` (times in hours) on an axis in `timeUnit`.
        init(_ dose: Dose, timeUnit: ModelTimeUnit) {
            var label = "\(ModelListing.format(dose.amount)) \(dose.unit.symbol)"
            let route: String
            switch dose.route {
            case .oral: route = "po"
            case .unspecified: route = ""
            default: route = dose.route.rawValue
            }
            if !route.isEmpty && dose.unit.dimension != .carbohydrate { label += " " + route }
            var hours: Double?
            switch dose.delivery {
            case let .infusionOver(duration) where duration > 0:
                hours = duration
                label += " over \(ModelListing.format(duration)) h"
            case let .infusion(rate) where rate > 0:
                hours = dose.amount / rate
                label += " at \(ModelListing.format(rate)) \(dose.unit.symbol)/h"
            default:
                hours = nil
            }
            self.init(time: timeUnit.fromHours(dose.time), end: hours.map { timeUnit.fromHours(dose.time + $0) }, label: label)
        }
    }

    // Layout, in px.
    static let width = 900.0, minimumLeft = 84.0, right = 30.0, panelHeight = 200.0, gap = 56.0, bottom = 50.0
    /// Average advance of one character at 12 px (Helvetica/Arial), for fitting text; generous.
    static let characterWidth = 6.6

    static func render(model: AnyPhysiologicalModel, run: ModelRun, doses: [DoseMark], provenance: [String]) -> String {
        let sim = run.simulation
        // Group outputs by unit, in first-appearance order.
        var groups: [(unit: String, outputs: [Int])] = []
        for (k, output) in sim.outputs.enumerated() {
            if let g = groups.firstIndex(where: { $0.unit == output.unit }) { groups[g].outputs.append(k) } else { groups.append((output.unit, [k])) }
        }
        // Each panel's y axis, then a left margin wide enough for the widest tick label and the
        // rotated axis title beside it.
        let yAxes = groups.map { group -> (lo: Double, hi: Double, ticks: [Double]) in
            var lo = Double.infinity, hi = -Double.infinity
            for row in sim.values { for k in group.outputs where row[k].isFinite { lo = min(lo, row[k]); hi = max(hi, row[k]) } }
            return valueAxis(lo, hi)
        }
        let widestTick = yAxes.flatMap(\.ticks).map { Double(label($0).count) * characterWidth }.max() ?? 0
        let left = max(minimumLeft, widestTick + 6 + 34)
        let yTitleX = left - widestTick - 6 - 16
        let plotWidth = width - left - right
        let t0 = sim.times.first ?? 0, t1 = max(sim.times.last ?? 1, t0 + 1e-12)
        let axis = TimeAxis(unit: model.timeUnit, span: t1 - t0)
        let xTicks = axis.ticks(t0 * axis.scale, t1 * axis.scale)
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }

        // Doses at the same time share one mark: "45 g carbs + 4.5 U sc".
        var marks: [DoseMark] = []
        for dose in doses.sorted(by: { $0.time < $1.time }) where dose.time >= t0 && dose.time <= t1 {
            if let last = marks.last, abs(last.time - dose.time) <= 1e-9 * (t1 - t0) {
                marks[marks.count - 1].label += " + " + dose.label
                if let end = dose.end { marks[marks.count - 1].end = max(last.end ?? end, end) }
            } else {
                marks.append(dose)
            }
        }
        let doseRow = marks.isEmpty ? 0.0 : 30.0
        let top = 52.0 + doseRow + 22.0   // title, subtitle, dose labels, first legend
        let height = top + Double(groups.count) * panelHeight + Double(max(groups.count - 1, 0)) * gap + bottom
        let lastPanelBottom = top + Double(groups.count) * panelHeight + Double(max(groups.count - 1, 0)) * gap

        let subtitle = fitted("\(model.name) · \(run.parameterSource) · status: \(sim.solution.statusDescription)", width: plotWidth)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <desc>\(escape(provenance.joined(separator: "\n")))</desc>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15" font-weight="bold">\(escape(fitted(model.title, width: plotWidth, characterWidth: 8.8)))</text>
            <text x="\(left)" y="40" fill="\(sim.status.isSuccess ? "#555" : "#c00")">\(escape(subtitle))</text>

            """

        // Dose markers in their own row above the first panel: a triangle at each dose time and
        // its label centred above it; a label that would run into the previous one is left out
        // (its triangle and dashed line stay).
        let labelY = 52.0 + 14, markerTop = labelY + 4
        var lastLabelEnd = -Double.infinity
        for mark in marks {
            let xm = x(mark.time)
            svg += "<path d=\"M\(f(xm - 4)),\(f(markerTop)) L\(f(xm + 4)),\(f(markerTop)) L\(f(xm)),\(f(markerTop + 7)) Z\" fill=\"#777\"/>\n"
            let labelWidth = Double(mark.label.count) * characterWidth * 11 / 12
            let centre = min(max(xm, labelWidth / 2 + 4), width - labelWidth / 2 - 4)
            guard centre - labelWidth / 2 >= lastLabelEnd + 10 else { continue }
            svg += "<text x=\(q(centre)) y=\(q(labelY)) font-size=\"11\" fill=\"#444\" text-anchor=\"middle\">\(escape(mark.label))</text>\n"
            lastLabelEnd = centre + labelWidth / 2
        }

        var colourIndex = 0
        for (g, group) in groups.enumerated() {
            let y0 = top + Double(g) * (panelHeight + gap)
            let yAxis = yAxes[g]
            func y(_ v: Double) -> Double { y0 + panelHeight - (v - yAxis.lo) / (yAxis.hi - yAxis.lo) * panelHeight }

            // Infusions shaded, then the grid, dose lines, curves and the frame on top.
            for mark in marks {
                guard let end = mark.end, end > mark.time else { continue }
                let a = x(mark.time), b = x(min(end, t1))
                svg += "<rect x=\(q(a)) y=\(q(y0)) width=\(q(max(b - a, 0.5))) height=\(q(panelHeight)) fill=\"#f2f2f2\"/>\n"
            }
            for v in yAxis.ticks {
                svg += "<line x1=\(q(left)) x2=\(q(left + plotWidth)) y1=\(q(y(v))) y2=\(q(y(v))) stroke=\"#e6e6e6\"/>"
                svg += "<text x=\(q(left - 6)) y=\(q(y(v) + 4)) text-anchor=\"end\">\(label(v))</text>\n"
            }
            for tick in xTicks {
                let xt = x(tick / axis.scale)
                svg += "<line x1=\(q(xt)) x2=\(q(xt)) y1=\(q(y0)) y2=\(q(y0 + panelHeight)) stroke=\"#e6e6e6\"/>"
                svg += "<text x=\(q(xt)) y=\(q(y0 + panelHeight + 16)) text-anchor=\"middle\">\(label(tick))</text>\n"
            }
            for mark in marks {
                svg += "<line x1=\(q(x(mark.time))) x2=\(q(x(mark.time))) y1=\(q(y0)) y2=\(q(y0 + panelHeight)) stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>\n"
            }

            // The y-axis title: the outputs and their unit, "glucose, Gsub (mg/dL)".
            let unit = group.unit.isEmpty ? "no unit" : group.unit
            let names = group.outputs.map { sim.outputs[$0].name }.joined(separator: ", ")
            let yTitle = Double(names.count + unit.count + 3) * characterWidth <= panelHeight ? "\(names) (\(unit))" : unit
            svg += "<text transform=\"translate(\(f(yTitleX)) \(f(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yTitle))</text>\n"

            // Legend above the panel: "name — meaning" when it fits, the names alone otherwise.
            let described = group.outputs.map { k in
                let summary = model.outputs.first { $0.name == sim.outputs[k].name }?.summary ?? ""
                return summary.isEmpty ? sim.outputs[k].name : "\(sim.outputs[k].name) — \(summary)"
            }
            let plain = group.outputs.map { sim.outputs[$0].name }
            let entries = legendWidth(described) <= plotWidth - 10 ? described : plain
            var lx = left + 4
            for (j, k) in group.outputs.enumerated() {
                let colour = palette[colourIndex % palette.count]
                colourIndex += 1
                var path = ""
                var pen = false
                for (t, row) in zip(sim.times, sim.values) {
                    guard row[k].isFinite else { pen = false; continue }
                    path += (pen ? "L" : "M") + "\(f(x(t))),\(f(y(row[k]))) "
                    pen = true
                }
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\" stroke-linejoin=\"round\"/>\n"
                svg += "<line x1=\(q(lx)) x2=\(q(lx + 18)) y1=\(q(y0 - 10)) y2=\(q(y0 - 10)) stroke=\"\(colour)\" stroke-width=\"2.4\"/>"
                svg += "<text x=\(q(lx + 24)) y=\(q(y0 - 6))>\(escape(entries[j]))</text>\n"
                lx += legendWidth([entries[j]])
            }
            svg += "<rect x=\(q(left)) y=\(q(y0)) width=\(q(plotWidth)) height=\(q(panelHeight)) fill=\"none\" stroke=\"#888\"/>\n"
        }
        let caption = "time (\(axis.symbol))" + (axis.symbol == model.timeUnit.symbol ? "" : ", from the start of the run")
            + (marks.isEmpty ? "" : " — dashed lines: doses") + (marks.contains { $0.end != nil } ? ", shaded: infusions" : "")
        svg += "<text x=\(q(left + plotWidth / 2)) y=\(q(lastPanelBottom + 36)) text-anchor=\"middle\">\(escape(caption))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// The time axis's display unit: minutes shown as hours beyond six hours, seconds as
    /// minutes beyond ten minutes, so that ticks fall on the clock (0, 6, 12, 18, 24 h).
    struct TimeAxis {
        /// Display units per model time unit.
        let scale: Double
        let symbol: String
        /// Tick steps a person counts in, for this display unit; nil for 1–2–5 steps.
        let steps: [Double]?

        init(unit: ModelTimeUnit, span: Double) {
            let display: ModelTimeUnit
            switch unit {
            case .minute where span > 360, .hour:
                display = .hour
                steps = [0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 672]
            case .second where span >= 600, .minute:
                display = .minute
                steps = [1, 2, 5, 10, 15, 30, 60, 120]
            case .day:
                display = .day
                steps = [1, 2, 7, 14]
            case .second:
                display = .second
                steps = nil
            }
            symbol = display.symbol
            // One model time unit in display units, through hours (the one conversion helper).
            scale = display.fromHours(unit.toHours(1))
        }

        /// Ticks within [lo, hi] (display units): at most 8, on the unit's natural steps.
        func ticks(_ lo: Double, _ hi: Double) -> [Double] {
            let span = hi - lo
            guard span > 0, span.isFinite else { return [lo] }
            if let steps, let step = steps.first(where: { span / $0 <= 7 + 1e-9 }), span / step >= 2 - 1e-9 {
                return multiples(of: step, from: lo, to: hi)
            }
            let step = niceStep(span / 6)
            return multiples(of: step, from: lo, to: hi)
        }
    }

    /// A y axis: its ends on labelled round ticks (1, 2, 2.5, 5 × 10ᵏ), at most `maxIntervals`
    /// intervals, the data clear of the frame by 3 % of its range (except at a zero baseline of
    /// non-negative data, which stays on the frame).
    static func valueAxis(_ dataLo: Double, _ dataHi: Double, maxIntervals: Int = 8) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = dataLo, hi = dataHi
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        // Round-off below zero (−1e-15 mg/L after a washout) is still a zero baseline.
        let nonNegative = lo >= -1e-9 * max(abs(hi), abs(lo))
        if nonNegative && lo < 0 { lo = 0 }
        if hi - lo <= 1e-12 * max(abs(hi), abs(lo), 1e-300) {
            let half = abs(hi) > 0 ? abs(hi) * 0.1 : 1
            lo -= half; hi += half
            if nonNegative && lo < 0 { lo = 0 }
        }
        let pad = 0.03 * (hi - lo)
        let paddedLo = nonNegative && lo - pad < 0 ? 0 : lo - pad
        let paddedHi = hi + pad
        var step = niceStep((paddedHi - paddedLo) / Double(maxIntervals))
        for _ in 0..<8 {
            let intervals = (paddedHi / step).rounded(.up) - (paddedLo / step).rounded(.down)
            if intervals <= Double(maxIntervals) { break }
            step = niceStep(step * 1.000001)
        }
        let axisLo = (paddedLo / step).rounded(.down) * step, axisHi = (paddedHi / step).rounded(.up) * step
        return (axisLo, axisHi, multiples(of: step, from: axisLo, to: axisHi))
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ᵏ at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) } ?? 10 * magnitude
    }

    /// k·step for every integer k with k·step in [lo, hi] (computed, not accumulated).
    static func multiples(of step: Double, from lo: Double, to hi: Double) -> [Double] {
        guard step > 0, step.isFinite, lo.isFinite, hi.isFinite else { return [lo] }
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 200 else { return [lo, hi] }
        return stride(from: first, through: last, by: 1).map { k in k == 0 ? 0 : k * step }
    }

    /// A tick label: "0.25", "140", "12,000" (thousands grouped), "2e-05" / "3e+09" at the extremes.
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e9 || abs(v) < 1e-3 { return String(format: "%.3g", v) }
        if abs(v) >= 1000 && v == v.rounded() {
            var digits = String(Int64(abs(v)))
            var grouped = ""
            while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits.removeLast(3) }
            return (v < 0 ? "-" : "") + digits + grouped
        }
        var s = String(format: "%.4f", v)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }

    /// The width a row of legend entries takes: line, gap, text and spacing per entry.
    static func legendWidth(_ entries: [String]) -> Double {
        entries.reduce(0) { $0 + 24 + Double($1.count) * characterWidth + 22 }
    }

    /// `text`, cut with "…" where it would run past `width` px.
    static func fitted(_ text: String, width: Double, characterWidth: Double = characterWidth) -> String {
        let fits = Int(width / characterWidth)
        return text.count <= fits ? text : String(text.prefix(max(fits - 1, 0))) + "…"
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    /// A quoted attribute value.
    static func q(_ v: Double) -> String { "\"" + f(v) + "\"" }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
