#!/usr/bin/env bash
# MedTwin's dense linear algebra against the C peer (OpenBLAS + LAPACKE called from C,
# ../shared/peers/blas_bench.c), in one run, on the same matrices, order and thread count.
#
#   Benchmarks/compare/linalg.sh [--n 2048] [--threads 2] [--reps 5] [--rounds 1]
#
# It builds the peer (into $PEERS_OUT, or a temporary folder) and `medtwin` (release, native
# code generation, scratch folder .build-native), then for each of dgemm, dgesv, dpotrf, dgesdd and
# dsyevd runs the peer in three environments:
#   inherited   the environment as it is
#   unset       OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset: OpenBLAS's own CPU detection
#               (OpenBLAS 0.3.21 does not know recent Xeons and falls back to its slow Prescott core)
#   best        OPENBLAS_CORETYPE=<the core medtwin runs> and OPENBLAS_L2_SIZE unset: the best
#               kernels this OpenBLAS has for this CPU; "peer-best" below is this run
# and `medtwin bench linalg` in the inherited environment (medtwin picks its kernels itself).
# Times are the minimum over --reps runs after one warm-up; with --rounds K the whole sequence runs
# K times, interleaved, and the table keeps each side's fastest round (other work on a small machine
# can slow any one run: more rounds make the ratio steadier). The ratio is medtwin / peer-best in
# GFLOP/s where the routine has a rate (dgemm, dgesv, dpotrf), else peer_ms / medtwin_ms: above 1
# means medtwin is faster.
#
# Environment: PEERS_OUT (where to build the peer; default a temporary folder, removed at exit),
# MEDTWIN_SHARED (the shared/ folder; default: the repository root's sibling `shared`).
set -euo pipefail

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "linalg.sh: $*" >&2; exit 2; }

n=2048
threads=2
reps=5
rounds=1
while [ $# -gt 0 ]; do
  case $1 in
    --n) [ $# -ge 2 ] || die "--n needs a value"; n=$2; shift 2 ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a value"; threads=$2; shift 2 ;;
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; reps=$2; shift 2 ;;
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; rounds=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (usage: Benchmarks/compare/linalg.sh [--n 2048] [--threads 2] [--reps 5] [--rounds 1])" ;;
  esac
done
for pair in "n=$n" "threads=$threads" "reps=$reps" "rounds=$rounds"; do
  [[ ${pair#*=} =~ ^[1-9][0-9]*$ ]] || die "--${pair%%=*} must be a positive integer (got '${pair#*=}')"
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${MEDTWIN_SHARED:-$root/../shared}
[ -x "$shared/peers/build.sh" ] || die "no peers at $shared/peers (set MEDTWIN_SHARED to the shared/ folder)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peers_out=${PEERS_OUT:-$work/peers}

# (a) the C peer, (b) medtwin with native code generation; build chatter goes to stderr.
echo "== building the C peer into $peers_out" >&2
PEERS_OUT=$peers_out "$shared/peers/build.sh" blas >&2
echo "== building medtwin (release, -target-cpu native, .build-native)" >&2
(cd "$root" && swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native --product medtwin) >&2
peer=$peers_out/bin/blas_bench
medtwin=$root/.build-native/release/medtwin
[ -x "$peer" ] || die "the peer did not build: no $peer"
[ -x "$medtwin" ] || die "medtwin did not build: no $medtwin"

# The core medtwin runs (after its own kernel check): the peer's "best" environment uses it.
best_core=$("$medtwin" bench linalg --n 64 --threads 1 --reps 1 --routines gemm --no-small 2>/dev/null |
  sed -n 's/^# blas: OpenBLAS core \([^,]*\),.*/\1/p')
[ -n "$best_core" ] || die "could not read the OpenBLAS core from medtwin's '# blas:' line"

# (c) one run: per routine, the peer in three environments, then medtwin. Raw lines are kept as
# "<label> RESULT …" in $raw.
raw=$work/raw.txt
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
: > "$raw"
peer_result() {   # label, then the command prefix; appends the RESULT line
  local label=$1; shift
  "$@" "$peer" "$reps" "$routine" "$n" | grep '^RESULT' | sed "s/^/$label /" >> "$raw" ||
    die "no RESULT line from the peer ($label, $routine)"
}
for round in $(seq "$rounds"); do
for routine in dgemm dgesv dpotrf dgesdd dsyevd; do
  case $routine in
    dgemm) ours=gemm ;; dgesv) ours=lu ;; dpotrf) ours=cholesky ;; dgesdd) ours=svd ;; dsyevd) ours=eigen ;;
  esac
  echo "== round $round/$rounds: $routine n=$n threads=$threads reps=$reps" >&2
  peer_result inherited env OPENBLAS_NUM_THREADS="$threads"
  peer_result unset env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads"
  peer_result best env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$best_core" OPENBLAS_NUM_THREADS="$threads"
  "$medtwin" bench linalg --n "$n" --threads "$threads" --reps "$reps" --routines "$ours" --no-small |
    grep '^RESULT' | sed 's/^/medtwin /' >> "$raw" || die "no RESULT line from medtwin ($ours)"
done
done

# (d) the table, then the raw lines.
echo
echo "MedTwin vs the C peer (OpenBLAS/LAPACKE from C); min over $reps reps x $rounds round(s); GFLOP/s where the routine has a rate"
echo "peer environments: inherited | unset = OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset | best = OPENBLAS_CORETYPE=$best_core"
[ -r /proc/loadavg ] && echo "load average before/after the runs: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) processors (other work on the machine slows both sides)"
awk -v best_core="$best_core" '
  function field(line, key,    parts, i, kv) {
    split(line, parts, " ")
    for (i in parts) { split(parts[i], kv, "="); if (kv[1] == key) return substr(parts[i], length(key) + 2) }
    return ""
  }
  {
    label = $1; line = substr($0, length(label) + 2)
    r = field(line, "routine"); key = r SUBSEP label
    if (!(r in seen)) { seen[r] = 1; order[++count] = r }
    if ((key in ms) && ms[key] + 0 <= field(line, "min_ms") + 0) next   # keep the fastest round
    core[key] = field(line, "core"); ms[key] = field(line, "min_ms"); rate[key] = field(line, "best")
    nn[r] = field(line, "n"); th[key] = field(line, "threads")
  }
  function cell(r, label,    k) {
    k = r SUBSEP label
    return sprintf("%-11s %10.2f %8s", core[k], ms[k], rate[k] == "" ? "-" : sprintf("%.2f", rate[k]))
  }
  END {
    printf "%-7s %5s %3s | %-31s | %-31s | %-31s | %-31s | %s\n", "routine", "n", "thr",
      "peer inherited: core ms GF/s", "peer unset: core ms GF/s", "peer best: core ms GF/s", "medtwin: core ms GF/s", "medtwin/peer-best"
    for (i = 1; i <= count; i++) {
      r = order[i]; b = r SUBSEP "best"; m = r SUBSEP "medtwin"
      ratio = (rate[b] != "" && rate[m] != "") ? rate[m] / rate[b] : ms[b] / ms[m]
      if (r == "dgemm") gemm = ratio
      printf "%-7s %5d %3d | %s | %s | %s | %s | %.2f%s\n", r, nn[r], th[m], cell(r, "inherited"), cell(r, "unset"),
        cell(r, "best"), cell(r, "medtwin"), ratio, (rate[b] != "" ? " (rate)" : " (time)")
    }
    printf "\ngemm ratio vs best-kernel peer: %.2f (target >= 0.95)\n", gemm
  }
' "$raw"
echo
echo "raw RESULT lines (label: peer environment or medtwin):"
sed 's/^\([a-z]*\) /[\1] /' "$raw"
