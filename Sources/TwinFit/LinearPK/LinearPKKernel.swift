/// The central amount contributed by one unit of input through one disposition exponential
/// (rate λ, coefficient 1), for the four ways a dose enters, with partials in λ, ka and the
/// time s since the dose's (lagged) start, h.
///
/// With φ the single exponential e^(−x·s), or the steady-state sum over earlier doses
/// (``LinearPKExponentials``), and h(x) = ∫ e^(−x·u) du over the infusion's window of u:
///
/// - central bolus: φ(λ);
/// - depot bolus (the chain depot → central): −ka·φ[λ, ka], the divided difference in the rate,
///   i.e. ka·(e^(−λ s) − e^(−ka s))/(ka − λ) (the Bateman function, Gibaldi & Perrier 1982 ch. 1);
/// - central infusion at unit rate: h(λ) = (φ_{s0}(λ) − φ_{s1}(λ))/λ over the window
///   [s0, s1] = [0, s] during the infusion and [s − T, s] after it;
/// - depot infusion at unit rate: h(λ) − (φ_{s0}[λ, ka] − φ_{s1}[λ, ka]) — the depot-bolus
///   response integrated over the infusion (Leibniz rule for divided differences of h).
///
/// No formula divides by ka − λ: the divided differences stay exact as ka → λ.
struct LinearPKTerm {
    var value: Double
    var dRate: Double
    var dKa: Double
    var dTime: Double

    static let zero = LinearPKTerm(value: 0, dRate: 0, dKa: 0, dTime: 0)

    /// A bolus into the central compartment.
    @inline(__always)
    static func centralBolus(_ lambda: Double, _ s: Double, interval: Double) -> LinearPKTerm {
        let e = LinearPKExponentials.exponential(lambda, s, interval: interval)
        return LinearPKTerm(value: e.value, dRate: e.dx, dKa: 0, dTime: e.ds)
    }

    /// A bolus into the depot, absorbed at rate ka.
    @inline(__always)
    static func depotBolus(_ lambda: Double, _ ka: Double, _ s: Double, interval: Double) -> LinearPKTerm {
        let d = LinearPKExponentials.dividedSum(lambda, ka, s, interval: interval)
        return LinearPKTerm(value: -ka * d.value, dRate: -ka * d.da, dKa: -d.value - ka * d.db, dTime: -ka * d.ds)
    }

    /// A unit-rate infusion of duration T into the central compartment. Single dose
    /// (`interval` 0): in progress when s < T. Steady-state sum: every earlier infusion has ended.
    @inline(__always)
    static func centralInfusion(_ lambda: Double, _ s: Double, duration: Double, interval: Double) -> LinearPKTerm {
        let during = interval == 0 && s < duration
        let s0 = during ? 0 : s - duration, w = during ? s : duration
        let e = LinearPKExponentials.difference(lambda, s0, w, interval: interval)
        let v = e.value / lambda
        return LinearPKTerm(value: v, dRate: (e.dx - v) / lambda, dKa: 0, dTime: (during ? e.dw : e.ds0) / lambda)
    }

    /// A unit-rate infusion of duration T into the depot, absorbed at rate ka.
    @inline(__always)
    static func depotInfusion(_ lambda: Double, _ ka: Double, _ s: Double, duration: Double, interval: Double) -> LinearPKTerm {
        var term = centralInfusion(lambda, s, duration: duration, interval: interval)
        let during = interval == 0 && s < duration
        let end = LinearPKExponentials.dividedSum(lambda, ka, s, interval: interval)
        if during {
            // The window starts at 0, where the single divided difference is identically 0.
            term.value += end.value
            term.dRate += end.da
            term.dKa += end.db
            term.dTime += end.ds
        } else {
            let start = LinearPKExponentials.dividedSum(lambda, ka, s - duration, interval: interval)
            term.value -= start.value - end.value
            term.dRate -= start.da - end.da
            term.dKa -= start.db - end.db
            term.dTime -= start.ds - end.ds
        }
        return term
    }
}
