import Foundation
import Testing
import TwinData
import TwinEnsemble
import TwinLinearAlgebra

/// The item and reason of the `invalidVariability` error that parsing `text` throws, or nil.
private func variabilityFailure(_ text: String) -> (text: String, reason: String)? {
    do {
        _ = try VariabilitySpec(parsing: text)
        return nil
    } catch {
        if case let .invalidVariability(item, reason) = error { return (item, reason) }
        return nil
    }
}

/// The item and reason of the `invalidCovariate` error that parsing `text` throws, or nil.
private func covariateFailure(_ text: String) -> (text: String, reason: String)? {
    do {
        _ = try CovariateSource(parsing: text)
        return nil
    } catch {
        if case let .invalidCovariate(item, reason) = error { return (item, reason) }
        return nil
    }
}

/// The error that parsing `text` as an Omega file throws, or nil.
private func omegaFailure(_ text: String) -> EnsembleError? {
    do {
        _ = try OmegaMatrix(parsing: text, source: "omega.csv")
        return nil
    } catch {
        return error
    }
}

@Suite struct VariabilityParsingTests {
    @Test func parsesEveryForm() throws {
        let spec = try VariabilitySpec(parsing: " CL=30% , omega:V = 0.2,sd:WT=12, SD:tlag=10%, ")
        #expect(spec.entries.map(\.name) == ["CL", "V", "WT", "tlag"])
        #expect(spec["v"] == .logNormal(omega: 0.2))
        #expect(spec["WT"] == .normal(sd: 12))
        #expect(spec["TLAG"] == .normalFractionOfTypical(0.1))
        #expect(spec["ka"] == nil)
    }

    /// CV 30 % ⇒ ω² = ln(1 + 0.3²) = ln 1.09 (the log-normal CV identity, CV² = exp(ω²) − 1).
    @Test func coefficientOfVariationGivesLogScaleOmega() throws {
        let spec = try VariabilitySpec(parsing: "CL=30%")
        #expect(spec["CL"] == .logNormal(omega: log(1.09).squareRoot()))
    }

    @Test func emptyTextMeansNoVariability() throws {
        #expect(try VariabilitySpec(parsing: "").isEmpty)
        #expect(try VariabilitySpec(parsing: "  \t ").isEmpty)
    }

    @Test func percentageOfTypicalResolvesToSD() {
        #expect(ParameterVariability.normalFractionOfTypical(0.1).resolved(typical: 35) == .normal(sd: 3.5))
        #expect(ParameterVariability.logNormal(omega: 0.2).resolved(typical: 35) == .logNormal(omega: 0.2))
    }

    @Test func rejectsDuplicatesIgnoringCase() throws {
        let failure = try #require(variabilityFailure("CL=30%, cl=20%"))
        #expect(failure.text == "cl=20%")
        #expect(failure.reason.contains("twice"))
    }

    @Test(arguments: [
        ("CL=-30%", "negative"),
        ("omega:CL=nan", "not finite"),
        ("sd:WT=inf", "not finite"),
        ("CL30%", "missing '='"),
        ("cv:CL=30%", "unknown prefix 'cv:'"),
        ("CL=0.3", "ambiguous"),
        ("omega:CL=30%", "not a percentage"),
        ("CL=abc", "not a number"),
        ("=30%", "name is missing"),
        ("CL=", "missing"),
        ("1CL=30%", "not a parameter name"),
    ])
    func rejectsMalformedItems(text: String, expected: String) throws {
        let failure = try #require(variabilityFailure(text))
        #expect(failure.text == text)
        #expect(failure.reason.contains(expected), "\(failure.reason)")
    }

    @Test func messageListsTheAcceptedForms() {
        let message = EnsembleError.invalidVariability(text: "CL=0.3", reason: "ambiguous").description
        #expect(message.contains("omega:NAME=0.3") && message.contains("sd:NAME=12") && message.contains("NAME=30%"))
    }
}

@Suite struct CovariateParsingTests {
    @Test func parsesTheDocumentedExample() throws {
        let source = try CovariateSource(parsing: "WT~N(70,12)[40,150] kg, AGE~N(50,15)[18,90] years")
        guard case let .drawn(d) = source else { Issue.record("expected drawn covariates"); return }
        #expect(d.count == 2)
        #expect(d[0] == (try CovariateDistribution(name: "WT", unit: .kilogram, shape: .normal(mean: 70, sd: 12), lower: 40, upper: 150)))
        #expect(d[1].name == "AGE" && d[1].unit == .year && d[1].lower == 18 && d[1].upper == 90)
    }

    @Test func logNormalDefaultsAndPercent() throws {
        guard case let .drawn(d) = try CovariateSource(parsing: "crcl~LN(90, 25%)") else { Issue.record("expected drawn"); return }
        #expect(d[0].name == "CRCL")
        #expect(d[0].shape == .logNormal(median: 90, cv: 0.25))
        #expect(d[0].unit == .milliliterPerMinute)        // the well-known unit of CRCL
        #expect(d[0].lower == 0 && d[0].upper == .infinity)
    }

    /// 1 lb = 0.45359237 kg (exact by definition): a weight written in pounds is drawn in kilograms.
    @Test func convertsToTheStorageUnit() throws {
        guard case let .drawn(d) = try CovariateSource(parsing: "WT~N(100,10)[50,300] lb") else { Issue.record("expected drawn"); return }
        #expect(d[0].unit == .kilogram)
        guard case let .normal(mean, sd) = d[0].shape else { Issue.record("expected normal"); return }
        #expect(abs(mean - 45.359237) < 1e-12 && abs(sd - 4.5359237) < 1e-13)
        #expect(abs(d[0].upper - 136.077711) < 1e-10)
    }

    @Test func emptyTextIsNone() throws {
        #expect(try CovariateSource(parsing: " ") == .none)
    }

    @Test(arguments: [
        ("WT N(70,12)", "missing '~'"),
        ("WT~U(1,2)", "unknown distribution 'U'"),
        ("WT~N(70)", "two numbers"),
        ("WT~N(70,x)", "not a number"),
        ("WT~N(70,12)[150,40]", "above the upper bound"),
        ("WT~N(70,12)[40,150", "not closed"),
        ("WT~N(70,12) furlongs", "unknown unit"),
        ("WT~N(70,-1)", "SD"),
        ("WT~LN(0,20%)", "median"),
        ("WT~N(70,10%)", "not a percentage"),
        ("WT~N(70,12), wt~N(60,5)", "twice"),
    ])
    func rejectsMalformedItems(text: String, expected: String) throws {
        let failure = try #require(covariateFailure(text))
        #expect(failure.reason.contains(expected), "\(failure.reason)")
    }

    @Test func rejectsAnEmptyCohort() {
        #expect(throws: EnsembleError.self) { try CovariateSource(cohort: Cohort([])) }
    }
}

@Suite struct OmegaParsingTests {
    /// Ω for ω_CL = 0.3, ω_V = 0.2, correlation 0.6: off-diagonal 0.6·0.3·0.2 = 0.036.
    @Test func parsesCSVWithCommentsAndLabels() throws {
        let text = """
            # eta covariance, log scale
            ,CL,V

            CL, 0.09, 0.036   # row 1
            V,  0.036, 0.04
            """
        let omega = try OmegaMatrix(parsing: text, source: "omega.csv")
        #expect(omega.names == ["CL", "V"])
        #expect(abs(omega.correlation(0, 1) - 0.6) < 1e-15)
        // L = [[0.3, 0], [0.12, 0.16]]: 0.036/0.3 = 0.12, √(0.04 − 0.12²) = 0.16.
        #expect(abs(omega.choleskyFactor[0, 0] - 0.3) < 1e-15)
        #expect(abs(omega.choleskyFactor[1, 0] - 0.12) < 1e-15)
        #expect(abs(omega.choleskyFactor[1, 1] - 0.16) < 1e-15)
        #expect(omega.choleskyFactor[0, 1] == 0)
    }

    @Test func parsesWhitespaceSeparatedWithCRLF() throws {
        let omega = try OmegaMatrix(parsing: "CL V ka\r\n0.09 0 0\r\n0 0.04 0\r\n0 0 0.25\r\n", source: "o.txt")
        #expect(omega.count == 3)
        #expect(omega.covariance[2, 2] == 0.25)
    }

    @Test func namesTheLineOfABadEntry() {
        #expect(omegaFailure("CL,V\n0.09,0.036\n0.036,abc\n") == .invalidOmega(source: "omega.csv", line: 3, reason: "'abc' in column 2 (V) is not a number"))
        guard case let .invalidOmega(_, line, reason)? = omegaFailure("# c\nCL,V\n0.09,0.036,1\n0.036,0.04") else {
            Issue.record("expected invalidOmega"); return
        }
        #expect(line == 3 && reason.contains("expected 2 numbers"))
    }

    @Test func rejectsTooFewAndTooManyRows() {
        guard case let .invalidOmega(_, line, reason)? = omegaFailure("CL,V\n0.09,0.036\n") else { Issue.record("expected invalidOmega"); return }
        #expect(line == 2 && reason.contains("expected 2 rows"))
        guard case let .invalidOmega(_, line2, _)? = omegaFailure("CL\n0.09\n0.1\n") else { Issue.record("expected invalidOmega"); return }
        #expect(line2 == 3)
    }

    @Test func rejectsAsymmetricAndNonFinite() {
        guard case let .invalidOmega(_, line, reason)? = omegaFailure("CL,V\n0.09,0.036\n0.03,0.04\n") else { Issue.record("expected invalidOmega"); return }
        #expect(line == 3 && reason.contains("not symmetric"))
        guard case let .invalidOmega(_, line2, reason2)? = omegaFailure("CL,V\n0.09,inf\ninf,0.04\n") else { Issue.record("expected invalidOmega"); return }
        #expect(line2 == 2 && reason2.contains("finite"))
    }

    @Test func rejectsBadHeaders() {
        guard case let .invalidOmega(_, line, reason)? = omegaFailure("# only a comment\n0.09\n") else { Issue.record("expected invalidOmega"); return }
        #expect(line == 2 && reason.contains("must name the parameters"))
        guard case let .invalidOmega(_, _, reason2)? = omegaFailure("CL,cl\n1,0\n0,1\n") else { Issue.record("expected invalidOmega"); return }
        #expect(reason2.contains("twice"))
        #expect(omegaFailure("") == .invalidOmega(source: "omega.csv", line: 0, reason: "the text is empty: no header line naming the parameters"))
    }

    /// Correlation 1.2 > 1: [[1, 1.2], [1.2, 1]] has eigenvalues 2.2 and −0.2, so it is not a covariance.
    @Test func rejectsNonPositiveDefinite() {
        #expect(omegaFailure("CL,V\n1,1.2\n1.2,1\n") == .omegaNotPositiveDefinite(source: "omega.csv"))
        #expect(omegaFailure("CL\n0\n") == .omegaNotPositiveDefinite(source: "omega.csv"))
    }
}
