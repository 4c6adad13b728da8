import FHIRGate
import FHIRGateTesting
import Testing

/// The sample records translated as `scripts/regenerate-samples.sh` does, the two capability
/// fixtures, and a validation context (R4 core + Profiles/ + US Core 3.1.0 when ../shared has it).
enum FallbackFixtures {
    static let samples = TestSupport.repoRoot + "/Samples"
    static let epicFile = samples + "/targets/epic-like-capabilities.json"
    static let oracleFile = samples + "/targets/oracle-like-capabilities.json"
    static let usCoreFolder = TestSupport.sharedPath("packages/hl7.fhir.us.core#3.1.0/package")
    static let usCoreDocumentReference =
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference"
    static let clinicBase = "https://clinic.example.org"

    static let context: ValidationContext? = {
        guard TestSupport.hasCorePackage, let model = try? TestSupport.coreModel() else { return nil }
        var extra: [String] = []
        if let usCoreFolder { extra.append(usCoreFolder) }
        let store = DefinitionStore.load(
            .init(
                packages: [.r4Core], packageCache: PackageCache(root: TestSupport.packageCacheRoot),
                profilesDirectory: TestSupport.repoRoot + "/Profiles", extraPaths: extra))
        return ValidationContext(model: model, store: store)
    }()

    /// The translation of Samples/records (nil without the core package).
    static let translation: ClinicTranslation? = {
        guard let model = try? TestSupport.coreModel(), let time = FHIRInstant("2025-03-01T12:00:00Z") else {
            return nil
        }
        var records: [LocatedRecord] = []
        let folder = samples + "/records"
        for name in TestSupport.files(in: folder, suffix: ".json") {
            records += ClinicRecordReader().read(fileAtPath: folder + "/" + name).records
        }
        let options = ClinicTranslationOptions(
            translationTime: time, clinicBase: clinicBase, clinicOrganizationId: "ORG-CLINIC",
            authorPractitionerId: "PR-MD-1", recipient: .practitioner("PR-REF-05-3"))
        return ClinicTranslator(model: model, options: options).translate(records)
    }()

    static func capabilities(_ file: String) throws -> TargetCapabilities {
        try TargetCapabilities.load(file: file, model: try TestSupport.coreModel())
    }

    /// What a target refuses of the sample translation, and the notes for it.
    static func folded(for file: String) throws -> (
        all: [TranslatedResource], refused: [TranslatedResource], notes: [FoldedNote]
    ) {
        let all = try #require(translation).allResources
        let capabilities = try capabilities(file)
        let refusedTypes = Set(capabilities.refusedTypes(among: all.map(\.resourceType)))
        let refused = all.filter { refusedTypes.contains($0.resourceType) }
        let fallback = ClinicalNoteFallback(model: try TestSupport.coreModel(), clinicBase: clinicBase)
        return (all, refused, fallback.fold(refused, all: all))
    }

    /// Errors (and fatal issues) of a resource against R4 and `profiles`.
    static func errors(_ resource: ElementNode, profiles: [String] = []) throws -> [FHIRModel.Issue] {
        let context = try #require(context)
        return Validator(context: context).validate(resource, profiles: profiles).filter { $0.severity <= .error }
    }

    static func describe(_ issues: [FHIRModel.Issue]) -> String {
        issues.map { "\($0.code.rawValue) \($0.path ?? "") \($0.message)" }.joined(separator: "\n")
    }

    /// The decoded text of a note's attachment.
    static func text(of note: ElementNode) -> String? {
        guard let data = note.child(named: "content")?.child(named: "attachment")?.childValue("data"),
            let bytes = decodeBase64(data)
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Standard base64 (the test's own decoder, so the encoder is checked independently).
    static func decodeBase64(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var value: [UInt8: UInt32] = [:]
        for (i, c) in alphabet.enumerated() { value[c] = UInt32(i) }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            guard let v = value[c] else { return nil }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// Every literal `reference` value in a tree.
    static func references(in node: ElementNode) -> [String] {
        var out: [String] = []
        node.walk { n, _ in
            if n.typeName == "Reference", let r = n.childValue("reference") { out.append(r) }
            return true
        }
        return out
    }

    /// The `Encounter/<id>` a resource names directly (or itself).
    static func encounter(of r: TranslatedResource) -> String? {
        if r.resourceType == "Encounter" { return r.reference }
        return references(in: r.resource).first { $0.hasPrefix("Encounter/") }
    }
}
