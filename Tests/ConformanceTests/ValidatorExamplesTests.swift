import FHIRGate
import FHIRGateTesting
import Testing

/// Validates the 719 official R4 examples (../shared/corpora/examples-r4-json) against their base
/// definitions and claimed profiles, with bindings and invariants: counts the files with no error
/// (reader + validator) and lists the others with their first errors.
@Suite(.serialized)
struct ValidatorExamplesTests {
    static let examplesFolder = TestSupport.sharedPath("corpora/examples-r4-json")

    @Test(
        .enabled(
            if: examplesFolder != nil && TestSupport.hasCorePackage, "needs ../shared examples and the R4 core package")
    )
    func officialExamplesValidate() throws {
        guard let folder = Self.examplesFolder else { return }
        let model = try TestSupport.coreModel()
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        var inputs = InputValidator(validator: Validator(context: context))
        inputs.concurrency = 2
        let sources = ValidationSource.expand([folder])
        #expect(sources.count >= 700, "expected the 719 official examples, found \(sources.count)")

        let clock = ContinuousClock()
        let start = clock.now
        var reports: [ValidationReport] = []
        inputs.validate(sources) { reports.append($0) }
        let elapsed = clock.now - start
        #expect(reports.count == sources.count, "one report per example file")
        #expect(reports.allSatisfy { !$0.unreadable }, "every example is readable")

        let withErrors = reports.filter(\.hasErrors)
        let clean = reports.count - withErrors.count
        var byCode: [String: Int] = [:]
        for report in withErrors {
            for issue in report.issues where issue.severity <= .error { byCode[issue.code.rawValue, default: 0] += 1 }
        }
        print("Validator examples: \(clean)/\(reports.count) with no errors (\(elapsed))")
        if !withErrors.isEmpty {
            let codes = byCode.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
            print("Validator examples errors by code: " + codes.joined(separator: ", "))
            print("Validator examples with errors (\(withErrors.count)):")
            for report in withErrors {
                let name = report.file.split(separator: "/").last.map(String.init) ?? report.file
                print("  \(name) (\(report.resource ?? "?")): \(report.errorCount) errors")
                for issue in report.issues.prefix(3) where issue.severity <= .error {
                    print("    [\(issue.code.rawValue)] \(issue.path ?? "-"): \(issue.message)")
                }
            }
        }
        #expect(clean >= (try JSONComparison.threshold("validatorExamplesClean")))
    }
}
