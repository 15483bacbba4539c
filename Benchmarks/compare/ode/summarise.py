#!/usr/bin/env python3
"""Reads the RESULT lines of compare/ode.sh and prints the side-by-side table and the goal checks."""
import json, re, sys

results_path, references_path = sys.argv[1], sys.argv[2]
refs = json.load(open(references_path))["values"]
reference = {"robertson": refs["robertson1e5"], "vanderpol": refs["vanDerPol3000"], "hires": refs["hires"], "pk-5-doses": refs["pkRepeatedDoses"]}
tolerances = {"robertson": (1e-6, 1e-10), "vanderpol": (1e-6, 1e-6), "hires": (1e-6, 1e-9), "pk-5-doses": (1e-6, 1e-9)}

def weighted_error(problem, final):
    rtol, atol = tolerances[problem]
    ref = reference[problem]
    s = sum(((a - b) / (atol + rtol * abs(b))) ** 2 for a, b in zip(final, ref))
    return (s / len(ref)) ** 0.5

rows = []
for line in open(results_path):
    if not line.startswith("RESULT "):
        continue
    fields = dict(re.findall(r"(\w+)=(\[[^\]]*\]|\S+)", line))
    who = fields.get("engine") or fields.get("peer")
    solver = fields.get("solver") or fields.get("method")
    final = [float(x) for x in fields["final"].strip("[]").split()]
    rows.append(dict(who=who, problem=fields["problem"], solver=solver, ms=float(fields["min_ms"]),
                     f=int(fields.get("f_evals", 0)), jac=int(fields.get("jac_evals", 0)), steps=fields.get("steps", "-"),
                     error=weighted_error(fields["problem"], final)))

print()
print(f"{'problem':<11} {'engine':<8} {'solver':<7} {'min ms':>9} {'steps':>6} {'f evals':>8} {'jac':>5} {'error':>9}")
for r in rows:
    print(f"{r['problem']:<11} {r['who']:<8} {r['solver']:<7} {r['ms']:>9.4f} {r['steps']:>6} {r['f']:>8} {r['jac']:>5} {r['error']:>9.3g}")

print()
print("Per problem: MedTwin's fastest solver whose error is at most CVODE's, against CVODE and SciPy's fastest method")
print(f"{'problem':<11} {'medtwin':<16} {'error':>8} {'cvode ms':>9} {'error':>8} {'x cvode':>8} {'scipy best':<18} {'x scipy':>8}")
for problem in reference:
    ours = [r for r in rows if r["problem"] == problem and r["who"] == "medtwin"]
    cvode = [r for r in rows if r["problem"] == problem and r["who"] == "cvode"]
    scipy = [r for r in rows if r["problem"] == problem and r["who"] == "scipy"]
    if not ours or not cvode:
        continue
    c = cvode[0]
    eligible = [r for r in ours if r["error"] <= c["error"]] or ours
    best = min(eligible, key=lambda r: r["ms"])
    s = min(scipy, key=lambda r: r["ms"]) if scipy else None
    scipy_text = f"{s['solver']} {s['ms']:.3f} ms" if s else "-"
    scipy_ratio = f"{s['ms'] / best['ms']:.1f}" if s else "-"
    print(f"{problem:<11} {best['solver'] + ' ' + format(best['ms'], '.3f'):<16} {best['error']:>8.3g} {c['ms']:>9.3f} {c['error']:>8.3g} "
          f"{c['ms'] / best['ms']:>8.1f} {scipy_text:<18} {scipy_ratio:>8}")
print()
print("Goals (issue 3): error <= CVODE's in less time, and >= 20x faster than SciPy.")
