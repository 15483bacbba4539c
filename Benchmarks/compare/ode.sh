#!/usr/bin/env bash
# Single-trajectory ODE solvers: MedTwin against SUNDIALS CVODE (from C) and SciPy solve_ivp, in one
# run, on Robertson, Van der Pol (mu = 1000), HIRES and a two-compartment oral PK model with 5 doses,
# all at rtol 1e-6. Prints each solver's time, work and error against the reference end states of
# Tests/Fixtures/ODE/references.json (weighted RMS with weights atol + rtol·|y_ref|; 1 = at tolerance),
# then, per problem, MedTwin's best solver against CVODE and SciPy's fastest method.
#
#   Benchmarks/compare/ode.sh [--reps 20] [--scipy-reps 3]
#
# Needs: swift, gcc, libsundials-dev, python3 with numpy and scipy.
set -euo pipefail
reps=20
scipy_reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --scipy-reps) scipy_reps=$2; shift 2 ;;
    *) echo "usage: $0 [--reps N] [--scipy-reps N]" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# building medtwin (release, -target-cpu native) and the CVODE driver" >&2
(cd "$root" && swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native >&2)
gcc -O3 -march=native "$here/ode/cvode_problems.c" -o "$work/cvode_problems" \
    -lsundials_cvode -lsundials_nvecserial -lsundials_sunlinsoldense -lsundials_sunmatrixdense -lsundials_sunnonlinsolfixedpoint -lm

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); one run, interleaved" >&2
{
  "$root/.build-native/release/medtwin" bench ode --reps "$reps" 2>/dev/null
  "$work/cvode_problems" "$reps"
  python3 "$here/ode/scipy_problems.py" "$scipy_reps"
} | tee "$work/results.txt"

python3 "$here/ode/summarise.py" "$work/results.txt" "$root/Tests/Fixtures/ODE/references.json"
