"""Summarises Benchmarks/compare/fit.sh: MedTwin's µs per subject against SciPy least_squares (analytic
Jacobian and 2-point differences), thread scaling, and the residual sums of squares subject by subject.
Usage: python3 summarise.py OUT_DIR   (reads OUT_DIR/results.txt and the estimate CSVs)."""
import csv, os, sys

out = sys.argv[1]
results = {}
for line in open(os.path.join(out, "results.txt")):
    if not line.startswith("RESULT"):
        continue
    kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
    key = (kv["case"], kv.get("jacobian") or kv.get("peer") or f"medtwin-{kv['method']}-t{kv.get('threads', '1')}")
    results[key] = kv

def us(case, who):
    return float(results[(case, who)]["us_per_subject_min"])

def rows(path):
    with open(path) as f:
        return {r["ID"]: r for r in csv.DictReader(f)}

for case, ours, theirs in [("theoph", "theophylline", "medtwin_theoph_estimates.csv"),
                           ("synthetic10000", "theoph_sim_10000", "medtwin_synthetic10000_t1.csv")]:
    t1 = us(ours, "medtwin-closed-form-t1")
    sa, sf = us(case, "analytic"), us(case, "fd2")
    print(f"{case}: medtwin {t1:.2f} us/subject (1 thread); scipy analytic {sa:.1f}, 2-point {sf:.1f}; "
          f"speed-up x{sa / t1:.1f} (analytic), x{sf / t1:.1f} (2-point)")
    if (ours, "medtwin-closed-form-t2") in results:
        t2 = us(ours, "medtwin-closed-form-t2")
        print(f"  2 threads {t2:.2f} us/subject: x{t1 / t2:.2f} of 1 thread")
    mine, peer = rows(os.path.join(out, theirs)), rows(os.path.join(out, f"scipy_{case}_estimates.csv"))
    worse = [i for i in peer if float(mine[i]["rss"]) > float(peer[i]["rss"]) * (1 + 1e-8)]
    better = [i for i in peer if float(mine[i]["rss"]) < float(peer[i]["rss"]) * (1 - 1e-8)]
    print(f"  RSS: {len(peer)} subjects, {len(worse)} worse than SciPy by > 1e-8 relative {worse[:10]}, {len(better)} better")

def ms(case, peer):
    for key, kv in results.items():
        if kv.get("case") == case and (kv.get("peer") == peer if peer else "peer" not in kv):
            return float(kv["ms_min"])
    return None

for case in ("map", "map+draws"):
    mine, theirs = ms(case, None), ms(case, "scipy")
    if mine and theirs:
        print(f"{case}: medtwin {mine:.3f} ms, scipy {theirs:.1f} ms: x{theirs / mine:.0f}")
sir = ms("sir", None)
if sir:
    print(f"sir 100,000 proposals -> 10,000 draws, 2 threads: {sir:.1f} ms")
