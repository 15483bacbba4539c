#!/usr/bin/env bash
# Parameter recovery of Bayesian individualisation (issue 16): 500 synthetic vancomycin patients drawn
# from the shipped Goti (2018) population model, 2–4 levels each, MAP + SIR 90 % intervals; reports
# bias, RMSE and coverage per parameter and the binomial 99.9 % acceptance interval around 90 %.
# The study is Tests/TwinFitTests/Validation/RecoveryStudy.swift; this runs it at full size.
#
#   Benchmarks/validation/recovery.sh [SUBJECTS=500] [--debug]
#
# Writes Benchmarks/validation/recovery-<SUBJECTS>.txt (committed). Release by default
# (-Xswiftc -enable-testing: the test targets use @testable imports).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-500}
config=(-c release -Xswiftc -enable-testing --scratch-path "$root/.build-release-tests")
if [ "${2:-}" = "--debug" ]; then config=(); fi
cd "$root"
MEDTWIN_RECOVERY_SUBJECTS="$n" MEDTWIN_RECOVERY_OUT="$here/recovery-$n.txt" \
  swift test "${config[@]}" --filter "RecoveryStudyTests/fullStudy"
cat "$here/recovery-$n.txt"
