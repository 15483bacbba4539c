"""Reference minima for the TwinFit optimiser tests (Tests/TwinFitTests/Optimizer).

Problems from Moré, Garbow & Hillstrom (1981), "Testing unconstrained optimization software",
ACM TOMS 7:17-41, at their standard starts, plus the one-compartment oral-absorption fit used for
timing. Each is solved with SciPy's MINPACK wrapper least_squares(method='lm') at
ftol = xtol = gtol = 1e-15 and analytic Jacobians; f = sum of squared residuals (MGH's convention;
note SciPy's `cost` is f/2).

Tool: Python 3.11, scipy 1.17.1, numpy 2.4.6. Run: python3 mgh_scipy.py > mgh_scipy.json
"""
import json
import numpy as np
import scipy
from scipy.optimize import least_squares


def rosenbrock():
    r = lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]])
    j = lambda x: np.array([[-20 * x[0], 10], [-1, 0]])
    return r, j, [-1.2, 1.0]


def freudenstein_roth():
    r = lambda x: np.array([-13 + x[0] + ((5 - x[1]) * x[1] - 2) * x[1],
                            -29 + x[0] + ((x[1] + 1) * x[1] - 14) * x[1]])
    j = lambda x: np.array([[1, 10 * x[1] - 3 * x[1] ** 2 - 2], [1, 3 * x[1] ** 2 + 2 * x[1] - 14]])
    return r, j, [0.5, -2.0]


def powell_singular():
    s5, s10 = np.sqrt(5), np.sqrt(10)
    r = lambda x: np.array([x[0] + 10 * x[1], s5 * (x[2] - x[3]), (x[1] - 2 * x[2]) ** 2, s10 * (x[0] - x[3]) ** 2])
    j = lambda x: np.array([[1, 10, 0, 0], [0, 0, s5, -s5],
                            [0, 2 * (x[1] - 2 * x[2]), -4 * (x[1] - 2 * x[2]), 0],
                            [2 * s10 * (x[0] - x[3]), 0, 0, -2 * s10 * (x[0] - x[3])]])
    return r, j, [3.0, -1.0, 0.0, 1.0]


MEYER_Y = np.array([34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147,
                    4427, 3820, 3307, 2872], dtype=float)
MEYER_T = 45 + 5 * np.arange(1, 17, dtype=float)


def meyer():
    def r(x):
        return x[0] * np.exp(x[1] / (MEYER_T + x[2])) - MEYER_Y

    def j(x):
        e = np.exp(x[1] / (MEYER_T + x[2]))
        return np.column_stack([e, x[0] * e / (MEYER_T + x[2]), -x[0] * e * x[1] / (MEYER_T + x[2]) ** 2])
    return r, j, [0.02, 4000.0, 250.0]


BOX_T = 0.1 * np.arange(1, 11, dtype=float)


def box3d():
    def r(x):
        return np.exp(-BOX_T * x[0]) - np.exp(-BOX_T * x[1]) - x[2] * (np.exp(-BOX_T) - np.exp(-10 * BOX_T))

    def j(x):
        return np.column_stack([-BOX_T * np.exp(-BOX_T * x[0]), BOX_T * np.exp(-BOX_T * x[1]),
                                -(np.exp(-BOX_T) - np.exp(-10 * BOX_T))])
    return r, j, [0.0, 10.0, 20.0]


def brown_badly_scaled():
    r = lambda x: np.array([x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2])
    j = lambda x: np.array([[1, 0], [0, 1], [x[1], x[0]]])
    return r, j, [1.0, 1.0]


# One-compartment oral absorption, dose 100 mg, in (log ka [1/h], log ke [1/h], log V [L]):
# C(t) = D·ka/(V·(ka − ke))·(exp(−ke·t) − exp(−ka·t)) mg/L; data = truth (ka 1.2, ke 0.15, V 30)
# times (1 + 0.05·sin(7i)) — deterministic "noise".
PK_T = np.array([0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 24], dtype=float)


def pk_conc(x, t):
    ka, ke, v = np.exp(x)
    return 100 * ka / (v * (ka - ke)) * (np.exp(-ke * t) - np.exp(-ka * t))


PK_Y = pk_conc(np.log([1.2, 0.15, 30.0]), PK_T) * (1 + 0.05 * np.sin(7 * np.arange(11)))


def pk_oral():
    def r(x):
        return pk_conc(x, PK_T) - PK_Y

    def j(x):
        ka, ke, v = np.exp(x)
        a = 100 * ka / (v * (ka - ke))
        d = np.exp(-ke * PK_T) - np.exp(-ka * PK_T)
        dka = (100 / (v * (ka - ke)) - 100 * ka / (v * (ka - ke) ** 2)) * d + a * PK_T * np.exp(-ka * PK_T)
        dke = 100 * ka / (v * (ka - ke) ** 2) * d - a * PK_T * np.exp(-ke * PK_T)
        dv = -a / v * d
        return np.column_stack([dka * ka, dke * ke, dv * v])
    return r, j, [np.log(0.5), np.log(0.3), np.log(10.0)]


def main():
    out = {"tool": f"scipy {scipy.__version__} least_squares(method='lm', ftol=xtol=gtol=1e-15), numpy {np.__version__}",
           "problems": {}}
    for name, make in [("rosenbrock", rosenbrock), ("freudensteinRoth", freudenstein_roth),
                       ("powellSingular", powell_singular), ("meyer", meyer), ("box3d", box3d),
                       ("brownBadlyScaled", brown_badly_scaled), ("pkOral", pk_oral)]:
        r, j, x0 = make()
        sol = least_squares(r, np.array(x0), jac=j, method="lm", ftol=1e-15, xtol=1e-15, gtol=1e-15,
                            max_nfev=100000)
        out["problems"][name] = {"start": list(x0), "x": sol.x.tolist(), "f": float(2 * sol.cost),
                                 "nfev": int(sol.nfev), "status": int(sol.status)}
    out["pkData"] = PK_Y.tolist()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
