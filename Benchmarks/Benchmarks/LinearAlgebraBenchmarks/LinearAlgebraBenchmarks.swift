// Dense linear algebra: GEMM at the sizes of `LinalgWorkloads.gemmSizes`, the factorisations at
// n = 512, and the small-matrix LU path of a stiff solver's Newton iteration (n = 4, 8), each on
// the same matrices as `medtwin bench linalg` and the C peer (`LinalgWorkloads`).
//
// Inputs are built on the warm-up iteration, and the copies that a factorisation consumes are made
// before `startMeasurement()`, so times and allocation counts are those of the routine alone.
//
// Allocations per iteration (mallocCountTotal). MedTwin's own are deterministic; OpenBLAS adds one
// malloc per multi-threaded level-3 call (its threaded driver allocates a `job` array, 512 KiB,
// on every call), a number that depends on the thread count and on the core's blocking. So the
// exact counts are checked on benchmarks that run OpenBLAS single-threaded (`-1thread`, and those
// too small for OpenBLAS to thread), recorded in ../../Thresholds/LinearAlgebraBenchmarks.<name>.p90.json
// with tolerance 0 and checked by `swift package benchmark thresholds check` (a change either way
// fails: update the file on purpose). Measured with OpenBLAS 0.3.21, on its Prescott and Cooperlake
// cores alike:
//
//   gemm-into-C-n=64                          0   writes into caller storage
//   gemm-into-C-n=512, 2048 (-1thread)        0   (1 at 2 threads: OpenBLAS's job array)
//   multiplied-by-n=512, 2048 (-1thread)      1   its result, nothing else (2 at 2 threads)
//   LU-solve-n=512-1thread                    1   the pivot array; the matrix is consumed in place
//   Cholesky-n=512-1thread                    0   potrf works in the consumed matrix's storage
//   SVD-n=512-1thread                         5   σ, U, Vᵀ, iwork, the gesdd workspace
//   symmetric-eigen-n=512-1thread             3   λ, the syevd work and iwork arrays
//   small-LU-n=4, 8 (automatic, lapack)       0   refactor + solve in place
//
// At 2 threads OpenBLAS adds (Cooperlake / Prescott core): Cholesky 63 / 31, SVD 89 / 112,
// symmetric eigen 35 / 44.
//
// The cpuTotal metric is left out: the framework samples it with allocations of its own (16 per
// iteration, counted in mallocCountTotal) and at the scheduler tick's resolution (10 ms).

import Benchmark
import TwinLinearAlgebra
import TwinWorkloads

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Storage a benchmark builds on its first (warm-up) iteration and keeps for the rest.
private final class State<Value> {
    var value: Value?
    func get(_ make: () throws -> Value) rethrows -> Value {
        if let value { return value }
        let made = try make()
        value = made
        return made
    }
}

/// A copy of `m` with storage of its own, so that the measured code consumes it without copying.
private func uniqueCopy(_ m: Matrix<Double>) -> Matrix<Double> {
    var copy = m
    copy[0, 0] = m[0, 0]
    return copy
}

/// Writes one line to standard error, next to the benchmark tool's progress output.
private func note(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

/// Which metrics every benchmark records: time, rate, allocations (not cpuTotal: see the top).
private var metrics: [BenchmarkMetric] { [.wallClock, .throughput, .mallocCountTotal] }

/// A configuration: one warm-up iteration (it also builds the inputs), then up to `maxIterations`
/// or `maxSeconds`. With `exactAllocations` the allocation count must equal the one recorded in
/// Thresholds/ exactly (tolerance 0); elsewhere the benchmark framework's default tolerances apply.
private func configuration(maxIterations: Int, maxSeconds: Int = 2, scaling: BenchmarkScalingFactor = .one,
                           exactAllocations: Bool = true) -> Benchmark.Configuration {
    .init(metrics: metrics, timeUnits: .automatic, warmupIterations: 1, scalingFactor: scaling,
          maxDuration: .seconds(maxSeconds), maxIterations: maxIterations,
          thresholds: exactAllocations ? [.mallocCountTotal: .init(absolute: [.p90: 0])] : nil)
}

/// Runs `body` with OpenBLAS at `threads` threads (nil: as configured, one per core by default).
private func withBLASThreads(_ threads: Int?, _ body: () throws -> Void) throws {
    if let threads { try BLASRuntime.withThreadCount(threads, body) } else { try body() }
}

/// The name suffix of a benchmark run at a fixed OpenBLAS thread count.
private func suffix(_ threads: Int?) -> String { threads.map { "-\($0)thread" } ?? "" }

let benchmarks: @Sendable () -> Void = {
    Benchmark.setup = {
        let report = BLASRuntime.kernelReport()
        note("LinearAlgebraBenchmarks: OpenBLAS core \(BLASRuntime.coreName), \(BLASRuntime.threadCount) threads"
             + (report.isOptimal ? "" : "; \(report.summary)"))
    }

    // MARK: GEMM into preallocated storage: C ← A·B, writing into C.

    for n in LinalgWorkloads.gemmSizes {
        let big = n >= 2048
        let threadCounts: [Int?] = n >= 512 ? [nil, 1] : [nil]
        for threads in threadCounts {
            let state = State<(a: Matrix<Double>, b: Matrix<Double>, c: Matrix<Double>)>()
            // n = 64 runs single-threaded inside OpenBLAS anyway: no allocation at any thread count.
            let exact = threads == 1 || n < 512
            Benchmark("gemm-into-C-n=\(n)" + suffix(threads),
                      configuration: configuration(maxIterations: big ? 25 : (n >= 512 ? 500 : 10_000), maxSeconds: big ? 5 : 2,
                                                   exactAllocations: exact)) { benchmark in
                try withBLASThreads(threads) {
                    var operands = state.get {
                        (LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 1),
                         LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 2),
                         Matrix<Double>(rows: n, columns: n))
                    }
                    state.value = nil   // keep `operands.c` the only reference: writing into it must not copy
                    benchmark.startMeasurement()
                    try BLAS.gemm(operands.a, operands.b, into: &operands.c)
                    benchmark.stopMeasurement()
                    blackHole(operands.c)
                    state.value = operands
                }
            }
        }
    }

    // MARK: GEMM returning a new matrix: allocates its result and nothing else.

    for n in LinalgWorkloads.gemmSizes where n >= 512 {
        let big = n >= 2048
        for threads in [nil, 1] as [Int?] {
            let state = State<(a: Matrix<Double>, b: Matrix<Double>)>()
            Benchmark("multiplied-by-n=\(n)" + suffix(threads),
                      configuration: configuration(maxIterations: big ? 25 : 500, maxSeconds: big ? 5 : 2,
                                                   exactAllocations: threads == 1)) { benchmark in
                try withBLASThreads(threads) {
                    let (a, b) = state.get {
                        (LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 1),
                         LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 2))
                    }
                    benchmark.startMeasurement()
                    let c = try a.multiplied(by: b)
                    blackHole(c)
                    benchmark.stopMeasurement()
                }
            }
        }
    }

    // MARK: Factorisations at n = 512, OpenBLAS single-threaded (exact allocation counts; the
    // multi-threaded comparison with the C peer is compare/linalg.sh), each consuming a fresh copy
    // made outside the measurement.

    let n = 512

    let luState = State<(a: Matrix<Double>, b: Matrix<Double>)>()
    Benchmark("LU-solve-n=\(n)-1thread", configuration: configuration(maxIterations: 500)) { benchmark in
        try withBLASThreads(1) {
            let (a0, b0) = luState.get {
                (LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 3),
                 LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 4))
            }
            let a = uniqueCopy(a0)
            var x = uniqueCopy(b0)
            benchmark.startMeasurement()
            let lu = try LUFactorization(consume a, method: .lapack, conditionCheck: .unchecked)   // as LAPACK dgesv
            try lu.solve(inPlace: &x)
            blackHole(x)
            benchmark.stopMeasurement()
            blackHole(lu)
        }
    }

    let choleskyState = State<Matrix<Double>>()
    Benchmark("Cholesky-n=\(n)-1thread", configuration: configuration(maxIterations: 500)) { benchmark in
        try withBLASThreads(1) {
            let a = uniqueCopy(choleskyState.get { LinalgWorkloads.symmetricPositiveDefinite(Double.self, n: n, seed: 5) })
            benchmark.startMeasurement()
            let cholesky = try CholeskyFactorization(consume a, conditionCheck: .unchecked)   // potrf alone
            benchmark.stopMeasurement()
            blackHole(cholesky)
        }
    }

    let svdState = State<Matrix<Double>>()
    Benchmark("SVD-n=\(n)-1thread", configuration: configuration(maxIterations: 100, maxSeconds: 3)) { benchmark in
        try withBLASThreads(1) {
            let a = uniqueCopy(svdState.get { LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 6) })
            benchmark.startMeasurement()
            let svd = try SingularValueDecomposition(consume a)
            benchmark.stopMeasurement()
            blackHole(svd)
        }
    }

    let eigenState = State<Matrix<Double>>()
    Benchmark("symmetric-eigen-n=\(n)-1thread", configuration: configuration(maxIterations: 100, maxSeconds: 3)) { benchmark in
        try withBLASThreads(1) {
            let a = uniqueCopy(eigenState.get { LinalgWorkloads.symmetricPositiveDefinite(Double.self, n: n, seed: 7) })
            benchmark.startMeasurement()
            let eigen = try SymmetricEigendecomposition(consume a)
            benchmark.stopMeasurement()
            blackHole(eigen)
        }
    }

    // MARK: Small-matrix LU: refactor into the same storage and solve, as a stiff solver's Newton
    // iteration does. One iteration is 1000 refactor + solve pairs (scaling factor kilo: the
    // tables show time and throughput per pair).

    for order in [4, 8] {
        for (label, method) in [("automatic", LUFactorization<Double>.Method.automatic), ("lapack", .lapack)] {
            let state = State<(lu: LUFactorization<Double>, a: Matrix<Double>, b: Matrix<Double>, x: Matrix<Double>)>()
            Benchmark("small-LU-n=\(order)-\(label)",
                      configuration: configuration(maxIterations: 100_000, scaling: .kilo)) { benchmark in
                var s = try state.get {
                    let a = LinalgWorkloads.wellConditioned(Double.self, n: order, seed: 8)
                    let b = LinalgWorkloads.random(Double.self, rows: order, columns: 1, seed: 9)
                    return (try LUFactorization(a, method: method, conditionCheck: .unchecked), a, b, uniqueCopy(b))
                }
                state.value = nil   // `s` holds the only references: refactor and solve write in place
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    try s.lu.refactor(s.a)
                    for i in 0..<order { s.x[i, 0] = s.b[i, 0] }
                    try s.lu.solve(inPlace: &s.x)
                }
                benchmark.stopMeasurement()
                blackHole(s.x)
                state.value = s
            }
        }
    }
}
