extension LinearPKModel {
    /// Central concentrations C(t) = A_central(t)/V1 (mg/L) at `times` (hours, any order) for
    /// `doses`, by superposition of the closed-form responses.
    ///
    /// At a dose time the value is the post-dose one (right limit), as on the ODE path. A reset
    /// steady-state dose (SS = 1) at time t_ss makes every dose before t_ss stop counting from
    /// t_ss on (doses at t_ss itself still count); a dose does not count before its own time.
    /// Cost: O(times × doses × compartments), no allocation once `values` (and `gradient`)
    /// have the right size.
    ///
    /// - Parameters:
    ///   - times: evaluation times, hours.
    ///   - doses: the doses (any order).
    ///   - parameters: the parameter vector in ``parameterNames`` order (h, L, L/h, 1/h).
    ///   - values: receives `times.count` concentrations, mg/L (resized only if its count differs).
    /// - Throws: ``LinearPKError`` for a wrong-length or invalid parameter vector or a time that
    ///   is not finite.
    ///
    /// ```swift
    /// var c: [Double] = []
    /// try LinearPKModel(compartments: 2).concentrations(at: [0.5, 1, 2], doses: [try LinearPKDose(time: 0, amount: 100, target: .central)],
    ///                                                   parameters: [1, 5, 10, 2, 20, 1, 0], into: &c)
    /// ```
    public func concentrations(at times: [Double], doses: [LinearPKDose], parameters: [Double],
                               into values: inout [Double]) throws(LinearPKError) {
        var unused: [Double] = []
        try evaluate(times, doses, parameters, &values, &unused, withGradient: false)
    }

    /// Central concentrations as above, and their exact derivatives ∂C(tᵢ)/∂pⱼ in every
    /// parameter, row-major: `gradient[i * parameterCount + j]`, units mg/L per parameter unit.
    ///
    /// The derivative in tlag of a depot dose is −dC/dt of its contribution after its lagged
    /// start and 0 before; at exactly the lagged start (or at an infusion's end) the right-hand
    /// derivative is returned. Doses that state their own F or lag do not depend on the model's.
    ///
    /// - Throws: as ``concentrations(at:doses:parameters:into:)``.
    ///
    /// ```swift
    /// var c: [Double] = [], dc: [Double] = []
    /// try LinearPKModel(compartments: 1).concentrations(at: [1, 4], doses: [try LinearPKDose(time: 0, amount: 320)],
    ///                                                   parameters: [1.5, 2.8, 35, 1, 0.25], into: &c, gradient: &dc)
    /// // dc[0 * 5 + 4] is ∂C(1 h)/∂tlag
    /// ```
    public func concentrations(at times: [Double], doses: [LinearPKDose], parameters: [Double],
                               into values: inout [Double], gradient: inout [Double]) throws(LinearPKError) {
        try evaluate(times, doses, parameters, &values, &gradient, withGradient: true)
    }

    private func evaluate(_ times: [Double], _ doses: [LinearPKDose], _ p: [Double],
                          _ values: inout [Double], _ gradient: inout [Double], withGradient: Bool) throws(LinearPKError) {
        try validate(p)
        if compartments == 1 && withGradient {
            try evaluateOneCompartment(times, doses, p, &values, &gradient)
            return
        }
        let n = compartments, count = parameterCount
        let ka = p[0], v1 = p[2], modelF = p[bioavailabilityIndex], modelLag = p[lagIndex]
        let disposition = LinearPKDisposition(compartments: n, parameters: p)
        let lambda = disposition.lambda, coefficient = disposition.coefficient
        if values.count != times.count { values = [Double](repeating: 0, count: times.count) }
        if withGradient, gradient.count != times.count * count {
            gradient = [Double](repeating: 0, count: times.count * count)
        }
        let inverseVolume = 1 / v1
        let anyReset = doses.contains { $0.resetsToSteadyState && $0.steadyStateInterval != nil }
        for row in times.indices {
            let t = times[row]
            guard t.isFinite else { throw .invalidDoseValue(what: "evaluation time (h)", value: t) }
            let reset = anyReset ? Self.latestReset(doses, atOrBefore: t) : -Double.infinity
            var amount = 0.0, dAdF = 0.0, dAdLag = 0.0, dAdKa = 0.0
            var dAdLambda = SIMD4<Double>.zero, dAdCoefficient = SIMD4<Double>.zero
            for dose in doses where dose.time <= t && dose.time >= reset {
                let depot = dose.target == .depot
                let interval = dose.steadyStateInterval ?? 0
                var s = t - dose.time - (dose.lag ?? (depot ? modelLag : 0))
                if s < 0 {
                    // Before the lagged start: a single dose has not arrived; a steady state's
                    // latest arrived dose is the one ⌈−s/II⌉ intervals earlier.
                    guard interval > 0 else { continue }
                    s = max(0, s + (-s / interval).rounded(.up) * interval)
                }
                // One term per exponential, unrolled (unused slots have coefficient 0): building
                // the vectors from scalars avoids stores into vector lanes by a variable index.
                let t0 = Self.contribution(dose, lambda.x, ka, s, interval: interval)
                let t1 = n > 1 ? Self.contribution(dose, lambda.y, ka, s, interval: interval) : LinearPKTerm.zero
                let t2 = n > 2 ? Self.contribution(dose, lambda.z, ka, s, interval: interval) : LinearPKTerm.zero
                let unit = SIMD4(t0.value, t1.value, t2.value, 0)
                let dRate = SIMD4(t0.dRate, t1.dRate, t2.dRate, 0)
                let dKa = coefficient.x * t0.dKa + coefficient.y * t1.dKa + coefficient.z * t2.dKa
                let dTime = coefficient.x * t0.dTime + coefficient.y * t1.dTime + coefficient.z * t2.dTime
                let input = dose.duration > 0 ? dose.amount / dose.duration : dose.amount   // mg or mg/h
                let weight = input * (dose.bioavailability ?? (depot ? modelF : 1))
                let response = (coefficient * unit).sum()
                amount += weight * response
                guard withGradient else { continue }
                dAdCoefficient += weight * unit
                dAdLambda += weight * coefficient * dRate
                dAdKa += weight * dKa
                if depot && dose.lag == nil { dAdLag -= weight * dTime }
                if depot && dose.bioavailability == nil { dAdF += input * response }
            }
            values[row] = amount * inverseVolume
            guard withGradient else { continue }
            // Chain rule through the disposition constants (partial j is parameter j + 1).
            // One compartment: c = 1 is constant, only λ = CL/V carries derivatives.
            var d = dAdLambda.x * disposition.dLambda0
            if n > 1 {
                d += dAdCoefficient.x * disposition.dCoefficient0
                d += dAdLambda.y * disposition.dLambda1 + dAdCoefficient.y * disposition.dCoefficient1
            }
            if n > 2 { d += dAdLambda.z * disposition.dLambda2 + dAdCoefficient.z * disposition.dCoefficient2 }
            d *= inverseVolume
            let base = row * count
            gradient[base] = dAdKa * inverseVolume
            for j in 0..<(2 * n) { gradient[base + 1 + j] = d[j] }
            gradient[base + 2] -= amount * inverseVolume * inverseVolume   // C = A/V1 directly in V1
            gradient[base + bioavailabilityIndex] = dAdF * inverseVolume
            gradient[base + lagIndex] = dAdLag * inverseVolume
        }
    }

    /// One disposition exponential's unit response to `dose`, the steady-state sum over earlier
    /// doses included when `interval` > 0.
    @inline(__always)
    private static func contribution(_ dose: LinearPKDose, _ lambda: Double, _ ka: Double, _ s: Double, interval: Double) -> LinearPKTerm {
        var total = term(dose, lambda, ka, s, interval: 0)
        if interval > 0 {
            let earlier = term(dose, lambda, ka, s, interval: interval)
            total.value += earlier.value
            total.dRate += earlier.dRate
            total.dKa += earlier.dKa
            total.dTime += earlier.dTime
        }
        return total
    }

    /// The one-compartment case of `evaluate` with gradient, in scalars: the same sums in the
    /// same order (λ = CL/V, coefficient 1 with no derivatives), so the same values to the last
    /// bit, without the vector lanes of the two- and three-compartment disposition.
    private func evaluateOneCompartment(_ times: [Double], _ doses: [LinearPKDose], _ p: [Double],
                                        _ values: inout [Double], _ gradient: inout [Double]) throws(LinearPKError) {
        let count = parameterCount
        let ka = p[0], cl = p[1], v1 = p[2], modelF = p[bioavailabilityIndex], modelLag = p[lagIndex]
        // λ = k10 = CL/V and its partials in CL and V (as LinearPKDual's quotient rule gives them).
        let lambda = cl / v1
        let dLambdaCL = 1 / v1, dLambdaV = -lambda / v1
        if values.count != times.count { values = [Double](repeating: 0, count: times.count) }
        if gradient.count != times.count * count { gradient = [Double](repeating: 0, count: times.count * count) }
        let inverseVolume = 1 / v1
        let resets = doses.contains { $0.resetsToSteadyState && $0.steadyStateInterval != nil }
        for row in times.indices {
            let t = times[row]
            guard t.isFinite else { throw .invalidDoseValue(what: "evaluation time (h)", value: t) }
            let reset = resets ? Self.latestReset(doses, atOrBefore: t) : -Double.infinity
            var amount = 0.0, dAdF = 0.0, dAdLag = 0.0, dAdKa = 0.0, dAdLambda = 0.0
            for dose in doses where dose.time <= t && dose.time >= reset {
                let depot = dose.target == .depot
                let interval = dose.steadyStateInterval ?? 0
                var s = t - dose.time - (dose.lag ?? (depot ? modelLag : 0))
                if s < 0 {
                    guard interval > 0 else { continue }
                    s = max(0, s + (-s / interval).rounded(.up) * interval)
                }
                let term = Self.contribution(dose, lambda, ka, s, interval: interval)
                let input = dose.duration > 0 ? dose.amount / dose.duration : dose.amount   // mg or mg/h
                let weight = input * (dose.bioavailability ?? (depot ? modelF : 1))
                amount += weight * term.value
                dAdLambda += weight * term.dRate
                dAdKa += weight * term.dKa
                if depot && dose.lag == nil { dAdLag -= weight * term.dTime }
                if depot && dose.bioavailability == nil { dAdF += input * term.value }
            }
            values[row] = amount * inverseVolume
            let base = row * count
            gradient[base] = dAdKa * inverseVolume
            gradient[base + 1] = dAdLambda * dLambdaCL * inverseVolume
            gradient[base + 2] = dAdLambda * dLambdaV * inverseVolume - amount * inverseVolume * inverseVolume
            gradient[base + 3] = dAdF * inverseVolume
            gradient[base + 4] = dAdLag * inverseVolume
        }
    }

    /// The time of the latest reset (SS = 1) dose at or before `t`: doses before it no longer
    /// count from it on; −∞ when there is none.
    private static func latestReset(_ doses: [LinearPKDose], atOrBefore t: Double) -> Double {
        var reset = -Double.infinity
        for dose in doses where dose.resetsToSteadyState && dose.steadyStateInterval != nil && dose.time <= t {
            reset = max(reset, dose.time)
        }
        return reset
    }

    /// One disposition exponential's unit response to `dose` (see ``LinearPKTerm``).
    @inline(__always)
    private static func term(_ dose: LinearPKDose, _ lambda: Double, _ ka: Double, _ s: Double, interval: Double) -> LinearPKTerm {
        switch (dose.target, dose.duration > 0) {
        case (.central, false): return .centralBolus(lambda, s, interval: interval)
        case (.depot, false): return .depotBolus(lambda, ka, s, interval: interval)
        case (.central, true): return .centralInfusion(lambda, s, duration: dose.duration, interval: interval)
        case (.depot, true): return .depotInfusion(lambda, ka, s, duration: dose.duration, interval: interval)
        }
    }
}
