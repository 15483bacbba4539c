/// The coefficients of a seven-stage FSAL Runge–Kutta pair as functions of a literal index, so
/// that code specialised for the pair (the ensemble's stage kernel, ``LaneStages``) sees them as
/// constants: the stage sums unroll, and the zero entries drop out at compile time.
/// ``ExplicitRungeKuttaTableau`` builds its arrays from these, so each value is written once.
@usableFromInline
protocol RungeKuttaPairCoefficients {
    /// aₛⱼ row by row (a₂₁; a₃₁ a₃₂; …; a₇₁ … a₇₆; row 7 is the solution weights b), index 0…20.
    static func a(_ index: Int) -> Double
    /// The nodes c₂ … c₇, index 0…5.
    static func c(_ index: Int) -> Double
    /// The error weights eᵢ = bᵢ − b̂ᵢ, index 0…6.
    static func e(_ index: Int) -> Double
}

/// Dormand and Prince (1980), "A family of embedded Runge–Kutta formulae", J. Comput. Appl. Math.
/// 6, 19–26, Table 2 (DOPRI5).
@usableFromInline
enum DormandPrince5Coefficients: RungeKuttaPairCoefficients {
    @inlinable @inline(__always)
    static func a(_ index: Int) -> Double {
        switch index {
        case 0: 1.0 / 5
        case 1: 3.0 / 40
        case 2: 9.0 / 40
        case 3: 44.0 / 45
        case 4: -56.0 / 15
        case 5: 32.0 / 9
        case 6: 19372.0 / 6561
        case 7: -25360.0 / 2187
        case 8: 64448.0 / 6561
        case 9: -212.0 / 729
        case 10: 9017.0 / 3168
        case 11: -355.0 / 33
        case 12: 46732.0 / 5247
        case 13: 49.0 / 176
        case 14: -5103.0 / 18656
        case 15: 35.0 / 384
        case 16: 0
        case 17: 500.0 / 1113
        case 18: 125.0 / 192
        case 19: -2187.0 / 6784
        case 20: 11.0 / 84
        default: 0
        }
    }

    @inlinable @inline(__always)
    static func c(_ index: Int) -> Double {
        switch index {
        case 0: 1.0 / 5
        case 1: 3.0 / 10
        case 2: 4.0 / 5
        case 3: 8.0 / 9
        default: 1
        }
    }

    @inlinable @inline(__always)
    static func e(_ index: Int) -> Double {
        switch index {
        case 0: 71.0 / 57600
        case 1: 0
        case 2: -71.0 / 16695
        case 3: 71.0 / 1920
        case 4: -17253.0 / 339200
        case 5: 22.0 / 525
        case 6: -1.0 / 40
        default: 0
        }
    }
}

/// Tsitouras (2011), "Runge–Kutta pairs of order 5(4) satisfying only the first column
/// simplifying assumption", Comput. Math. Appl. 62, 770–775, Table 1 (the coefficients to 16
/// digits; the error weights are b − b̂ of the same table).
@usableFromInline
enum Tsitouras5Coefficients: RungeKuttaPairCoefficients {
    @inlinable @inline(__always)
    static func a(_ index: Int) -> Double {
        switch index {
        case 0: 0.161
        case 1: -0.008480655492356989
        case 2: 0.335480655492357
        case 3: 2.8971530571054935
        case 4: -6.359448489975075
        case 5: 4.3622954328695815
        case 6: 5.325864828439257
        case 7: -11.748883564062828
        case 8: 7.4955393428898365
        case 9: -0.09249506636175525
        case 10: 5.86145544294642
        case 11: -12.92096931784711
        case 12: 8.159367898576159
        case 13: -0.071584973281401
        case 14: -0.028269050394068383
        case 15: 0.09646076681806523
        case 16: 0.01
        case 17: 0.4798896504144996
        case 18: 1.379008574103742
        case 19: -3.290069515436081
        case 20: 2.324710524099774
        default: 0
        }
    }

    @inlinable @inline(__always)
    static func c(_ index: Int) -> Double {
        switch index {
        case 0: 0.161
        case 1: 0.327
        case 2: 0.9
        case 3: 0.9800255409045097
        default: 1
        }
    }

    @inlinable @inline(__always)
    static func e(_ index: Int) -> Double {
        switch index {
        case 0: -0.00178001105222577714
        case 1: -0.0008164344596567469
        case 2: 0.007880878010261995
        case 3: -0.1447110071732629
        case 4: 0.5823571654525552
        case 5: -0.45808210592918697
        case 6: 0.015151515151515152
        default: 0
        }
    }
}
