"""Independent MAP estimate (Bayesian individualisation) of the bundled vancomycin patient
(Examples/vancomycin-patient.csv) under the Goti et al. (2018) population model
(Examples/populations/vancomycin-goti2018.json): two-compartment IV model, 1000 mg over 1 h
every 12 h x4, levels 17.8 mg/L at 35.5 h and 23.2 mg/L at 38 h, WT 82 kg, CRCL 64 mL/min, no
dialysis. Objective (NONMEM's POSTHOC): sum_i [ln V_i + (y_i - f_i)^2 / V_i] + eta' Omega^-1 eta,
V_i = 3.4^2 + (0.227 f_i)^2, eta = log(P) - log(P_typical) for CL, V1, V2 (Q fixed at 6.5 L/h).
Concentrations by scipy.integrate.solve_ivp (DOP853, rtol 1e-12, atol 1e-12, restarted at every
infusion start and end); minimised by Nelder-Mead then BFGS from the typical values.

Produced with scipy 1.17.1, numpy 2.4.6, Python 3.11.7:
    python3 vancomycin_map_scipy.py > vancomycin_map_scipy.csv
Columns: parameter, MAP estimate (natural scale: L/h, L), log of it; last row the objective."""
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

tv = {"CL": 4.5 * (64 / 120) ** 0.8, "V1": 58.4 * (82 / 70), "V2": 38.4, "Q": 6.5}
omega = np.diag([0.158404, 0.665856, 0.326041])
times, levels = np.array([35.5, 38.0]), np.array([17.8, 23.2])
starts = [0.0, 12.0, 24.0, 36.0]

def conc(cl, v1, v2, q):
    breaks = sorted(set([0.0] + starts + [s + 1 for s in starts] + [40.0]))
    y = np.zeros(2)
    out = {}
    for a, b in zip(breaks[:-1], breaks[1:]):
        rate = 1000.0 if any(s <= a < s + 1 for s in starts) else 0.0
        f = lambda t, x: [rate - (cl + q) / v1 * x[0] + q / v2 * x[1], q / v1 * x[0] - q / v2 * x[1]]
        inside = [t for t in times if a < t <= b]
        sol = solve_ivp(f, (a, b), y, method="DOP853", rtol=1e-12, atol=1e-12, t_eval=inside + [b] if inside and inside[-1] != b else (inside or [b]))
        for t, x in zip(sol.t, sol.y[0]):
            out[t] = x / v1
        y = sol.y[:, -1]
    return np.array([out[t] for t in times])

def objective(eta):
    cl, v1, v2 = tv["CL"] * np.exp(eta[0]), tv["V1"] * np.exp(eta[1]), tv["V2"] * np.exp(eta[2])
    f = conc(cl, v1, v2, tv["Q"])
    v = 3.4 ** 2 + (0.227 * f) ** 2
    return float(np.sum(np.log(v) + (levels - f) ** 2 / v) + eta @ np.linalg.solve(omega, eta))

r = minimize(objective, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000, "maxfev": 40000})
r = minimize(objective, r.x, method="BFGS", options={"gtol": 1e-10})
print("parameter,estimate,log")
for name, e in zip(["CL", "V1", "V2"], r.x):
    value = tv[name] * np.exp(e)
    print(f"{name},{value:.12g},{np.log(value):.12g}")
print(f"objective,{r.fun:.12g},")
