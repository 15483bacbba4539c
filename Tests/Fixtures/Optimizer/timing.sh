#!/bin/sh
# Compiles the optimiser's sources (those that need no other module) with timing_main.swift into one
# optimised executable (-O, whole module, as a release build of TwinFit) and runs it.
set -e
cd "$(dirname "$0")/../../.."
src=Sources/TwinFit/Optimizer
out=${TMPDIR:-/tmp}/twinfit-optimizer-timing
swiftc -O -wmo -parse-as-library -module-name OptimizerTiming \
  $src/ScoringObjective.swift $src/TrustRegionOptions.swift $src/TrustRegionMinimizer.swift \
  $src/OptimizationResult.swift $src/OptimizerError.swift $src/DampedCholesky.swift $src/MultiStart.swift \
  Tests/Fixtures/Optimizer/timing_main.swift -o "$out" 2>&1 | grep -v warning || true
"$out"
