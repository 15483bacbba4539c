#!/usr/bin/env python3
"""Reads the RESULT lines of compare/ensemble.sh, the final states each run dumped and the references of
reference.py, and prints the side-by-side table and the goal checks.

  summarise.py RESULTS REF_DIR

RESULTS holds the engines' RESULT lines with `run_threads=T dump=PATH` appended by ensemble.sh, and
`FAILED …` / `SKIPPED …` lines for cases that did not run. A dump is N×3 little-endian float64, row-major
(patient i's final state at 3i, 3i+1, 3i+2). REF_DIR/ref_<problem>.bin holds the references of the first
M patients (M×3, same layout). Error = (y − y_ref)/(atol + rtol·|y_ref|) with the problem's tolerances:
RMS over the first M patients and the 3 states (1 = at tolerance), and the largest single entry.
"""
import os, re, sys
import numpy as np

TOL = {"pk": (1e-6, 1e-9), "rober": (1e-6, 1e-10), "bergman": (1e-6, 1e-9)}   # (rtol, atol), models.h
PROBLEMS = ["pk", "bergman", "rober"]
SPEED_GOAL = {"pk": 3.0, "bergman": 3.0, "rober": 10.0}
SCALING_GOAL = 1.8

results_path, ref_dir = sys.argv[1], sys.argv[2]


def engine_of(fields):
    if "engine" in fields:
        return "MedTwin"
    peer = fields.get("peer", "?")
    if peer.startswith("C-DP5"):
        return "dopri5"
    if peer.startswith("CVODE-BDF"):
        return "CVODE BDF"
    if peer.startswith("CVODE-Adams"):
        return "CVODE Adams"
    return peer


def threads_of(fields):
    if "threads" in fields:
        return int(fields["threads"])
    m = re.search(r"omp(\d+)", fields.get("peer", ""))
    return int(m.group(1)) if m else int(fields.get("run_threads", 1))


def errors(problem, n, dump):
    """(rms, max, M) of the dump against the reference, or (None, None, reason)."""
    ref_path = os.path.join(ref_dir, f"ref_{problem}.bin")
    if not os.path.exists(ref_path):
        return None, None, "no reference"
    ref = np.fromfile(ref_path, "<f8").reshape(-1, 3)
    if not dump or not os.path.exists(dump):
        return None, None, "no dump"
    y = np.fromfile(dump, "<f8")
    if y.size != 3 * n:
        return None, None, f"dump has {y.size} values, expected {3 * n} (N×3)"
    m = min(len(ref), n)
    y, ref = y.reshape(-1, 3)[:m], ref[:m]
    rtol, atol = TOL[problem]
    e = (y - ref) / (atol + rtol * np.abs(ref))
    if not np.all(np.isfinite(e)):
        return float("inf"), float("inf"), m
    return float(np.sqrt(np.mean(e * e))), float(np.abs(e).max()), m


rows, failures = [], []
for line in open(results_path):
    if line.startswith(("FAILED ", "SKIPPED ")):
        failures.append(line.strip())
        continue
    if not line.startswith("RESULT "):
        continue
    f = dict(re.findall(r"(\w+)=(\[[^\]]*\]|\S+)", line))
    problem, n = f["problem"], int(f["N"])
    rms, mx, m = errors(problem, n, f.get("dump"))
    engine = engine_of(f)
    solver = f.get("solver", "")
    if engine == "MedTwin" and "lanes" in f:
        solver = f"{solver} x{f['lanes']}"
    rows.append(dict(problem=problem, engine=engine, solver=solver, threads=threads_of(f), n=n,
                     us=float(f["us_per_patient_min"]), us_med=float(f.get("us_per_patient_med", "nan")),
                     steps=float(f.get("steps_per_patient", "nan")), rms=rms, max=mx, m=m))


def fmt_err(x):
    return f"{x:.3g}" if isinstance(x, float) else "-"


print()
print("Error: (y - y_ref)/(atol + rtol*|y_ref|) over the first M patients' final states (1 = at tolerance)")
print(f"{'problem':<8} {'engine':<12} {'solver':<12} {'thr':>3} {'N':>7} {'us/pt min':>10} {'us/pt med':>10} "
      f"{'steps/pt':>9} {'M':>5} {'err rms':>9} {'err max':>9}")
for p in PROBLEMS:
    for r in [r for r in rows if r["problem"] == p]:
        m = r["m"] if isinstance(r["m"], int) else "-"
        print(f"{p:<8} {r['engine']:<12} {r['solver']:<12} {r['threads']:>3} {r['n']:>7} {r['us']:>10.3f} {r['us_med']:>10.3f} "
              f"{r['steps']:>9.1f} {m:>5} {fmt_err(r['rms']):>9} {fmt_err(r['max']):>9}")
        if not isinstance(r["m"], int):
            print(f"{'':<8} ^ error not measured: {r['m']}")
for line in failures:
    print(line)


def find(problem, engine, threads, solver=None):
    for r in rows:
        if r["problem"] == problem and r["engine"] == engine and r["threads"] == threads \
                and (solver is None or r["solver"] == solver):
            return r
    return None


def ours_for(problem, threads, peer):
    """MedTwin's fastest run at this thread count whose error is no larger than the peer's; the
    fastest run when none is (or when errors were not measured)."""
    runs = [r for r in rows if r["problem"] == problem and r["engine"] == "MedTwin" and r["threads"] == threads]
    if not runs:
        return None
    fair = [r for r in runs if peer and r["rms"] is not None and peer["rms"] is not None and r["rms"] <= peer["rms"]]
    return min(fair or runs, key=lambda r: r["us"])


def error_verdict(ours, peer):
    if ours["rms"] is None or peer["rms"] is None:
        return "error n/a", False
    ok = ours["rms"] <= peer["rms"]
    return f"error {ours['rms']:.3g} {'<=' if ok else '>'} {peer['rms']:.3g}", ok


print()
print("Goals (at equal or smaller error): pk, bergman >= 3x dopri5 at 1 and 2 threads; rober >= 10x CVODE BDF at 1 thread;")
print("MedTwin's 2-thread throughput >= 1.8x its 1-thread throughput.")
print(f"{'problem':<8} {'comparison':<34} {'peer us':>9} {'MedTwin us':>11} {'ratio':>7} {'goal':>6}  {'error (MedTwin vs peer, rms)':<32} verdict")
checks = [("pk", "dopri5", 1), ("pk", "dopri5", 2), ("bergman", "dopri5", 1), ("bergman", "dopri5", 2), ("rober", "CVODE BDF", 1)]
for problem, peer_name, t in checks:
    peer = find(problem, peer_name, t)
    ours = ours_for(problem, t, peer)
    what = f"MedTwin {ours['solver'].split()[0] if ours else ''} vs {peer_name}, {t} thr"
    goal = SPEED_GOAL[problem]
    if peer is None:
        print(f"{problem:<8} {what:<34} {'-':>9} {'-':>11} {'-':>7} {goal:>5.0f}x  {'':<32} peer did not run")
        continue
    if ours is None:
        print(f"{problem:<8} {what:<34} {peer['us']:>9.3f} {'-':>11} {'-':>7} {goal:>5.0f}x  {'':<32} MedTwin did not run")
        continue
    ratio = peer["us"] / ours["us"]
    etext, eok = error_verdict(ours, peer)
    if ratio < goal:
        verdict = "below goal"
    elif eok:
        verdict = "PASS"
    else:
        verdict = "fast enough, error not measured" if ours["rms"] is None or peer["rms"] is None else "fast enough, error larger"
    print(f"{problem:<8} {what:<34} {peer['us']:>9.3f} {ours['us']:>11.3f} {ratio:>6.2f}x {goal:>5.0f}x  {etext:<32} {verdict}")

# informational: MedTwin against the CVODE runs that --all-cvode adds
for problem, peer_name in [("pk", "CVODE Adams"), ("bergman", "CVODE BDF")]:
    peer, ours = find(problem, peer_name, 1), find(problem, "MedTwin", 1)
    if peer and ours:
        etext, _ = error_verdict(ours, peer)
        what = f"MedTwin vs {peer_name}, 1 thread"
        print(f"{problem:<8} {what:<34} {peer['us']:>9.3f} {ours['us']:>11.3f} {peer['us'] / ours['us']:>6.2f}x {'-':>6}  {etext:<32} (no goal)")

print()
print(f"{'problem':<8} {'scaling, 2 vs 1 thread':<34} {'1 thr us':>9} {'2 thr us':>11} {'ratio':>7} {'goal':>6}  verdict")
for problem in PROBLEMS:
    solvers = sorted({r["solver"] for r in rows if r["problem"] == problem and r["engine"] == "MedTwin"}) or [None]
    for engine, solver in [("MedTwin", s) for s in solvers] + [("dopri5", None)]:
        one, two = find(problem, engine, 1, solver), find(problem, engine, 2, solver)
        if engine == "dopri5" and not (one and two):
            continue
        what = f"{engine} {solver.split()[0] if solver else ''} throughput"
        if not (one and two):
            print(f"{problem:<8} {what:<34} {'-':>9} {'-':>11} {'-':>7} {SCALING_GOAL:>5.1f}x  MedTwin did not run (both thread counts)")
            continue
        ratio = one["us"] / two["us"]
        if engine == "MedTwin":
            goal, verdict = f"{SCALING_GOAL:>5.1f}x", ("PASS" if ratio >= SCALING_GOAL else "below goal")
        else:
            goal, verdict = f"{'-':>6}", "(peer, for reference)"
        print(f"{problem:<8} {what:<34} {one['us']:>9.3f} {two['us']:>11.3f} {ratio:>6.2f}x {goal}  {verdict}")

if not any(r["engine"] == "MedTwin" for r in rows):
    print()
    print("MedTwin: no results (build failed, binary missing or `medtwin bench ensemble` failed; see the FAILED/SKIPPED lines).")
