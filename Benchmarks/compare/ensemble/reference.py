#!/usr/bin/env python3
"""Tight reference final states for the ensemble problems of the C peers (../shared/peers/models.h),
independent of both MedTwin and the peers: the first M patients of each parameter file.

  pk       linear, so exact: y(48) = expm(48·A)·y0 (scipy.linalg.expm, batched), A from pk_rhs
  rober    solve_ivp LSODA with the analytic Jacobian, rtol 1e-13, atol 1e-22
  bergman  solve_ivp DOP853, rtol 1e-13, atol 1e-16

Each is checked on a few patients against an independent, tighter solve (pk: DOP853 at rtol 1e-13;
rober: Radau at rtol 1e-13; bergman: DOP853 at rtol 3e-14) and the largest relative difference and
the largest difference in the benchmark's weights (atol + rtol·|y|, with the problem's rtol 1e-6) are
printed, so one can see the reference is converged far below the error being measured.

  reference.py PEERS_OUT OUT_DIR pk:2000 rober:200 bergman:300

Reads PEERS_OUT/data/<problem>.bin (little-endian float64, row-major N×P); writes OUT_DIR/ref_<problem>.bin
(M×3 little-endian float64, row-major). Progress and checks go to stderr.
"""
import os, sys, time
import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import expm

NP = {"pk": 5, "rober": 3, "bergman": 5}
TEND = {"pk": 48.0, "rober": 1e5, "bergman": 600.0}
TOL = {"pk": (1e-6, 1e-9), "rober": (1e-6, 1e-10), "bergman": (1e-6, 1e-9)}   # the benchmark's (rtol, atol)
Y0 = {"pk": [100.0, 0.0, 0.0], "rober": [1.0, 0.0, 0.0], "bergman": [90.0, 0.0, 10.0]}
GB, IB, DM, KABS = 90.0, 10.0, 150.0, 0.05


def pk_matrix(p):
    """A with y' = A·y for each row of p = (ka, CL, V1, Q, V2); shape (M, 3, 3)."""
    ka, k10, k12, k21 = p[:, 0], p[:, 1] / p[:, 2], p[:, 3] / p[:, 2], p[:, 3] / p[:, 4]
    A = np.zeros((len(p), 3, 3))
    A[:, 0, 0] = -ka
    A[:, 1, 0] = ka
    A[:, 1, 1] = -(k10 + k12)
    A[:, 1, 2] = k21
    A[:, 2, 1] = k12
    A[:, 2, 2] = -k21
    return A


def pk_rhs(t, y, ka, cl, v1, q, v2):
    k10, k12, k21 = cl / v1, q / v1, q / v2
    return [-ka * y[0], ka * y[0] - (k10 + k12) * y[1] + k21 * y[2], k12 * y[1] - k21 * y[2]]


def rober_rhs(t, y, k1, k2, k3):
    return [-k1 * y[0] + k3 * y[1] * y[2], k1 * y[0] - k3 * y[1] * y[2] - k2 * y[1] ** 2, k2 * y[1] ** 2]


def rober_jac(t, y, k1, k2, k3):
    return [[-k1, k3 * y[2], k3 * y[1]], [k1, -k3 * y[2] - 2 * k2 * y[1], -k3 * y[1]], [0.0, 2 * k2 * y[1], 0.0]]


def berg_rhs(t, y, p1, p2, p3, n, gam):
    ra = DM * KABS * np.exp(-KABS * t)
    return [-(p1 + y[1]) * y[0] + p1 * GB + ra, -p2 * y[1] + p3 * (y[2] - IB), -n * (y[2] - IB) + gam * (y[0] - GB)]


def berg_jac(t, y, p1, p2, p3, n, gam):
    return [[-(p1 + y[1]), -y[0], 0.0], [0.0, -p2, p3], [gam, 0.0, -n]]


def solve(problem, p, method, rtol, atol):
    rhs, jac = {"pk": (pk_rhs, None), "rober": (rober_rhs, rober_jac), "bergman": (berg_rhs, berg_jac)}[problem]
    kw = {"jac": jac} if method in ("LSODA", "Radau", "BDF") and jac is not None else {}
    s = solve_ivp(rhs, (0.0, TEND[problem]), Y0[problem], method=method, rtol=rtol, atol=atol, args=tuple(p), **kw)
    if not s.success:
        raise RuntimeError(f"{problem}: solve_ivp {method} failed: {s.message}")
    return s.y[:, -1]


def reference(problem, P):
    if problem == "pk":
        E = expm(TEND["pk"] * pk_matrix(P))
        return E @ np.asarray(Y0["pk"])
    method, rtol, atol = {"rober": ("LSODA", 1e-13, 1e-22), "bergman": ("DOP853", 1e-13, 1e-16)}[problem]
    return np.array([solve(problem, p, method, rtol, atol) for p in P])


def check(problem, P, Y):
    """Compare the first few reference states with an independent, tighter solve."""
    n = 5 if problem == "pk" else 2
    method, rtol, atol = {"pk": ("DOP853", 1e-13, 1e-16), "rober": ("Radau", 1e-13, 1e-22),
                          "bergman": ("DOP853", 3e-14, 1e-17)}[problem]
    other = np.array([solve(problem, p, method, rtol, atol) for p in P[:n]])
    rt, at = TOL[problem]
    rel = np.abs(other - Y[:n]) / np.maximum(np.abs(other), 1e-300)
    big = np.abs(other) > 1e3 * at        # relative differences of states near zero say nothing
    weighted = np.abs(other - Y[:n]) / (at + rt * np.abs(other))
    return n, f"{method} rtol {rtol:g}", rel[big].max(), weighted.max()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    peers_out, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    total = time.perf_counter()
    for arg in sys.argv[3:]:
        problem, m = arg.split(":")
        m = int(m)
        P = np.fromfile(os.path.join(peers_out, "data", f"{problem}.bin"), "<f8").reshape(-1, NP[problem])[:m]
        t0 = time.perf_counter()
        Y = reference(problem, P)
        dt = time.perf_counter() - t0
        Y.astype("<f8").tofile(os.path.join(out_dir, f"ref_{problem}.bin"))
        n, how, rel, weighted = check(problem, P, Y)
        print(f"# reference {problem}: {len(P)} patients in {dt:.1f} s; against {how} on {n}: "
              f"max relative difference {rel:.1e}, max weighted difference {weighted:.1e}", file=sys.stderr)
    print(f"# references took {time.perf_counter() - total:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
