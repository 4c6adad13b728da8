import FHIRGate
import FHIRGateTesting
import Testing

/// Target capabilities from CapabilityStatements: a sekmet-like one built here, the R4 core
/// example, and the Epic-like and Oracle-like fixtures of `Samples/targets` (domain document 4.3).
@Suite(.enabled(if: TestSupport.hasCorePackage, "needs hl7.fhir.r4.core#4.0.1 in the package cache"))
struct TargetCapabilitiesTests {
    /// A server like sekmet-fhir: client ids (update + updateCreate) for most types, conditional
    /// create for one, a plain create for one, read-only and update-only types, transactions.
    static let sekmetLike = """
        {"resourceType": "CapabilityStatement", "status": "active", "date": "2026-05-01", "kind": "instance",
         "implementation": {"description": "a local test server"}, "fhirVersion": "4.0.1", "format": ["json"],
         "rest": [
          {"mode": "client", "resource": [{"type": "Basic", "interaction": [{"code": "create"}]}]},
          {"mode": "server",
           "resource": [
            {"type": "Patient", "interaction": [{"code": "read"}, {"code": "search-type"}, {"code": "create"},
              {"code": "update"}], "updateCreate": true, "conditionalCreate": true,
             "searchParam": [{"name": "identifier", "type": "token"}]},
            {"type": "Observation", "supportedProfile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"],
             "interaction": [{"code": "create"}, {"code": "search-type"}], "conditionalCreate": true},
            {"type": "DocumentReference", "interaction": [{"code": "create"}, {"code": "update"}]},
            {"type": "MedicationAdministration", "interaction": [{"code": "read"}, {"code": "search-type"}]},
            {"type": "Task", "interaction": [{"code": "update"}], "conditionalUpdate": true}
           ],
           "interaction": [{"code": "transaction"}, {"code": "batch"}]},
          {"mode": "server", "resource": [{"type": "Observation", "interaction": [{"code": "read"}]}]}
         ]}
        """

    static func parse(_ json: String) throws -> ElementNode {
        try FHIRJSONReader(model: try TestSupport.coreModel()).read(json).root
    }

    @Test func sekmetLikeStatementGivesEachWriteMode() throws {
        let c = try TargetCapabilities(capabilityStatement: try Self.parse(Self.sekmetLike))
        #expect(c.writeMode(for: "Patient") == .put)
        #expect(c.writeMode(for: "Observation") == .conditionalCreate)
        #expect(c.writeMode(for: "DocumentReference") == .create)
        #expect(c.writeMode(for: "MedicationAdministration") == .refused)
        #expect(c.writeMode(for: "Task") == .refused, "update without updateCreate cannot create")
        #expect(c.writeMode(for: "Basic") == .refused, "client-mode entries are not the server's")
        #expect(c.writeMode(for: "Consent") == .refused, "unlisted")
        #expect(c.accepts("Task", .conditionalUpdate) && !c.accepts("Task", .create))
        #expect(c.accepts("Patient", .conditionalCreate) && c.accepts("Patient", .update))
        #expect(!c.accepts("DocumentReference", .conditionalCreate))
        #expect(c.supportsSearch("Patient") && c.supportsSearch("MedicationAdministration"))
        #expect(!c.supportsSearch("DocumentReference") && !c.supportsSearch("Unlisted"))
        #expect(c.supportsSearchParameter("Patient", "identifier"))
        #expect(c.supportsRead("Observation"), "the second server entry is merged")
        #expect(
            c.capability(of: "Observation")?.supportedProfiles == ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]
        )
        #expect(c.supportsTransaction && c.supportsBatch)
        #expect(c.acceptedTypes == ["Patient", "Observation", "DocumentReference"])
        #expect(
            c.refusedTypes(among: ["Task", "Patient", "Consent", "Task", "MedicationAdministration"])
                == ["Task", "Consent", "MedicationAdministration"])
        var limited = c
        #expect(limited.maxBundleEntries == nil)
        limited.maxBundleEntries = 50
        #expect(limited.maxBundleEntries == 50)
    }

    @Test func coreExampleStatement() throws {
        let path = TestSupport.packageCacheRoot + "/hl7.fhir.r4.core#4.0.1/package/CapabilityStatement-example.json"
        let c = try TargetCapabilities.load(file: path, model: try TestSupport.coreModel())
        #expect(c.resources.map(\.type) == ["Patient"])
        #expect(c.writeMode(for: "Patient") == .conditionalCreate, "create + conditionalCreate, updateCreate false")
        #expect(!c.supportsSearch("Patient"), "the example has no search-type")
        #expect(c.capability(of: "Patient")?.searchParams.contains("identifier") == true)
        #expect(c.supportsTransaction)
    }

    /// Domain document 4.3, Epic: write mode per type.
    static let epicTable: [(String, WriteMode)] = [
        ("AllergyIntolerance", .create), ("Communication", .create), ("ConceptMap", .create),
        ("Condition", .create), ("Patient", .create), ("QuestionnaireResponse", .create),
        ("BodyStructure", .create), ("DocumentReference", .create), ("Observation", .create),
        ("Procedure", .create), ("ServiceRequest", .create),
        ("DiagnosticReport", .refused), ("Task", .refused),
        ("MedicationAdministration", .refused), ("Encounter", .refused), ("CarePlan", .refused),
        ("Goal", .refused), ("AdverseEvent", .refused), ("Consent", .refused), ("Provenance", .refused),
        ("MedicationRequest", .refused), ("Practitioner", .refused), ("Organization", .refused),
        ("RelatedPerson", .refused),
    ]

    /// Domain document 4.3, Oracle Health.
    static let oracleTable: [(String, WriteMode)] = [
        ("Organization", .create), ("Patient", .create), ("Practitioner", .create), ("RelatedPerson", .create),
        ("Encounter", .create), ("Observation", .create), ("MedicationRequest", .create),
        ("Condition", .create), ("Procedure", .create), ("DocumentReference", .create), ("Provenance", .create),
        ("QuestionnaireResponse", .refused), ("MedicationAdministration", .refused), ("ServiceRequest", .refused),
        ("CarePlan", .refused), ("AdverseEvent", .refused), ("Consent", .refused), ("Task", .refused),
    ]

    @Test func epicLikeFixtureMatchesTheDomainTable() throws {
        let c = try FallbackFixtures.capabilities(FallbackFixtures.epicFile)
        for (type, mode) in Self.epicTable { #expect(c.writeMode(for: type) == mode, "\(type)") }
        #expect(c.supportsSearch("Patient") && c.supportsSearch("ServiceRequest") && c.supportsSearch("Task"))
        let translated = [
            "Patient", "RelatedPerson", "Practitioner", "Organization", "ServiceRequest", "Task", "Consent",
            "Encounter", "Procedure", "MedicationAdministration", "MedicationRequest", "Observation",
            "QuestionnaireResponse", "DocumentReference", "Provenance",
        ]
        #expect(
            c.refusedTypes(among: translated)
                == [
                    "RelatedPerson", "Practitioner", "Organization", "Task", "Consent", "Encounter",
                    "MedicationAdministration", "MedicationRequest", "Provenance",
                ])
    }

    @Test func oracleLikeFixtureMatchesTheDomainTable() throws {
        let c = try FallbackFixtures.capabilities(FallbackFixtures.oracleFile)
        for (type, mode) in Self.oracleTable { #expect(c.writeMode(for: type) == mode, "\(type)") }
        #expect(c.accepts("QuestionnaireResponse", .update) && !c.accepts("QuestionnaireResponse", .create))
        #expect(c.supportsRead("MedicationAdministration"))
    }

    @Test(
        .enabled(if: FallbackFixtures.context != nil),
        arguments: [FallbackFixtures.epicFile, FallbackFixtures.oracleFile])
    func fixturesAreValidR4(_ file: String) throws {
        let parsed = try FHIRJSONReader(model: try TestSupport.coreModel()).read(fileAtPath: file)
        #expect(parsed.issues.isEmpty, "\(FallbackFixtures.describe(parsed.issues))")
        let errors = try FallbackFixtures.errors(parsed.root)
        #expect(errors.isEmpty, "\(FallbackFixtures.describe(errors))")
    }

    @Test func whatIsNotAServerStatementIsAnError() throws {
        #expect(throws: TargetCapabilityError.notACapabilityStatement(found: "Patient")) {
            try TargetCapabilities(capabilityStatement: try Self.parse(#"{"resourceType": "Patient"}"#))
        }
        let clientOnly = #"{"resourceType": "CapabilityStatement", "rest": [{"mode": "client"}]}"#
        #expect(throws: TargetCapabilityError.noServerRest) {
            try TargetCapabilities(capabilityStatement: try Self.parse(clientOnly))
        }
        let untyped =
            #"{"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": [{"type": "Patient"}, {"interaction": [{"code": "read"}]}]}]}"#
        #expect(throws: TargetCapabilityError.resourceWithoutType(index: 1)) {
            try TargetCapabilities(capabilityStatement: try Self.parse(untyped))
        }
        let missing = "/tmp/fhirgate-no-such-capabilities.json"
        do {
            _ = try TargetCapabilities.load(file: missing, model: try TestSupport.coreModel())
            Testing.Issue.record("a missing file loads")
        } catch {
            guard case .unreadable(let file, _)? = error as? TargetCapabilityError else {
                Testing.Issue.record("unexpected \(error)")
                return
            }
            #expect(file == missing)
        }
    }

    @Test func declaredCapabilitiesMergeRepeatedTypes() {
        let c = TargetCapabilities(resources: [
            ResourceCapability(type: "Observation", interactions: ["create"]),
            ResourceCapability(type: "Observation", interactions: ["update"], updateCreate: true),
        ])
        #expect(c.resources.count == 1)
        #expect(c.writeMode(for: "Observation") == .put)
    }
}
