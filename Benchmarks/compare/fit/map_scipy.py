"""Peer for `medtwin bench twin`: MAP individualisation of the bundled vancomycin patient under the Goti
(2018) population model, its Laplace covariance and 1,000 SIR posterior draws, in SciPy: scipy.optimize
.minimize (BFGS) on the POSTHOC objective with concentrations from scipy.integrate.odeint (LSODA, rtol
1e-8, atol 1e-10, restarted at each infusion start and end), the Laplace covariance from the inverse of a
central finite-difference Hessian of ½·objective, then 10,000 multivariate-t (5 d.f.) proposals weighted by
posterior/proposal and 1,000 draws resampled systematically — the recipe of `medtwin bench twin`.
Usage: python3 map_scipy.py [reps=3]    Prints RESULT lines (ms) like medtwin's."""
import sys, time
import numpy as np, scipy
from scipy.integrate import odeint
from scipy.optimize import minimize

tv = np.array([4.5 * (64 / 120) ** 0.8, 58.4 * (82 / 70), 38.4]); q = 6.5
omega_inv = np.linalg.inv(np.diag([0.158404, 0.665856, 0.326041]))
times, levels = np.array([35.5, 38.0]), np.array([17.8, 23.2])
starts = [0.0, 12.0, 24.0, 36.0]
breaks = sorted(set([0.0] + starts + [s + 1 for s in starts] + [40.0]))

def conc(cl, v1, v2):
    y = np.zeros(2); out = []
    for a, b in zip(breaks[:-1], breaks[1:]):
        rate = 1000.0 if any(s <= a < s + 1 for s in starts) else 0.0
        f = lambda x, t: [rate - (cl + q) / v1 * x[0] + q / v2 * x[1], q / v1 * x[0] - q / v2 * x[1]]
        grid = [a] + [t for t in times if a < t <= b] + ([b] if not any(t == b for t in times) else [])
        sol = odeint(f, y, grid, rtol=1e-8, atol=1e-10)
        out += [sol[i, 0] / v1 for i, t in enumerate(grid) if t in times]
        y = sol[-1]
    return np.array(out)

def objective(eta):
    cl, v1, v2 = tv * np.exp(eta)
    f = conc(cl, v1, v2)
    v = 3.4 ** 2 + (0.227 * f) ** 2
    return float(np.sum(np.log(v) + (levels - f) ** 2 / v) + eta @ omega_inv @ eta)

def laplace(x):
    h, n = 1e-4, x.size; H = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (objective(x + e_i + e_j) - objective(x + e_i - e_j) - objective(x - e_i + e_j) + objective(x - e_i - e_j)) / (4 * h * h)
    return np.linalg.inv(H / 2)

def sir(x, cov, proposals, draws, rng, nu=5):
    L = np.linalg.cholesky(cov); n = x.size
    z = rng.standard_normal((proposals, n)); chi2 = rng.chisquare(nu, proposals)
    u = x + (z * np.sqrt(nu / chi2)[:, None]) @ L.T
    qd = np.einsum("ij,ij->i", z, z) * nu / chi2
    logw = np.array([-0.5 * objective(p) for p in u]) + 0.5 * (nu + n) * np.log1p(qd / nu)
    w = np.exp(logw - logw.max()); w /= w.sum()
    idx = np.searchsorted(np.cumsum(w), (rng.random() + np.arange(draws)) / draws)
    return tv * np.exp(u[np.minimum(idx, proposals - 1)])

def run():
    r = minimize(objective, np.zeros(3), method="BFGS")
    cov = laplace(r.x)
    draws = sir(r.x, cov, 10_000, 1_000, np.random.default_rng(1))
    return r, cov, draws

if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, python {sys.version.split()[0]}")
    map_times, all_times = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); r = minimize(objective, np.zeros(3), method="BFGS"); cov = laplace(r.x); map_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); r, cov, draws = run(); all_times.append(time.perf_counter() - t0)
    print(f"RESULT case=map peer=scipy ms_min={1e3 * min(map_times):.3f} estimates={np.round(tv * np.exp(r.x), 4).tolist()}")
    print(f"RESULT case=map+draws peer=scipy draws=1000 proposals=10000 ms_min={1e3 * min(all_times):.3f} posterior_mean={np.round(draws.mean(axis=0), 3).tolist()}")
