import FHIRModel

/// The Provenance of one translated set (section 1.13): target = every resource sent,
/// `recorded` = the translation time, agent `author` = the clinic practitioner named in the
/// options (on behalf of the clinic organization) or else the clinic organization, agent
/// `transmitter` (US Core participant type) = the gateway (a contained Device), entity `source`
/// = the inbound referrals (ServiceRequest) that are part of the set.
extension OutboundState {
    mutating func addProvenance() {
        let targets = translation.resources
        guard !targets.isEmpty else { return }
        let references = targets.map(\.reference)
        let setId =
            UUIDv5.make(namespace: UUIDv5.fhirGateNamespace, name: references.sorted().joined(separator: " ")) ?? "set"
        let businessId = "translation/" + setId
        let clinic = ref("Organization", options.clinicOrganizationId)
        let author: [FHIRDraft?]
        if let practitioner = options.authorPractitionerId {
            author = [.reference("who", ref("Practitioner", practitioner)), .reference("onBehalfOf", clinic)]
        } else {
            author = [.reference("who", clinic)]
        }
        let gateway = FHIRDraft.resource(
            "Device", name: "contained",
            [
                .p("id", "gateway"),
                .e("deviceName", [.p("name", options.gatewayName), .p("type", "user-friendly-name")]),
                .reference("owner", clinic),
            ])
        let sources = targets.filter { $0.resourceType == "ServiceRequest" }.map {
            FHIRDraft.e("entity", [.p("role", "source"), .reference("what", $0.reference)])
        }
        let sud = targets.contains { $0.revealsSubstanceUse }
        let before = translation.resources.count
        emit(
            "Provenance", businessId, profile: nil, labels: .clinical(sud: sud), patientId: nil,
            narrative: "Translated from clinic records by \(options.gatewayName)",
            [gateway] + references.map { .reference("target", $0) } + [
                .p("recorded", options.translationTime.lexeme),
                .e("agent", [.concept("type", [(Sys.provenanceType, "author", "Author")])] + author),
                .e(
                    "agent",
                    [
                        .concept("type", [(Sys.usCoreProvenanceType, "transmitter", "Transmitter")]),
                        .reference("who", "#gateway"), .reference("onBehalfOf", clinic),
                    ]),
            ] + sources)
        if translation.resources.count > before {
            translation.provenance = translation.resources.removeLast()
        }
    }
}
