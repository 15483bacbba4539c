import Testing
import TwinFit

@Suite struct TwinFitModuleTests {
    @Test func moduleIsImportable() {
        #expect(String(describing: TwinFit.self) == "TwinFit")
    }
}
