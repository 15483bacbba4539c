#!/usr/bin/env python3
"""SciPy solve_ivp on MedTwin's single-trajectory ODE benchmark problems (Benchmarks/compare/ode.sh).

Usage: scipy_problems.py REPS -> one RESULT line per problem and method: min/median ms over REPS
solves (after one warm-up), evaluation counts and the final state. Each method gets the analytic
Jacobian where it takes one. Doses of the PK problem: one solve_ivp per dosing interval."""
import sys, time
import numpy as np
import scipy
from scipy.integrate import solve_ivp

def rober(t, y): return [-0.04*y[0] + 1e4*y[1]*y[2], 0.04*y[0] - 1e4*y[1]*y[2] - 3e7*y[1]**2, 3e7*y[1]**2]
def rober_jac(t, y): return [[-0.04, 1e4*y[2], 1e4*y[1]], [0.04, -1e4*y[2]-6e7*y[1], -1e4*y[1]], [0, 6e7*y[1], 0]]
def vdp(t, y): return [y[1], 1000.0*(1 - y[0]**2)*y[1] - y[0]]
def vdp_jac(t, y): return [[0, 1], [-2000.0*y[0]*y[1] - 1, 1000.0*(1 - y[0]**2)]]
def hires(t, y):
    r = 280*y[5]*y[7]
    return [-1.71*y[0] + 0.43*y[1] + 8.32*y[2] + 0.0007, 1.71*y[0] - 8.75*y[1], -10.03*y[2] + 0.43*y[3] + 0.035*y[4],
            8.32*y[1] + 1.71*y[2] - 1.12*y[3], -1.745*y[4] + 0.43*y[5] + 0.43*y[6],
            -r + 0.69*y[3] + 1.71*y[4] - 0.43*y[5] + 0.69*y[6], r - 1.81*y[6], -r + 1.81*y[6]]
def hires_jac(t, y):
    J = np.zeros((8, 8))
    J[0, :3] = [-1.71, 0.43, 8.32]; J[1, :2] = [1.71, -8.75]; J[2, 2:5] = [-10.03, 0.43, 0.035]
    J[3, 1:4] = [8.32, 1.71, -1.12]; J[4, 4:7] = [-1.745, 0.43, 0.43]
    J[5, 3:8] = [0.69, 1.71, -0.43 - 280*y[7], 0.69, -280*y[5]]
    J[6, 5:8] = [280*y[7], -1.81, 280*y[5]]; J[7, 5:8] = [-280*y[7], 1.81, -280*y[5]]
    return J
def pk(t, y, ka=1.0, k10=5/20, k12=2/20, k21=2/40):
    return [-ka*y[0], ka*y[0] - (k10 + k12)*y[1] + k21*y[2], k12*y[1] - k21*y[2]]

PROBLEMS = [
    ("robertson", rober, rober_jac, [1, 0, 0], 1e5, 1e-6, 1e-10, ["BDF", "Radau", "LSODA"]),
    ("vanderpol", vdp, vdp_jac, [2, 0], 3000.0, 1e-6, 1e-6, ["BDF", "Radau", "LSODA"]),
    ("hires", hires, hires_jac, [1, 0, 0, 0, 0, 0, 0, 0.0057], 321.8122, 1e-6, 1e-9, ["BDF", "Radau", "LSODA"]),
    ("pk-5-doses", pk, None, [0, 0, 0], 72.0, 1e-6, 1e-9, ["RK45", "DOP853", "LSODA"]),
]

def run(name, f, jac, y0, tend, rtol, atol, method):
    kw = {"jac": jac} if jac is not None and method in ("BDF", "Radau", "LSODA") else {}
    if name == "pk-5-doses":
        y, t, nfev, njev = np.array(y0, float), 0.0, 0, 0
        for k in range(5):
            y[0] += 100.0
            end = 12.0*(k + 1) if k < 4 else tend
            s = solve_ivp(f, (t, end), y, method=method, rtol=rtol, atol=atol, **kw)
            y, t, nfev, njev = s.y[:, -1].copy(), end, nfev + s.nfev, njev + s.njev
        return y, nfev, njev, s.success
    s = solve_ivp(f, (0, tend), y0, method=method, rtol=rtol, atol=atol, **kw)
    return s.y[:, -1], s.nfev, s.njev, s.success

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
print(f"# SciPy {scipy.__version__}, NumPy {np.__version__}")
for name, f, jac, y0, tend, rtol, atol, methods in PROBLEMS:
    for method in methods:
        run(name, f, jac, y0, tend, rtol, atol, method)
        times = []
        for _ in range(reps):
            t0 = time.perf_counter(); y, nfev, njev, ok = run(name, f, jac, y0, tend, rtol, atol, method); times.append(time.perf_counter() - t0)
        times.sort()
        print(f"RESULT peer=scipy problem={name} method={method} status={'success' if ok else 'failed'} f_evals={nfev} jac_evals={njev} "
              f"min_ms={times[0]*1e3:.4f} med_ms={times[len(times)//2]*1e3:.4f} final=[" + " ".join(repr(float(v)) for v in y) + "]", flush=True)
