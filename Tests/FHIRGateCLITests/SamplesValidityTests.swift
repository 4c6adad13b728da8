import FHIRGate
import FHIRGateTesting
import Testing

/// The committed translated sample (`Samples/translated/transaction-bundle.json`): every entry's
/// resource validates with zero errors against the profiles it claims (ours) and, where US Core
/// 3.1.0 has a profile for it, against that profile too.
@Suite(
    .enabled(if: ClinicSamples.canValidate, "needs the R4 core package and ../shared/packages/hl7.fhir.us.core#3.1.0"))
struct SamplesValidityTests {
    static let usCore = "http://hl7.org/fhir/us/core/StructureDefinition/"
    static let usCoreByType = [
        "Patient": "us-core-patient", "Encounter": "us-core-encounter", "Procedure": "us-core-procedure",
        "Practitioner": "us-core-practitioner", "Organization": "us-core-organization",
    ]
    static let usCoreByOurProfile = [
        "https://fhirgate.dev/fhir/StructureDefinition/kap-oxygen-saturation": "us-core-pulse-oximetry"
    ]

    @Test func everyTranslatedSampleResourceIsValidAgainstOurProfilesAndUSCore() throws {
        let context = try #require(ClinicSamples.validationContext)
        let path = TestSupport.repoRoot + "/Samples/translated/transaction-bundle.json"
        let bundle = try FHIRJSONReader(model: context.model).read(try FileBytes.read(path))
        #expect(bundle.issues.isEmpty)
        let validator = Validator(context: context)
        var checked = 0
        var againstUSCore: Set<String> = []
        var profiled: Set<String> = []
        var failures: [String] = []
        for entry in bundle.root.children where entry.name == "entry" {
            guard let resource = entry.child(named: "resource"), let type = resource.typeName else { continue }
            let claimed =
                resource.child(named: "meta")?.children.filter { $0.name == "profile" }.compactMap(\.value) ?? []
            if !claimed.isEmpty { profiled.insert(type) }
            var profiles: [String] = []
            if let id = Self.usCoreByType[type] ?? claimed.lazy.compactMap({ Self.usCoreByOurProfile[$0] }).first {
                profiles.append(Self.usCore + id)
                againstUSCore.insert(id)
            }
            let errors = validator.validate(resource, profiles: profiles).filter { $0.severity <= .error }
            checked += 1
            if !errors.isEmpty {
                let list = errors.map { "\($0.code.rawValue) \($0.path ?? "")" }.joined(separator: "; ")
                failures.append("\(type): \(list)")
            }
        }
        #expect(checked > 100)
        // Every resource type the issue names a profile for claims one of ours (therapy-session
        // Procedures, letters and notes, orders, escorts and the Provenance have none of ours).
        #expect(
            profiled.isSuperset(of: [
                "Patient", "Practitioner", "Organization", "Encounter", "Procedure", "MedicationAdministration",
                "Observation", "QuestionnaireResponse", "ServiceRequest", "Task", "Consent",
            ]))
        #expect(againstUSCore == Set(Self.usCoreByType.values).union(Self.usCoreByOurProfile.values))
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }
}
