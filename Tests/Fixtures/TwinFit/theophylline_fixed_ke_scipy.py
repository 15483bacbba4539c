"""Reference individual fits of the Theophylline data in the parameterisation of Pinheiro & Bates'
fm3Theo (2000, §6.2): the one-compartment oral model (SSfol) with lKe held at a population value,
lKa and lCl estimated per subject, so that V = CL/ke is derived. lKe = -2.454704 (R 4.2.2, nlme
3.1-162, fm3Theo refitted by ../../../../shared/peers/fit/nlme_theoph.R; rounded to 6 decimals).
scipy.optimize.least_squares(method='lm'), analytic Jacobian, ftol = xtol = gtol = 1e-15, dose per kg.

Produced with scipy 1.17.1, numpy 2.4.6, Python 3.11.7:
    python3 theophylline_fixed_ke_scipy.py ../pk-datasets/theophylline.csv > theophylline_fixed_ke_scipy.csv
Columns: ID, lKa, lCl (natural logs; ka 1/h, CL L/h/kg), rss (mg/L)^2."""
import sys
import numpy as np
from scipy.optimize import least_squares

LKE = -2.454704

def pred(p, dose, t):
    lka, lcl = p
    ke, ka = np.exp(LKE), np.exp(lka)
    return dose * np.exp(LKE + lka - lcl) * (np.exp(-ke * t) - np.exp(-ka * t)) / (ka - ke)

def jac(p, dose, t):
    lka, lcl = p
    ke, ka = np.exp(LKE), np.exp(lka)
    a = dose * np.exp(LKE + lka - lcl) / (ka - ke)
    f = a * (np.exp(-ke * t) - np.exp(-ka * t))
    return np.column_stack([f * (1.0 - ka / (ka - ke)) + a * ka * t * np.exp(-ka * t), -f])

rows = [l.strip().split(",") for l in open(sys.argv[1]) if l.strip()]
col = {h: i for i, h in enumerate(rows[0])}
dose, obs = {}, {}
for r in rows[1:]:
    sid = int(r[col["ID"]])
    if r[col["EVID"]] == "1":
        dose[sid] = float(r[col["AMT"]]) / float(r[col["WT"]])
    else:
        obs.setdefault(sid, []).append((float(r[col["TIME"]]), float(r[col["DV"]])))
print("ID,lKa,lCl,rss")
for sid in sorted(obs):
    t = np.array([x for x, _ in obs[sid]]); y = np.array([v for _, v in obs[sid]])
    best = None
    for x0 in ([0.45, -3.2], [1.0, -3.0], [-0.5, -3.5]):
        r = least_squares(lambda p: pred(p, dose[sid], t) - y, x0, jac=lambda p: jac(p, dose[sid], t), method="lm",
                          ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=10000)
        rss = float(np.sum((pred(r.x, dose[sid], t) - y) ** 2))
        if best is None or rss < best[1]:
            best = (r.x, rss)
    print(f"{sid},{best[0][0]:.15g},{best[0][1]:.15g},{best[1]:.15g}")
