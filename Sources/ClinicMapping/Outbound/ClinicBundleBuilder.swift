import FHIRModel

/// Puts a translation into a Bundle.
///
/// - `transaction`: every entry has `request` `PUT <Type>/<id>` (our deterministic ids, so a
///   repeated send updates instead of duplicating);
/// - `collection`: entries without requests.
///
/// `fullUrl` is `urn:uuid:<id>` (the ids are UUIDs), or `<base>/<Type>/<id>` when a server base
/// is given. The Bundle carries the high-water-mark confidentiality `R` in `meta.security`, and
/// the SUD labels when any entry has them.
public struct ClinicBundleBuilder: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case transaction, collection
    }

    public enum FullURLStyle: Sendable, Hashable {
        case urnUUID
        /// A FHIR server base (`https://ehr.example.org/fhir`).
        case base(String)
    }

    public let model: ModelInfo

    public init(model: ModelInfo) {
        self.model = model
    }

    public func bundle(
        _ translation: ClinicTranslation, kind: Kind, fullURLs: FullURLStyle = .urnUUID
    ) -> ElementNode {
        let resources = translation.allResources
        let setName = resources.map(\.reference).joined(separator: " ")
        let id = ResourceIdentity.id("Bundle", kind.rawValue + "|" + setName)
        var security: [FHIRDraft?] = [.coding(Sys.confidentiality, "R", nil, name: "security")]
        if resources.contains(where: \.revealsSubstanceUse) {
            security += ["SUD", "42CFRPart2", "NORDSCLCD"].map { .coding(Sys.actCode, $0, nil, name: "security") }
        }
        let entries: [FHIRDraft?] = resources.map { r in
            let fullUrl: String =
                switch fullURLs {
                case .urnUUID: "urn:uuid:" + r.id
                case .base(let base): (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + r.reference
                }
            return .e(
                "entry",
                [
                    .p("fullUrl", fullUrl), .typed("resource", r.resource),
                    kind == .transaction ? .e("request", [.p("method", "PUT"), .p("url", r.reference)]) : nil,
                ])
        }
        let draft = FHIRDraft.resource(
            "Bundle", [.p("id", id), .e("meta", security), .p("type", kind.rawValue)] + entries)
        return FHIRDraftTyper(model: model).resource(draft).node
    }
}
