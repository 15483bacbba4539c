#!/usr/bin/env bash
# Individual fits: MedTwin against SciPy least_squares (MINPACK lm, analytic Jacobian) in one run, on
# the 12 Theophylline subjects and the 10,000-subject synthetic set of ../shared/peers/fit
# (simulate_theoph.R, drawn from the R nlme fit). Prints each side's µs per subject, the ratios, and
# how many subjects' residual sums of squares are worse than SciPy's by more than 1e-8 relative.
# Then Bayesian individualisation of the bundled vancomycin patient (MAP + Laplace covariance + 1,000
# SIR draws) against the SciPy peer fit/map_scipy.py, and a 100,000-proposal SIR posterior on 2 threads.
#
#   Benchmarks/compare/fit.sh [--native] [OUT_DIR]
#
# Needs: swift; python3 with numpy and scipy; r-base-core, r-cran-nlme and r-cran-bench (to make the synthetic set
# once; it is kept in OUT_DIR, default /tmp/medtwin-fit-peers). --native builds with -target-cpu native.
set -euo pipefail
native=0
if [ "${1:-}" = "--native" ]; then native=1; shift; fi
out=${1:-/tmp/medtwin-fit-peers}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers=$(cd "$root/../shared/peers/fit" && pwd)
mkdir -p "$out"

if [ "$native" = 1 ]; then
  scratch=.build-native; flags=(-Xswiftc -target-cpu -Xswiftc native); build="native (-target-cpu native)"
else
  scratch=.build; flags=(); build="default (swift build -c release)"
fi
echo "# building medtwin, release, $build" >&2
(cd "$root" && swift build -c release --scratch-path "$scratch" "${flags[@]}" --product medtwin >&2)
medtwin="$root/$scratch/release/medtwin"

if [ ! -f "$out/theoph_sim_10000.csv" ]; then
  echo "# making the synthetic set with R nlme (once)" >&2
  Rscript "$peers/nlme_theoph.R" "$out" 1 >&2
  Rscript "$peers/simulate_theoph.R" "$out" 10000 10000 >&2
fi

units="TIME=h,DV=mg/L,AMT=mg,WT=kg"
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); one run" >&2
{
  python3 "$peers/indiv_scipy.py" "$out" 20
  "$medtwin" bench fit "$root/Tests/Fixtures/pk-datasets/theophylline.csv" --units "$units" --reps 20 --estimates "$out/medtwin_theoph_estimates.csv" 2>/dev/null
  for t in 1 2; do
    "$medtwin" bench fit "$out/theoph_sim_10000.csv" --units "$units" --threads $t --reps 3 --estimates "$out/medtwin_synthetic10000_t$t.csv" 2>/dev/null
  done
  (cd "$root" && "$medtwin" bench twin --reps 5 2>/dev/null)
  python3 "$here/fit/map_scipy.py" 1
} | tee "$out/results.txt"

python3 "$here/fit/summarise.py" "$out"
