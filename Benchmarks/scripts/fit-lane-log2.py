#!/usr/bin/env python3
"""The polynomial of LaneMath.log2 (Sources/TwinEnsemble/Lanes/LaneMath.swift).

log2(m) for m in [sqrt(1/2), sqrt(2)) is written u*q(u) with u = m - 1 and q of degree 7, fitted by
least squares to log2(1 + u)/u at 4000 Chebyshev nodes of [sqrt(1/2) - 1, sqrt(2) - 1]. Prints the
coefficients of q (u^0 first) and the largest absolute error of u*q(u) on a fine grid.
Run with numpy (2.4 gave the committed values): python3 Benchmarks/scripts/fit-lane-log2.py
"""
import numpy as np

lo, hi = np.sqrt(0.5) - 1, np.sqrt(2) - 1
nodes = np.cos(np.linspace(0, np.pi, 4000)) * (hi - lo) / 2 + (hi + lo) / 2
fit = np.polynomial.Chebyshev.fit(nodes, np.log2(1 + nodes) / nodes, 7, domain=[lo, hi])
q = fit.convert(kind=np.polynomial.Polynomial).coef
for c in q:
    print(repr(float(c)))
grid = np.linspace(lo, hi, 200001)
print("max |error|:", np.max(np.abs(grid * np.polynomial.polynomial.polyval(grid, q) - np.log2(1 + grid))))
