#!/usr/bin/env python3
"""Writes Examples/vancomycin-patient.csv (+ .units.json): one synthetic adult (no real person's
data) on vancomycin 1000 mg every 12 h as 1-h IV infusions, with two measured levels around the
4th dose (a trough 0.5 h before it and a peak 1 h after its infusion ends).

The patient is drawn once, with a fixed seed, from the population model in
populations/vancomycin-goti2018.json (Goti V, Chaturvedula A, Fossler MJ, Mok S, Jacob JT (2018)
Ther Drug Monit 40(2):212-221, Table 2): two-compartment IV,
    CL = 4.5·(CRCL/120)^0.8·0.7^DIAL·e^η_CL   L/h
    V1 = 58.4·(WT/70)·0.5^DIAL·e^η_V1        L
    V2 = 38.4·e^η_V2                          L
    Q  = 6.5                                  L/h
η ~ N(0, diag(0.398², 0.816², 0.571²)); each level y = f + √(3.4² + (0.227·f)²)·z, z ~ N(0, 1),
rounded to 0.1 mg/L as a laboratory reports it.

Concentrations come from SciPy's solve_ivp (method Radau, rtol 1e-10, atol 1e-12) integrated
infusion by infusion; tool versions: Python 3.11.7, NumPy 2.4.6, SciPy 1.17.1.
Run from this directory: python3 make_vancomycin_patient.py
The true individual parameters are printed (the run's output is copied below) so that an individualisation can be compared with them:

    seed 20261207: eta = [-0.431737, 0.003489, 0.347567]
    CL 1.7673015434 L/h, V1 68.6505569085 L, V2 54.3597964493 L, Q 6.5 L/h
    trough t=35.5 h f=16.7099958588 y=17.8 mg/L
    peak t=38 h f=28.2179662738 y=23.2 mg/L
"""
import json
import math

import numpy as np
from scipy.integrate import solve_ivp

SEED = 20261207
WT, CRCL, AGE, DIAL = 82.0, 64.0, 58.0, 0
DOSE, TINF, TAU, NDOSES = 1000.0, 1.0, 12.0, 4
SAMPLES = [35.5, 38.0]  # h: trough before the 4th dose (t = 36 h), peak 1 h after its end

THETA = dict(CL=4.5, V1=58.4, V2=38.4, Q=6.5, e_crcl=0.8, dial_cl=0.7, dial_v1=0.5)
OMEGA = np.diag([0.398 ** 2, 0.816 ** 2, 0.571 ** 2])  # CL, V1, V2 (ω² = CV²)
ADD, PROP = 3.4, 0.227


def individual(eta):
    cl = THETA["CL"] * (CRCL / 120) ** THETA["e_crcl"] * THETA["dial_cl"] ** DIAL * math.exp(eta[0])
    v1 = THETA["V1"] * (WT / 70) * THETA["dial_v1"] ** DIAL * math.exp(eta[1])
    v2 = THETA["V2"] * math.exp(eta[2])
    return cl, v1, v2, THETA["Q"]


def concentrations(cl, v1, v2, q, times):
    def rhs(t, a, rate):
        c1, p = a
        return [rate - cl / v1 * c1 - q / v1 * c1 + q / v2 * p, q / v1 * c1 - q / v2 * p]

    # Piece boundaries: infusion starts and ends, and the sampling times.
    edges = sorted(set([0.0] + [k * TAU for k in range(NDOSES)] + [k * TAU + TINF for k in range(NDOSES)] + list(times)))
    state = np.zeros(2)
    out = {}
    for t0, t1 in zip(edges[:-1], edges[1:]):
        rate = DOSE / TINF if any(k * TAU <= t0 < k * TAU + TINF for k in range(NDOSES)) else 0.0
        sol = solve_ivp(rhs, (t0, t1), state, method="Radau", rtol=1e-10, atol=1e-12, args=(rate,))
        state = sol.y[:, -1]
        if t1 in times:
            out[t1] = state[0] / v1
    return [out[t] for t in times]


def main():
    rng = np.random.default_rng(SEED)
    eta = rng.multivariate_normal(np.zeros(3), OMEGA)
    z = rng.standard_normal(len(SAMPLES))
    cl, v1, v2, q = individual(eta)
    f = concentrations(cl, v1, v2, q, SAMPLES)
    y = [round(fi + math.sqrt(ADD ** 2 + (PROP * fi) ** 2) * zi, 1) for fi, zi in zip(f, z)]
    print(f"seed {SEED}: eta = [{', '.join(f'{e:.6f}' for e in eta)}]")
    print(f"CL {cl:.10f} L/h, V1 {v1:.10f} L, V2 {v2:.10f} L, Q {q} L/h")
    for name, t, fi, yi in zip(["trough", "peak"], SAMPLES, f, y):
        print(f"{name} t={t:g} h f={fi:.10f} y={yi} mg/L")

    header = "ID,TIME,DV,AMT,DUR,EVID,CMT,MDV,II,ADDL,ROUTE,WT,AGE,CRCL,DIAL"
    cov = f"{WT:g},{AGE:g},{CRCL:g},{DIAL}"
    rows = [header, f"1,0,.,{DOSE:g},{TINF:g},1,2,1,{TAU:g},{NDOSES - 1},iv,{cov}"]
    rows += [f"1,{t:g},{yi},.,.,0,2,0,.,.,.,{cov}" for t, yi in zip(SAMPLES, y)]
    with open("vancomycin-patient.csv", "w") as fh:
        fh.write("\n".join(rows) + "\n")
    units = {"AGE": "year", "AMT": "mg", "CRCL": "mL/min", "DV": "mg/L", "TIME": "h", "WT": "kg"}
    with open("vancomycin-patient.units.json", "w") as fh:
        json.dump(units, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
