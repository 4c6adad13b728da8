import Testing

@testable import FHIRClient

@Suite("SMART scopes (v1 and v2)")
struct SMARTScopesTests {
    @Test("v2 letters and v1 words name the same interactions")
    func notations() throws {
        let v2 = try #require(SMARTScopes.Scope("system/Patient.cruds"))
        #expect(v2.isV2 && v2.context == "system" && v2.resourceType == "Patient")
        #expect(v2.interactions == Set(SMARTScopes.Interaction.allCases))
        #expect(try #require(SMARTScopes.Scope("system/*.read")).interactions == [.read, .search])
        #expect(try #require(SMARTScopes.Scope("user/Observation.write")).interactions == [.create, .update, .delete])
        #expect(try #require(SMARTScopes.Scope("patient/*.*")).interactions.count == 5)
        #expect(try #require(SMARTScopes.Scope("system/Patient.rs")).interactions == [.read, .search])
        let granular = try #require(SMARTScopes.Scope("patient/Observation.rs?category=laboratory"))
        #expect(granular.query == "category=laboratory" && granular.resourceType == "Observation")
    }

    @Test("malformed and non-resource scopes are kept apart")
    func others() {
        let scopes = SMARTScopes(
            "launch openid system/Patient.xyz system/.rs system/Patient.rr system/Patient.read?x=1 "
                + "system/Patient.c")
        #expect(scopes.scopes.map(\.text) == ["system/Patient.c"])
        #expect(scopes.otherScopes.count == 6)
        #expect(SMARTScopes("").scopes.isEmpty)
    }

    @Test("allows(resourceType:interaction:) over several scopes, wildcards included")
    func allows() {
        let scopes = SMARTScopes("system/Patient.rs system/Observation.cu system/*.read")
        #expect(scopes.allows(resourceType: "Patient", interaction: .read))
        #expect(!scopes.allows(resourceType: "Patient", interaction: .create))
        #expect(scopes.allows(resourceType: "Observation", interaction: .create))
        #expect(!scopes.allows(resourceType: "Observation", interaction: .delete))
        #expect(scopes.allows(resourceType: "Encounter", interaction: .search))
        #expect(!scopes.allows(resourceType: "Encounter", interaction: .update))
        #expect(scopes.interactions(on: "Observation") == [.create, .update, .read, .search])
        #expect(SMARTScopes("system/*.cruds").allows(resourceType: "Consent", interaction: .delete))
        #expect(!SMARTScopes("launch").allows(resourceType: "Patient", interaction: .read))
        #expect(SMARTScopes.Interaction(method: "PUT") == .update)
        #expect(SMARTScopes.Interaction(method: "post") == .create)
    }
}
