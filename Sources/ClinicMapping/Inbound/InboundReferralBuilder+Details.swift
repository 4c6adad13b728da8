import ClinicRecords
import FHIRModel

/// The referral's identifiers and the current medications of its supporting information.
extension InboundReferralBuilder {
    /// The clinic referral id and the referrer's placer id. The id is the identifier in the
    /// clinic's referral system; without one it is derived (`ref-` and a hash) from the placer
    /// identifier, else from `fullUrl`, else from the resource id.
    mutating func readIdentifiers() -> (id: String?, placerId: String?) {
        let sr = request.node
        let referralSystem = options.system("referral")
        let placerPrefix = options.system("placer") + "/"
        var clinicId: String?
        var placer: (system: String, value: String, node: InboundNode)?
        for identifier in sr.children("identifier") {
            guard let value = identifier.value("value") else { continue }
            let system = identifier.value("system") ?? ""
            if system == referralSystem {
                if InboundValueRules.isIdentifier(value) {
                    clinicId = clinicId ?? value
                } else {
                    error(
                        .inboundInvalidValue, "the clinic referral id does not have the id form",
                        identifier.path + ".value")
                }
                continue
            }
            let typed = (identifier.child("type")?.codings ?? []).contains { $0.value("code") == "PLAC" }
            if placer == nil || typed || system.hasPrefix(placerPrefix) {
                if placer == nil || typed { placer = (system, value, identifier) }
            }
        }
        var placerId: String?
        if let placer {
            if InboundValueRules.isIdentifier(placer.value) {
                placerId = placer.value
            } else {
                warning(
                    .inboundInvalidValue,
                    "the placer identifier does not have the clinic's id form and is not kept as placerId",
                    placer.node.path + ".value")
            }
        }
        if let clinicId { return (clinicId, placerId) }
        if let placer { return (InboundValueRules.derivedId("ref-", placer.system + "|" + placer.value), placerId) }
        if let fullUrl = request.fullUrl { return (InboundValueRules.derivedId("ref-", fullUrl), placerId) }
        if let id = request.id { return (InboundValueRules.derivedId("ref-", "ServiceRequest/" + id), placerId) }
        error(
            .inboundMissing, "nothing names the referral (no identifier, fullUrl or id)", request.path + ".identifier")
        return (nil, placerId)
    }

    /// Medication names (and dosage text) of the MedicationStatements and MedicationRequests in
    /// `supportingInfo`. Supporting information outside the input is reported and skipped (it is
    /// optional to the referral).
    mutating func readMedications() -> [String] {
        var out: [String] = []
        for info in request.node.children("supportingInfo") {
            switch resolver.resolve(info, from: request, types: ["MedicationStatement", "MedicationRequest"]) {
            case .failure(.issue(let issue)):
                // Another kind of supporting information (a letter, coverage) is simply not imported.
                if issue.message.hasPrefix("refers to a") { continue }
                warning(.inboundReference, "supporting information not in the input is not imported", info.path)
            case .success(let resource):
                let concept = resource.node.choice("medication", "CodeableConcept")
                guard let name = concept?.value("text") ?? concept?.codings.first?.value("display") else {
                    warning(
                        .inboundMissing, "the medication has no text or display to keep",
                        resource.path + ".medication")
                    continue
                }
                let dosage = resource.node.child("dosage") ?? resource.node.child("dosageInstruction")
                let text = [name, dosage?.value("text")].compactMap { $0 }.joined(separator: " ")
                if text.utf8.count <= 1_000 && !out.contains(text) { out.append(text) }
            }
        }
        return out
    }
}
