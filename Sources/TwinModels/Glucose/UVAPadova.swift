import TwinData
import TwinODE

/// The UVA/Padova type 1 diabetes simulator in its 2008 form, as implemented by the open
/// simulator simglucose, with its 30 in-silico subjects; time in minutes.
///
/// Fifteen states: the 13 of simglucose and two that make its meal bookkeeping an ODE.
///
/// ```
/// Meal (Dalla Man et al. 2006, 2007): qsto = qsto1 + qsto2
/// qsto1′ = −kmax·qsto1 + D(t)                                      mg
/// qsto2′ = kmax·qsto1 − kgut·qsto2
/// qgut′  = kgut·qsto2 − kabs·qgut
/// kgut   = kmin + (kmax − kmin)/2·[tanh(α(qsto − b·D̄)) − tanh(β(qsto − d·D̄)) + 2],
///          α = 5 / (2D̄(1 − b)),  β = 5 / (2D̄·d)
/// Ra     = f·kabs·qgut / BW                                        mg/kg/min
/// Glucose: EGP = max(kp1 − kp2·Gp − kp3·Id, 0);  E = ke1·max(Gp − ke2, 0)
/// Gp′ = EGP + Ra − Fsnc − E − k1·Gp + k2·Gt                        mg/kg
/// Gt′ = −(Vm0 + Vmx·X)·Gt / (Km0 + Gt) + k1·Gp − k2·Gt
/// Insulin: Ip′ = −(m2 + m4)·Ip + m1·Il + ka1·Isc1 + ka2·Isc2      pmol/kg
/// X′  = −p2u·X + p2u·(Ip/Vi − Ib);  I1′ = −ki·(I1 − Ip/Vi);  Id′ = −ki·(Id − I1)
/// Il′ = −(m1 + m30)·Il + m2·Ip
/// Isc1′ = u(t) − (ka1 + kd)·Isc1;  Isc2′ = kd·Isc1 − ka2·Isc2      (subcutaneous insulin)
/// Gs′ = ksc·(Gp − Gs)                                              (subcutaneous glucose)
/// E′  = kgut·qsto2;  W′ = −D(t)                                    (meal bookkeeping, mg)
/// ```
///
/// D̄, the amount the stomach is emptying, is in simglucose the stomach content when the
/// current eating episode began plus everything eaten in it, counting each 1-minute portion
/// whole from the minute's start. Here D̄ = qsto + E + W: E (reset to 0 when an episode
/// starts) is what has left the stomach since, and W (raised by each portion, then run down by
/// the eating) is the part of the portion being eaten that simglucose has already counted.
/// Meals (g carbs) are eaten at the subject's eating rate (simglucose's 5 g/min) in 1-minute
/// portions, overlapping meals queueing, as simglucose does; insulin (U, any route) enters
/// Isc1 as dose·6000/BW pmol/kg, and the subject's basal u2ss (pmol/kg/min) runs unless the
/// regimen gives a basal rate. Outputs: plasma glucose Gp/Vg, subcutaneous glucose Gs/Vg
/// (what simglucose reports as BG), plasma insulin Ip/Vi. simglucose's guards that freeze a
/// state when it goes negative are left out; physiological states never do.
///
/// References: Dalla Man C, Rizza RA, Cobelli C (2007) Meal simulation model of the glucose-
/// insulin system. IEEE Trans Biomed Eng 54:1740–1749; Dalla Man C, Camilleri M, Cobelli C
/// (2006) A system model of oral glucose absorption: validation on gold standard data. IEEE Trans
/// Biomed Eng 53:2472–2478; Kovatchev BP, Breton M, Dalla Man C, Cobelli C (2009) In silico
/// preclinical trials: a proof of concept in closed-loop control of type 1 diabetes. J Diabetes
/// Sci Technol 3:44–55; Xie J (2018) simglucose v0.2.1, https://github.com/jxx123/simglucose
/// (the implementation followed, and the source of the 30 subjects' parameters, MIT licence).
public struct UVAPadova: PhysiologicalModel {
    public init() {}
    public var name: String { "uva-padova" }
    public var title: String { "UVA/Padova type 1 diabetes simulator (2008, as in simglucose), 30 subjects" }
    public var reference: String { "Dalla Man, Rizza & Cobelli (2007) IEEE TBME 54:1740–1749; Kovatchev et al. (2009) J Diabetes Sci Technol 3:44–55; simglucose (Xie 2018, MIT), vpatient_params.csv" }
    public var timeUnit: ModelTimeUnit { .minute }
    public var stateCount: Int { 15 }
    public var parameterCount: Int { 35 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("qsto1", "mg", "glucose in the stomach, solid"), .init("qsto2", "mg", "glucose in the stomach, liquid"),
         .init("qgut", "mg", "glucose in the intestine"), .init("Gp", "mg/kg", "glucose in plasma and rapidly equilibrating tissues"),
         .init("Gt", "mg/kg", "glucose in slowly equilibrating tissues"), .init("Ip", "pmol/kg", "insulin in plasma"),
         .init("X", "pmol/L", "insulin action on glucose utilisation"), .init("I1", "pmol/L", "delayed insulin signal, first stage"),
         .init("Id", "pmol/L", "delayed insulin signal acting on production"), .init("Il", "pmol/kg", "insulin in the liver"),
         .init("Isc1", "pmol/kg", "subcutaneous insulin, non-monomeric"), .init("Isc2", "pmol/kg", "subcutaneous insulin, monomeric"),
         .init("Gs", "mg/kg", "subcutaneous glucose"), .init("E", "mg", "emptied from the stomach since the eating episode began"),
         .init("W", "mg", "portion already counted by simglucose but not yet eaten")]
    }

    public var parameters: [ModelParameter] {
        let p = Self.subjectTable[10].parameters   // adult#001: the typical values
        func q(_ i: Int, _ name: String, _ unit: String, _ summary: String, _ range: ClosedRange<Double>) -> ModelParameter {
            .init(name, unit, summary, typical: p[i], range: range)
        }
        return [
            q(0, "BW", "kg", "body weight", 5...300),
            q(1, "kabs", "1/min", "intestinal absorption rate constant", 1e-4...10),
            q(2, "kmax", "1/min", "maximal gastric emptying rate constant", 1e-4...10),
            q(3, "kmin", "1/min", "minimal gastric emptying rate constant", 1e-5...10),
            q(4, "b", "", "fraction of the meal at which emptying falls to half (kmax − kmin)", 1e-3...0.999),
            q(5, "d", "", "fraction of the meal at which emptying recovers", 1e-3...0.999),
            q(6, "f", "", "fraction of intestinal absorption that appears in plasma", 0...1),
            q(7, "Vg", "dL/kg", "glucose distribution volume", 0.1...10),
            q(8, "Vi", "L/kg", "insulin distribution volume", 1e-3...1),
            q(9, "Vm0", "mg/kg/min", "basal maximal insulin-independent utilisation", 0...100),
            q(10, "Vmx", "mg/kg/min per pmol/L", "insulin sensitivity of utilisation", 0...10),
            q(11, "Km0", "mg/kg", "Michaelis constant of utilisation", 1...5000),
            q(12, "k1", "1/min", "rate constant, plasma to tissue glucose", 0...10),
            q(13, "k2", "1/min", "rate constant, tissue to plasma glucose", 0...10),
            q(14, "kp1", "mg/kg/min", "extrapolated production at zero glucose and insulin", 0...100),
            q(15, "kp2", "1/min", "liver glucose effectiveness", 0...10),
            q(16, "kp3", "mg/kg/min per pmol/L", "insulin action on production", 0...10),
            q(17, "ke1", "1/min", "renal excretion rate constant", 0...1),
            q(18, "ke2", "mg/kg", "renal excretion threshold", 0...5000),
            q(19, "Fsnc", "mg/kg/min", "insulin-independent utilisation (brain, erythrocytes)", 0...100),
            q(20, "Ib", "pmol/L", "basal plasma insulin", 0...10000),
            q(21, "p2u", "1/min", "rate constant of insulin action on utilisation", 1e-5...10),
            q(22, "ki", "1/min", "delay rate constant of insulin action on production", 1e-5...10),
            q(23, "m1", "1/min", "rate constant, liver to plasma insulin", 0...10),
            q(24, "m2", "1/min", "rate constant, plasma to liver insulin", 0...10),
            q(25, "m4", "1/min", "peripheral insulin degradation", 0...10),
            q(26, "m30", "1/min", "hepatic insulin extraction", 0...10),
            q(27, "ka1", "1/min", "absorption of non-monomeric subcutaneous insulin", 0...10),
            q(28, "ka2", "1/min", "absorption of monomeric subcutaneous insulin", 1e-6...10),
            q(29, "kd", "1/min", "dissociation of subcutaneous insulin", 0...10),
            q(30, "ksc", "1/min", "plasma to subcutaneous glucose rate constant", 1e-5...10),
            q(31, "u2ss", "pmol/kg/min", "basal (steady-state) insulin infusion", 0...100),
            q(32, "eat", "g/min", "eating rate of meals", 0.01...1000),
        ]
    }
    public var inputs: [ModelInput] {
        [.init("D", "mg/min", "carbohydrate ingestion"), .init("u", "pmol/kg/min", "subcutaneous insulin delivery")]
    }
    public var outputs: [ModelOutput] {
        [.init("glucose", "mg/dL", "plasma glucose Gp/Vg"), .init("Gsub", "mg/dL", "subcutaneous glucose Gs/Vg (simglucose's BG)"),
         .init("insulin", "pmol/L", "plasma insulin Ip/Vi")]
    }
    /// simglucose's basal state x0 of each subject (13 values, simglucose's state order), as
    /// tabulated in vpatient_params.csv; ``initialState(parameters:)`` computes it from the
    /// parameters instead, and the tests check that the two agree.
    public static var tableBasalStates: [[Double]] { subjectTable.map(\.basalState) }

    public var subjects: [ModelSubject] {
        Self.subjectTable.map { ModelSubject(name: $0.name, parameters: $0.parameters, source: "simglucose vpatient_params.csv (MIT)") }
    }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let bw = p[0], kabs = p[1], kmax = p[2], kmin = p[3], b = p[4], d = p[5]
        let ingestion = p[33], insulinIn = p[34]
        // Gastric emptying.
        let qsto = y[0] + y[1]
        let dbar = S.maximum(qsto + y[13] + y[14], S(1e-9))
        let alpha = 5 / (2 * dbar * (1 - b))
        let beta = 5 / (2 * dbar * d)
        let swing = S.tanh(alpha * (qsto - b * dbar)) - S.tanh(beta * (qsto - d * dbar)) + 2
        let kgut = kmin + (kmax - kmin) / 2 * swing
        let emptied = kgut * y[1]
        dy[0] = ingestion - kmax * y[0]
        dy[1] = kmax * y[0] - emptied
        dy[2] = emptied - kabs * y[2]
        // Glucose.
        let gp = y[3], gt = y[4]
        let ra = p[6] * kabs * y[2] / bw
        let egp = S.maximum(p[14] - p[15] * gp - p[16] * y[8], 0)
        let renal = p[17] * S.maximum(gp - p[18], 0)
        let k1 = p[12], k2 = p[13]
        dy[3] = egp + ra - p[19] - renal - k1 * gp + k2 * gt
        let uptake = (p[9] + p[10] * y[6]) * gt / (p[11] + gt)
        dy[4] = k1 * gp - k2 * gt - uptake
        // Insulin.
        let ip = y[5], it = ip / p[8]
        let m1 = p[23], m2 = p[24], ka1 = p[27], ka2 = p[28], kd = p[29]
        dy[5] = m1 * y[9] + ka1 * y[10] + ka2 * y[11] - (m2 + p[25]) * ip
        dy[6] = p[21] * (it - p[20] - y[6])
        dy[7] = p[22] * (it - y[7])
        dy[8] = p[22] * (y[7] - y[8])
        dy[9] = m2 * ip - (m1 + p[26]) * y[9]
        dy[10] = insulinIn - (ka1 + kd) * y[10]
        dy[11] = kd * y[10] - ka2 * y[11]
        dy[12] = p[30] * (gp - y[12])
        // Meal bookkeeping.
        dy[13] = emptied
        dy[14] = -ingestion
    }

    public func initialInputs(parameters p: [Double]) -> [Double] { [0, p[31]] }

    /// The basal steady state for basal insulin u2ss: the insulin subsystem is linear and solved
    /// in closed form; plasma glucose Gp solves the glucose balance (monotone in Gp) by
    /// bisection, with tissue glucose Gt from its quadratic. Empty stomach and gut.
    public func initialState(parameters p: [Double]) -> [Double] {
        let u = p[31]
        let (m1, m2, m4, m30, ka1, ka2, kd) = (p[23], p[24], p[25], p[26], p[27], p[28], p[29])
        let isc1 = u / (ka1 + kd)
        let isc2 = kd * isc1 / ka2
        let ip = u / ((m2 + m4) - m1 * m2 / (m1 + m30))
        let il = m2 * ip / (m1 + m30)
        let it = ip / p[8]
        let x = it - p[20]
        let (k1, k2, km0) = (p[12], p[13], p[11])
        let vmt = p[9] + p[10] * x
        func tissue(_ gp: Double) -> Double {
            // k2·Gt² + (Vmt + k2·Km0 − k1·Gp)·Gt − k1·Gp·Km0 = 0, positive root, cancellation-free.
            let bq = vmt + k2 * km0 - k1 * gp, cq = k1 * gp * km0
            let disc = (bq * bq + 4 * k2 * cq).squareRoot()
            return bq > 0 ? 2 * cq / (bq + disc) : (disc - bq) / (2 * k2)
        }
        func balance(_ gp: Double) -> Double {
            max(p[14] - p[15] * gp - p[16] * it, 0) - p[19] - p[17] * max(gp - p[18], 0) - k1 * gp + k2 * tissue(gp)
        }
        var lo = 0.0, hi = 1e5
        if balance(lo) <= 0 { hi = lo }
        for _ in 0..<200 where hi - lo > 1e-13 * hi {
            let mid = 0.5 * (lo + hi)
            if balance(mid) > 0 { lo = mid } else { hi = mid }
        }
        let gp = 0.5 * (lo + hi)
        return [0, 0, 0, gp, tissue(gp), ip, x, it, it, il, isc1, isc2, gp, 0, 0]
    }

    /// CMT 11: subcutaneous insulin (U) into Isc1 (state 11, 1-based), any route. Meals (g carbs)
    /// are eaten at the eating rate (``dosingEvents(doses:basal:parameters:)``), whatever their
    /// CMT. Outputs: glucose DVID 1, Gsub DVID 2, insulin DVID 3 (or their names).
    public var recordMapping: RecordMapping {
        .plain(outputs: outputs,
               doses: [DoseCompartment(11, "subcutaneous insulin", state: 10, input: 1, routes: Route.allCases, amounts: [.insulin])],
               convention: "CMT k = state k (1-based, simglucose's order); DVID k = output k")
    }
    public func doseEntry(for dose: Dose, parameters p: [Double]) throws(ModelError) -> DoseEntry {
        guard dose.unit.dimension == .insulin else {
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes meals (g carbs) and insulin (U)")
        }
        let compartment = try doseCompartment(for: dose)
        return DoseEntry(state: compartment.state, input: compartment.input, scale: 6000 / p[0])
    }

    /// Meals (g carbs) as simglucose eats them; everything else through ``doseEntry(for:parameters:)``.
    public func dosingEvents(doses: [Dose], basal: [BasalInfusion], parameters p: [Double]) throws(ModelError) -> [TimeEvent] {
        let meals = doses.filter { $0.unit.dimension == .carbohydrate }
        var events = try standardDosingEvents(doses: doses.filter { $0.unit.dimension != .carbohydrate }, basal: basal, parameters: p)
        for meal in meals where !(meal.time.isFinite && meal.time >= 0 && meal.amount.isFinite && meal.amount >= 0) {
            throw .unsupportedDose(model: name, dose: describe(meal), reason: "a meal needs a time ≥ 0 and an amount ≥ 0")
        }
        events += Self.mealEvents(meals.map { (minute: timeUnit.fromHours($0.time), grams: $0.amount) }, eatingRate: p[32], ingestionParameter: 33)
        return events
    }

    /// Eating episodes in 1-minute portions at `eatingRate` g/min: a meal announced while an
    /// episode runs joins its queue; an episode starts (E ← 0) when a meal arrives with nothing
    /// left to eat. Each portion sets the ingestion rate D for its minute and adds itself to W.
    public static func mealEvents(_ meals: [(minute: Double, grams: Double)], eatingRate: Double, ingestionParameter: Int) -> [TimeEvent] {
        let sorted = meals.sorted { $0.minute < $1.minute }
        var events: [TimeEvent] = []
        var i = 0
        while i < sorted.count {
            var minute = sorted[i].minute
            var planned = 0.0
            events.append(TimeEvent(time: minute, action: .setState(state: 13, value: 0)))
            while true {
                while i < sorted.count && sorted[i].minute <= minute + 1e-9 { planned += sorted[i].grams; i += 1 }
                if planned <= 0 { break }
                let portion = min(eatingRate, planned)
                planned = max(0, planned - portion)
                events.append(TimeEvent(time: minute, action: .setParameter(parameter: ingestionParameter, value: portion * 1000)))
                events.append(TimeEvent(time: minute, action: .addToState(state: 14, amount: portion * 1000)))
                minute += 1
            }
            events.append(TimeEvent(time: minute, action: .setParameter(parameter: ingestionParameter, value: 0)))
        }
        return events
    }

    public func observe(time: Double, state: [Double], parameters p: [Double], into out: inout [Double]) {
        out[0] = state[3] / p[7]
        out[1] = state[12] / p[7]
        out[2] = state[5] / p[8]
    }
}
