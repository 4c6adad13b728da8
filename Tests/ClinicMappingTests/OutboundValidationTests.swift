import ClinicMapping
import FHIRGate
import FHIRGateTesting
import FHIRModel
import Testing

/// Every translated resource validates with zero errors against R4, our profiles (claimed in
/// `meta.profile`) and, for Patient/Encounter/Procedure/Practitioner/Organization, US Core 3.1.0.
@Suite(.enabled(if: OutboundFixtures.context != nil, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct OutboundValidationTests {
    static let translation: ClinicTranslation? = try? OutboundFixtures.translate([
        "sud-patient.json", "plain-patient.json",
    ])

    @Test func everyResourceIsValidAgainstItsProfiles() throws {
        let translation = try #require(Self.translation)
        #expect(translation.allResources.count >= 40)
        var failures: [String] = []
        for r in translation.allResources {
            let errors = try OutboundFixtures.errors(r.resource)
            if !errors.isEmpty {
                failures.append("\(r.resourceType) \(r.businessId):\n\(OutboundFixtures.describe(errors))")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test func everyResourceTypeWeEmitIsThere() throws {
        let types = Set(try #require(Self.translation).allResources.map(\.resourceType))
        for type in [
            "Patient", "RelatedPerson", "Practitioner", "Organization", "ServiceRequest", "Task", "Consent",
            "Encounter",
            "Procedure", "MedicationAdministration", "MedicationRequest", "Observation", "QuestionnaireResponse",
            "DocumentReference",
            "Provenance",
        ] {
            #expect(types.contains(type), "\(type)")
        }
    }

    @Test(.enabled(if: OutboundFixtures.usCoreFolder != nil, "needs ../shared/packages/hl7.fhir.us.core#3.1.0"))
    func usCoreResourcesAreValidAgainstUSCore() throws {
        let translation = try #require(Self.translation)
        var checked = 0
        var pulseOximetry = 0
        var failures: [String] = []
        for r in translation.allResources {
            guard let profile = USCoreProfile.profile(for: r.resource, type: r.resourceType) else { continue }
            checked += 1
            if profile.hasSuffix("us-core-pulse-oximetry") { pulseOximetry += 1 }
            let errors = try OutboundFixtures.errors(r.resource, profiles: [profile])
            if !errors.isEmpty {
                failures.append("\(r.resourceType) \(r.businessId):\n\(OutboundFixtures.describe(errors))")
            }
        }
        #expect(checked >= 10)
        #expect(pulseOximetry >= 1, "SpO2 readings are checked against US Core pulse oximetry")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test(arguments: ClinicBundleBuilder.Kind.allCases)
    func bundlesAreValid(_ kind: ClinicBundleBuilder.Kind) throws {
        let translation = try #require(Self.translation)
        let bundle = ClinicBundleBuilder(model: try TestSupport.coreModel()).bundle(translation, kind: kind)
        let errors = try OutboundFixtures.errors(bundle)
        #expect(errors.isEmpty, "\(OutboundFixtures.describe(errors))")
    }
}
