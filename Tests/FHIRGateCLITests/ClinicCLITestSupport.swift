import FHIRGate
import FHIRGateTesting
import Testing

/// What the clinic command tests share: the samples' parameters (as in
/// `scripts/regenerate-samples.sh`), temporary folders and a validator over R4 core, `Profiles/`
/// and US Core 3.1.0 (from ../shared).
enum ClinicSamples {
    static let root = TestSupport.repoRoot + "/Samples"
    static let records = root + "/records"
    static let translated = root + "/translated"

    // The parameters of scripts/regenerate-samples.sh.
    static let patients = 3
    static let seed: UInt64 = 20260
    static let translationTime = "2025-03-01T12:00:00Z"
    static let recipient = "PR-REF-05-3"
    static let clinicOrganization = "ORG-CLINIC"
    static let author = "PR-MD-1"

    /// The `fhirgate translate` arguments the script uses (before -o and --format).
    static let translateArguments = [
        "--translation-time", translationTime, "--recipient", recipient, "--clinic-organization", clinicOrganization,
        "--author", author,
    ]

    static let usCoreFolder = TestSupport.sharedPath("packages/hl7.fhir.us.core#3.1.0/package")

    /// R4 core + Profiles/ (+ US Core 3.1.0 when ../shared has it: our Patient carries its extensions).
    static let validationContext: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        var extra: [String] = []
        if let usCoreFolder { extra.append(usCoreFolder) }
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                profilesDirectory: TestSupport.repoRoot + "/Profiles", extraPaths: extra))
        return ValidationContext(model: model, store: store)
    }()

    static var canValidate: Bool { validationContext != nil && usCoreFolder != nil }

    /// The options the script translates the samples with.
    static func translationOptions() throws -> ClinicTranslationOptions {
        ClinicTranslationOptions(
            translationTime: try #require(FHIRInstant(translationTime)), clinicOrganizationId: clinicOrganization,
            authorPractitionerId: author, recipient: .practitioner(recipient))
    }
}

/// A temporary folder for one test, removed by `remove()`.
struct ClinicScratch {
    let dir: String

    init() throws {
        dir = try TestSupport.makeTemporaryDirectory(prefix: "fhirgate-clinic")
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        if let slash = path.lastIndex(of: "/") { try FileBytes.makeDirectories(String(path[..<slash])) }
        try FileBytes.writeAtomically(Array(text.utf8), to: path)
        return path
    }

    func read(_ name: String) throws -> [UInt8] { try FileBytes.read(dir + "/" + name) }

    func remove() { TestSupport.removeTree(dir) }
}

extension BinaryRunner.Output {
    /// The NDJSON lines of standard output, parsed.
    var jsonLines: [JSONValue] {
        stdoutText.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }
}
