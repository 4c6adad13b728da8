import FHIRDefinitions
import FHIRGateTesting
import FHIRJSON
import FHIRModel
import Foundation
import Testing

@testable import FHIRValidation

// TEMPORARY probe (lead): error histogram over the examples.
@Suite struct ProbeTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FHIRGATE_PROBE"] != nil))
    func examples() throws {
        let model = try TestSupport.coreModel()
        let context = ValidationContext(model: model, store: TestSupport.coreStore)
        let validator = Validator(context: context)
        let reader = FHIRJSONReader(model: model)
        let folder = try #require(TestSupport.sharedPath("corpora/examples-r4-json"))
        let files = TestSupport.files(in: folder, suffix: ".json")
        var hist: [String: Int] = [:]
        var bad = 0
        var lines: [String] = []
        let start = Date()
        for f in files {
            let parsed = try reader.read(fileAtPath: folder + "/" + f)
            let issues = parsed.issues + validator.validate(parsed.root)
            let errs = issues.filter { $0.severity <= .error }
            if !errs.isEmpty { bad += 1 }
            for e in errs {
                hist[e.code.rawValue + " " + String(e.message.prefix(70)), default: 0] += 1
                lines.append("\(f) \(e)")
            }
        }
        print("PROBE files=\(files.count) withErrors=\(bad) seconds=\(Date().timeIntervalSince(start))")
        for (k, v) in hist.sorted(by: { $0.value > $1.value }).prefix(60) { print("PROBE \(v) \(k)") }
        try lines.joined(separator: "\n").write(toFile: "/tmp/probe-examples.txt", atomically: true, encoding: .utf8)
    }
}
