import ClinicMapping
import ClinicRecords
import FHIRGate
import FHIRGateTesting
import FHIRModel
import Testing

/// Shared material of the outbound translator tests: the record fixtures, a translator, and a
/// validation context over R4 core + `Profiles/` (+ US Core 3.1.0 from ../shared when present).
enum OutboundFixtures {
    static let folder = TestSupport.repoRoot + "/Tests/ClinicMappingTests/Fixtures/outbound"
    static let time = FHIRInstant("2026-05-01T12:00:00Z")

    static let usCoreFolder = TestSupport.sharedPath("packages/hl7.fhir.us.core#3.1.0/package")

    static let context: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        var extra = [TestSupport.repoRoot + "/Profiles"]
        if let usCoreFolder { extra.append(usCoreFolder) }
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                extraPaths: extra))
        return ValidationContext(model: model, store: store)
    }()

    /// The records of a fixture file (no reading errors expected).
    static func records(_ file: String) throws -> [LocatedRecord] {
        let result = ClinicRecordReader().read(fileAtPath: folder + "/" + file)
        #expect(!result.hasErrors, "\(result.issues.map(\.description).joined(separator: "\n"))")
        return result.records
    }

    static func options(
        recipient: DisclosureRecipient? = .practitioner("PR-REF-1"), at time: String = "2026-05-01T12:00:00Z"
    )
        throws -> ClinicTranslationOptions
    {
        ClinicTranslationOptions(
            translationTime: try #require(FHIRInstant(time)), clinicBase: "https://clinic.example.org",
            clinicOrganizationId: "CLINIC", authorPractitionerId: "PR-MD-1", recipient: recipient)
    }

    static func translate(
        _ files: [String], recipient: DisclosureRecipient? = .practitioner("PR-REF-1"),
        at time: String = "2026-05-01T12:00:00Z"
    ) throws -> ClinicTranslation {
        let records = try files.flatMap { try Self.records($0) }
        return ClinicTranslator(
            model: try TestSupport.coreModel(), options: try options(recipient: recipient, at: time)
        )
        .translate(records)
    }

    /// Errors (and fatal issues) of a resource against its base and claimed profiles, plus `profiles`.
    static func errors(_ resource: ElementNode, profiles: [String] = []) throws -> [FHIRModel.Issue] {
        let context = try #require(context)
        return Validator(context: context).validate(resource, profiles: profiles).filter { $0.severity <= .error }
    }

    static func describe(_ issues: [FHIRModel.Issue]) -> String {
        issues.map { "\($0.code.rawValue) \($0.path ?? "") \($0.message)" }.joined(separator: "\n")
    }

    /// The first value at a dotted path of children (`code.coding.code`).
    static func values(_ node: ElementNode, _ path: String) -> [String] {
        var current = [node]
        for part in path.split(separator: ".") {
            current = current.flatMap { $0.children(named: String(part)) }
        }
        return current.compactMap(\.value)
    }
}

/// The US Core 3.1.0 profile each of our resource types must also meet.
enum USCoreProfile {
    static let base = "http://hl7.org/fhir/us/core/StructureDefinition/"
    static let byType: [String: String] = [
        "Patient": base + "us-core-patient", "Encounter": base + "us-core-encounter",
        "Procedure": base + "us-core-procedure", "Practitioner": base + "us-core-practitioner",
        "Organization": base + "us-core-organization",
    ]
    /// Our profiles whose instances must also meet a US Core profile of the same resource type.
    static let byClinicProfile: [String: String] = [
        "https://fhirgate.dev/fhir/StructureDefinition/kap-oxygen-saturation": base + "us-core-pulse-oximetry"
    ]

    /// The US Core profile a translated resource must also meet, if any.
    static func profile(for resource: ElementNode, type: String) -> String? {
        if let byType = byType[type] { return byType }
        let claimed = resource.child(named: "meta")?.children.filter { $0.name == "profile" }.compactMap(\.value) ?? []
        return claimed.lazy.compactMap { byClinicProfile[$0] }.first
    }
}
