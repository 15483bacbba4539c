#!/usr/bin/env bash
# Virtual-patient ensembles: MedTwin's ensemble engine (`medtwin bench ensemble`) against the C peers of
# ../shared/peers (hand-written Dormand–Prince 5(4) with OpenMP, and SUNDIALS CVODE), in one run,
# interleaved, on the peers' three problems and parameter files: pk (100,000 patients), bergman (10,000)
# and rober (1,000). Each run dumps its final states; they are scored against a tight reference of the
# first M patients (ensemble/reference.py: pk exact via expm, the others solve_ivp at rtol 1e-13) as the
# RMS and max of (y − y_ref)/(atol + rtol·|y_ref|) with the problem's tolerances. MedTwin runs pk and
# bergman with Tsit5 and with DP5; each goal is judged on the fastest MedTwin run whose error is no larger
# than the peer's (the fastest run when none is). Prints the table, then the goals: pk and bergman ≥ 3× dopri5 at 1 and 2 threads, rober ≥ 10× CVODE BDF at 1 thread, MedTwin's
# 2-thread throughput ≥ 1.8× its 1-thread one, each at equal or smaller error than the peer's.
# If MedTwin cannot be built or run, the peers are still measured and the table says so.
#
#   Benchmarks/compare/ensemble.sh [--reps 5] [--pk-patients 100000] [--bergman-patients 10000]
#       [--rober-patients 1000] [--ref-patients M] [--all-cvode] [--no-build] [--keep]
#
#   --ref-patients M  reference patients per problem (default pk 2000, bergman 300, rober 200)
#   --all-cvode       also CVODE Adams on pk and CVODE BDF on bergman (slow: ~15 s per pass on pk)
#   --no-build        use the existing .build-native binary; MEDTWIN=/path/to/medtwin overrides it
#                     (and skips the build)
#   --keep            keep the work folder (peers, dumps, references, logs) and print its path
#
# Needs: swift, gcc, libsundials-dev, python3 with numpy and scipy; the peers beside the clone
# ($root/../shared/peers). With the defaults the peers and references take about 30 s on 2 cores (plus
# MedTwin's runs and its build); --all-cvode adds about 2.5 minutes.
set -euo pipefail
reps=5
pk_n=100000
berg_n=10000
rober_n=1000
ref_m=""
build=1
all_cvode=0
keep=0
usage="usage: $0 [--reps R] [--pk-patients N] [--bergman-patients N] [--rober-patients N] [--ref-patients M] [--all-cvode] [--no-build] [--keep]"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --pk-patients) pk_n=$2; shift 2 ;;
    --bergman-patients) berg_n=$2; shift 2 ;;
    --rober-patients) rober_n=$2; shift 2 ;;
    --ref-patients) ref_m=$2; shift 2 ;;
    --all-cvode) all_cvode=1; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] && [ "$2" -le "$3" ] || { echo "$1 must be an integer in 1...$3" >&2; exit 2; }; }
positive --reps "$reps" 63                  # the peers keep at most 64 timings
positive --pk-patients "$pk_n" 100000       # rows in the peers' parameter files
positive --bergman-patients "$berg_n" 10000
positive --rober-patients "$rober_n" 1000
[ -z "$ref_m" ] || positive --ref-patients "$ref_m" 100000
pk_m=${ref_m:-2000}; berg_m=${ref_m:-300}; rober_m=${ref_m:-200}
pk_m=$(( pk_m < pk_n ? pk_m : pk_n )); berg_m=$(( berg_m < berg_n ? berg_m : berg_n )); rober_m=$(( rober_m < rober_n ? rober_m : rober_n ))

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers=$root/../shared/peers
[ -x "$peers/build.sh" ] || { echo "no peers at $peers (expected ../shared/peers beside the clone)" >&2; exit 1; }
work=$(mktemp -d)
if [ "$keep" = 1 ]; then trap 'echo "# work folder kept: $work" >&2' EXIT; else trap 'rm -rf "$work"' EXIT; fi
out=$work/peers
results=$work/results.txt
: > "$results"

echo "# building the peers (dopri5, cvode_ens, parameter files) in $out" >&2
PEERS_OUT=$out "$peers/build.sh" ode >&2

medtwin=${MEDTWIN:-$root/.build-native/release/medtwin}
if [ -z "${MEDTWIN:-}" ] && [ "$build" = 1 ]; then
  echo "# building medtwin (release, -target-cpu native)" >&2
  if ! (cd "$root" && swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native >&2); then
    echo "# medtwin build FAILED; measuring the peers only" >&2
    echo "SKIPPED engine=MedTwin reason=build-failed" >> "$results"
    medtwin=""
  fi
fi
if [ -n "$medtwin" ] && [ ! -x "$medtwin" ]; then
  echo "# no medtwin binary at $medtwin; measuring the peers only" >&2
  echo "SKIPPED engine=MedTwin reason=no-binary:$medtwin" >> "$results"
  medtwin=""
fi

# run_case LABEL PROBLEM THREADS DUMP COMMAND… — runs COMMAND in the peers' out folder (they read data/
# from there), echoes and records its RESULT lines with run_threads= and dump= appended; records a
# FAILED line (and shows the end of its stderr) when it fails or prints no RESULT line.
run_case() {
  local label=$1 problem=$2 threads=$3 dump=$4; shift 4
  local log=$work/log_${label}.txt rc=0
  (cd "$out" && timeout 1800 "$@") > "$log.out" 2> "$log.err" || rc=$?
  if [ "$rc" = 0 ] && grep -q '^RESULT ' "$log.out"; then
    grep '^RESULT ' "$log.out" | sed "s|\$| run_threads=$threads dump=$dump|" | tee -a "$results"
  else
    echo "FAILED case=$label problem=$problem threads=$threads rc=$rc" | tee -a "$results"
    cat "$log.err" "$log.out" | grep -v '^[[:space:]]*$' | tail -n 5 | sed 's/^/#   /' >&2 || true
  fi
}
peer() {   # peer LABEL PROBLEM THREADS COMMAND…
  local label=$1 problem=$2 threads=$3; shift 3
  run_case "$label" "$problem" "$threads" "$work/dump_$label.bin" \
    env OMP_NUM_THREADS="$threads" DUMP="$work/dump_$label.bin" "$@"
}
# MedTwin takes 5× the repeats (at most 63): it is about 5× faster, so both sides are timed over a
# similar stretch of wall time (a burst of load on this shared machine then hits both alike).
our_reps=$(( reps * 5 > 63 ? 63 : reps * 5 ))
ours() {   # ours PROBLEM N THREADS [SOLVER] (the problem's default solver when none is given)
  local problem=$1 n=$2 threads=$3 solver=${4:-} label=medtwin_$1_$3${4:+_$4}
  if [ -z "$medtwin" ]; then return 0; fi
  run_case "$label" "$problem" "$threads" "$work/dump_$label.bin" \
    "$medtwin" bench ensemble --problem "$problem" --patients "$n" \
      --threads "$threads" --params "data/$problem.bin" --reps "$our_reps" --dump "$work/dump_$label.bin" ${solver:+--solver "$solver"}
}

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); one run, interleaved; reps $reps (MedTwin $our_reps)" >&2
# MedTwin runs Tsit5 (its default) and DP5 (the peer's method, so the same error at the same
# tolerances); the goal table takes the fastest run whose error is no larger than the peer's.
peer dopri5_pk_1 pk 1 bin/dopri5 pk "$pk_n" "$reps"
ours pk "$pk_n" 1 tsit5
ours pk "$pk_n" 1 dp5
peer dopri5_pk_2 pk 2 bin/dopri5 pk "$pk_n" "$reps"
ours pk "$pk_n" 2 tsit5
ours pk "$pk_n" 2 dp5
if [ "$all_cvode" = 1 ]; then peer cvode_pk_1 pk 1 bin/cvode_ens pk "$pk_n" adams "$reps"; fi
peer dopri5_bergman_1 bergman 1 bin/dopri5 bergman "$berg_n" "$reps"
ours bergman "$berg_n" 1 tsit5
ours bergman "$berg_n" 1 dp5
peer dopri5_bergman_2 bergman 2 bin/dopri5 bergman "$berg_n" "$reps"
ours bergman "$berg_n" 2 tsit5
ours bergman "$berg_n" 2 dp5
if [ "$all_cvode" = 1 ]; then peer cvode_bergman_1 bergman 1 bin/cvode_ens bergman "$berg_n" bdf "$reps"; fi
peer cvode_rober_1 rober 1 bin/cvode_ens rober "$rober_n" bdf "$reps"
ours rober "$rober_n" 1
ours rober "$rober_n" 2

echo "# references: first $pk_m pk, $berg_m bergman, $rober_m rober patients" >&2
python3 "$here/ensemble/reference.py" "$out" "$work" "pk:$pk_m" "bergman:$berg_m" "rober:$rober_m"

python3 "$here/ensemble/summarise.py" "$results" "$work"
