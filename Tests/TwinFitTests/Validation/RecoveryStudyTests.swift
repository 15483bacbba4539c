import Foundation
import Testing

/// Parameter recovery of Bayesian individualisation (see ``RecoveryStudy``). The unit test runs
/// a small fixed-seed study; `Benchmarks/validation/recovery.sh` runs 500 patients in release
/// (MEDTWIN_RECOVERY_SUBJECTS, MEDTWIN_RECOVERY_OUT) and commits the report.
@Suite struct RecoveryStudyTests {
    /// 60 patients: every fit succeeds, the 90 % intervals' coverage lies in the binomial 99.9 %
    /// interval around 0.9 for n = 60 (≈ 0.77–1), and the log-scale bias is small against ω.
    @Test func smallStudyCoversTheTruthAsOftenAsTheoryPredicts() throws {
        let study = try RecoveryStudy.run(subjects: 60, seed: 2026, proposals: 1000, draws: 500)
        #expect(study.failures == 0)
        let accepted = RecoveryStudy.acceptedCoverage(60)
        for p in study.parameters {
            #expect(accepted.contains(p.coverage), "\(p.name): coverage \(p.coverage)")
            #expect(abs(p.bias) < 0.25, "\(p.name): bias \(p.bias)")
        }
    }

    /// With sparse levels the data say little about V2 (no level isolates the distribution
    /// phase), so its estimates shrink toward the prior: η-shrinkage of V2 exceeds that of CL,
    /// which two levels per dosing interval determine best.
    @Test func uninformativeParametersShrinkTowardThePrior() throws {
        let study = try RecoveryStudy.run(subjects: 60, seed: 7, proposals: 200, draws: 100)
        let cl = try #require(study.parameters.first { $0.name == "CL" }), v2 = try #require(study.parameters.first { $0.name == "V2" })
        #expect(v2.shrinkage > cl.shrinkage, "V2 \(v2.shrinkage) vs CL \(cl.shrinkage)")
        #expect(v2.shrinkage > 0.3)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["MEDTWIN_RECOVERY_SUBJECTS"] != nil))
    func fullStudy() throws {
        let environment = ProcessInfo.processInfo.environment
        let n = Int(environment["MEDTWIN_RECOVERY_SUBJECTS"] ?? "") ?? 500
        let study = try RecoveryStudy.run(subjects: n, seed: 20261207)
        if let path = environment["MEDTWIN_RECOVERY_OUT"] {
            try study.report.write(to: URL(fileURLWithPath: path), atomically: true, encoding: .utf8)
        }
        let accepted = RecoveryStudy.acceptedCoverage(n - study.failures)
        for p in study.parameters { #expect(accepted.contains(p.coverage), "\(p.name): coverage \(p.coverage)") }
    }
}
