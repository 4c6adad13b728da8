import FHIRGate
import FHIRGateTesting
import Testing

/// The generated samples (Samples/records, Samples/translated) are what
/// `scripts/regenerate-samples.sh` makes today: regenerated here in memory through the library
/// APIs and compared byte for byte with the committed files.
@Suite("Samples are current")
struct SamplesCurrentTests {
    static let hint = "Samples/ is out of date: run scripts/regenerate-samples.sh and commit the result"

    @Test("Samples/records is `samples generate --patients 3 --seed 20260 --format json`")
    func recordsAreCurrent() throws {
        let generator = SyntheticClinicGenerator(patients: ClinicSamples.patients, seed: ClinicSamples.seed)
        let writer = ClinicRecordWriter(pretty: true)
        var expected: [String: [UInt8]] = ["directory.json": writer.jsonArray(generator.directoryRecords)]
        for course in generator.patientCourses {
            let id = course.compactMap { if case .patient(let p) = $0 { p.id } else { nil } }.first ?? "?"
            expected[id + ".json"] = writer.jsonArray(course)
        }
        let committed = try FileBytes.listDirectory(ClinicSamples.records).filter { $0.hasSuffix(".json") }
        #expect(committed == expected.keys.sorted(), "\(Self.hint)")
        for (name, bytes) in expected.sorted(by: { $0.key < $1.key }) {
            let path = ClinicSamples.records + "/" + name
            let onDisk = FileBytes.exists(path) ? try FileBytes.read(path) : []
            #expect(onDisk == bytes, "\(name) differs. \(Self.hint)")
        }
    }

    @Test(
        "Samples/translated holds the transaction Bundle of Samples/records in JSON and XML",
        .enabled(if: TestSupport.hasCorePackage), arguments: ClinicOutputFormat.allCases)
    func translatedBundlesAreCurrent(_ format: ClinicOutputFormat) throws {
        let model = try TestSupport.coreModel()
        var records: [LocatedRecord] = []
        for name in try FileBytes.listDirectory(ClinicSamples.records) where name.hasSuffix(".json") {
            let read = ClinicRecordReader().read(fileAtPath: ClinicSamples.records + "/" + name)
            #expect(!read.hasErrors, "\(read.issues.map(\.description))")
            records += read.records
        }
        let translation = ClinicTranslator(model: model, options: try ClinicSamples.translationOptions())
            .translate(records)
        #expect(!translation.issues.contains { $0.severity <= .error }, "\(translation.issues.map(\.description))")
        let bundle = ClinicBundleBuilder(model: model).bundle(translation, kind: .transaction)
        var bytes = try ClinicOutputWriter(model: model).write(bundle, as: format)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        let path = ClinicSamples.translated + "/transaction-bundle." + format.fileExtension
        let onDisk = FileBytes.exists(path) ? try FileBytes.read(path) : []
        #expect(onDisk.count == bytes.count && onDisk == bytes, "\(path) differs. \(Self.hint)")
    }

    @Test("translating twice gives the same bytes (no clock, no randomness)", .enabled(if: TestSupport.hasCorePackage))
    func translationIsDeterministic() throws {
        let first = try BinaryRunner.run(["translate", ClinicSamples.records] + ClinicSamples.translateArguments)
        let second = try BinaryRunner.run(["translate", ClinicSamples.records] + ClinicSamples.translateArguments)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(!first.stdout.isEmpty && first.stdout == second.stdout)
        let committed = try FileBytes.read(ClinicSamples.translated + "/transaction-bundle.json")
        #expect(first.stdout == committed, "the CLI and the library agree with the committed file. \(Self.hint)")
    }
}
