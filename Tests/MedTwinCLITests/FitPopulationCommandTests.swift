import Foundation
import Testing
import TwinData
import TwinFit
import TwinModels

/// `medtwin fit --population … --write-twin …`: Bayesian individualisation of the bundled
/// vancomycin patient through the CLI, whose twin file must hold exactly the library's MAP fit
/// and load back intact.
@Suite struct FitPopulationCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let patient = root.appendingPathComponent("Examples/vancomycin-patient.csv")
    static let goti = root.appendingPathComponent("Examples/populations/vancomycin-goti2018.json")

    @Test func individualisesTheBundledPatientAndWritesATwinThatLoadsBack() throws {
        let directory = try FitCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("fit.json"), twinURL = directory.appendingPathComponent("twin.json")
        let result = try CommandRunner.run(["fit", "--model", "pk-2cmt", "--records", Self.patient.path, "--population", Self.goti.path,
                                            "--out", out.path, "--write-twin", twinURL.path, "--draws", "500", "--seed", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("posterior (sir, 500 draws"), "\(result.stdout)")

        let twin = try TwinFile.decode(Data(contentsOf: twinURL))
        let fit = try #require(twin.estimates)
        #expect(twin.model == "pk-2cmt")
        #expect(twin.population?.name == "vancomycin-goti2018")
        #expect(twin.record.observations.count == 2)
        // The library's MAP fit for the same population and record: the CLI adds nothing.
        let population = try PopulationModel.decode(Data(contentsOf: Self.goti))
        let record = try #require(NONMEMReader.read(contentsOf: Self.patient).cohort.records.first)
        var spec = try population.fitSpecification(model: TwoCompartmentPK(), record: record)
        spec.options = TrustRegionOptions(objectiveScaleFloor: 1)
        let library = try IndividualFitter(specification: spec).fit(record)
        #expect(fit.estimates == library.estimates)
        #expect(fit.isMaximumAPosteriori)
        let posterior = try #require(twin.posterior)
        #expect(posterior.draws.count == 500 && posterior.method == "sir")
        #expect(posterior.parameterNames == ["CL", "V1", "V2"])
        // The same seed gives the same draws as the library's sampler.
        let sample = try IndividualFitter(specification: spec).posterior(record, fit: library,
                                                                         method: .importanceResampling(proposals: 5000, draws: 500), seed: 3)
        #expect(posterior.draws == sample.draws)
    }

    @Test func populationRefusesFlagsItDefinesAndTwinNeedsOnePatient() throws {
        let directory = try FitCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("fit.json").path
        let withEstimate = try CommandRunner.run(["fit", "--model", "pk-2cmt", "--records", Self.patient.path, "--population", Self.goti.path,
                                                  "--estimate", "CL", "--out", out])
        #expect(withEstimate.status != 0 && withEstimate.stderr.contains("--estimate cannot be combined with --population"))
        let otherModel = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", Self.patient.path, "--population", Self.goti.path,
                                                "--out", out])
        #expect(otherModel.status != 0 && otherModel.stderr.contains("population model of pk-2cmt"), "\(otherModel.stderr)")
        let cohort = Self.root.appendingPathComponent("Examples/vancomycin-cohort.csv")
        let manyTwins = try CommandRunner.run(["fit", "--model", "pk-2cmt", "--records", cohort.path, "--population", Self.goti.path,
                                               "--out", out, "--write-twin", directory.appendingPathComponent("t.json").path])
        #expect(manyTwins.status == 1 && manyTwins.stderr.contains("choose one with --id"), "\(manyTwins.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
