import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// Questionnaires read from the definition store, by the reference that named them, so a
/// stream of responses to one Questionnaire reads it once. Thread-safe; one per
/// ``ValidationContext`` (the store it caches from).
public final class QuestionnaireCache: Sendable {
    private let storage = Locked<[String: QuestionnaireDefinition?]>([:])
    /// More distinct references than this are resolved but no longer remembered.
    static let capacity = 4096

    public init() {}

    func value(_ key: String, orMake make: () -> QuestionnaireDefinition?) -> QuestionnaireDefinition? {
        if let hit = storage.withLock({ $0[key] }) { return hit }
        let made = make()
        storage.withLock { cache in
            if cache.count < Self.capacity { cache[key] = made }
        }
        return made
    }
}

/// Finds the Questionnaire a QuestionnaireResponse names in `questionnaire`: a contained one
/// (`#id`), one in the definition store (canonical `url` or `url|version`), or, for a relative
/// reference `Questionnaire/id`, the store's Questionnaire with that id.
struct QuestionnaireResolver {
    let context: ValidationContext
    let cache: QuestionnaireCache?

    enum Resolution {
        /// The response names no Questionnaire.
        case none
        /// The reference, which names nothing available.
        case notFound(String)
        case found(QuestionnaireDefinition)
    }

    /// `siblings` are other resources of the same input (a Bundle's entries), searched before
    /// the store.
    func resolve(_ response: ElementNode, siblings: [ElementNode] = []) -> Resolution {
        guard let reference = response.childValue("questionnaire"), !reference.isEmpty else { return .none }
        if reference.hasPrefix("#") {
            let id = String(reference.dropFirst())
            let contained = response.children(named: "contained")
            guard let node = contained.first(where: { $0.typeName == "Questionnaire" && $0.childValue("id") == id })
            else { return .notFound(reference) }
            var definition = QuestionnaireDefinition(questionnaire: node)
            for other in contained where other.typeName == "ValueSet" {
                if let vsID = other.childValue("id"), definition.containedValueSets[vsID] == nil {
                    definition.containedValueSets[vsID] = other
                }
            }
            return .found(definition)
        }
        if let node = Self.match(reference, in: siblings) {
            return .found(QuestionnaireDefinition(questionnaire: node))
        }
        let load = { self.loadFromStore(reference) }
        let definition = cache.map { $0.value(reference, orMake: load) } ?? load()
        return definition.map(Resolution.found) ?? .notFound(reference)
    }

    private func loadFromStore(_ reference: String) -> QuestionnaireDefinition? {
        let store = context.store
        var json = store.resource(url: reference).flatMap {
            $0["resourceType"]?.stringValue == "Questionnaire" ? $0 : nil
        }
        if json == nil, let id = Self.relativeID(reference) {
            json = store.allEntries(ofType: "Questionnaire").first { $0.id == id }.flatMap(store.load)
        }
        guard let json else { return nil }
        // The store keeps definitions as JSON; the checks work on the element tree.
        guard let parsed = try? FHIRJSONReader(model: context.model).read(json.serialized()),
            parsed.root.typeName == "Questionnaire"
        else { return nil }
        return QuestionnaireDefinition(questionnaire: parsed.root)
    }

    /// The Questionnaire among `resources` with this canonical (`url`, `url|version`) or, for a
    /// relative reference, this id.
    static func match(_ reference: String, in resources: [ElementNode]) -> ElementNode? {
        guard !resources.isEmpty else { return nil }
        let parts = reference.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let url = parts[0]
        let version = parts.count > 1 ? parts[1] : nil
        let id = relativeID(reference)
        return resources.first { r in
            guard r.typeName == "Questionnaire" else { return false }
            if r.childValue("url") == url, version.map({ r.childValue("version") == $0 }) ?? true { return true }
            return id != nil && r.childValue("id") == id
        }
    }

    /// `id` of a relative reference `Questionnaire/id` (optionally `/_history/n`).
    static func relativeID(_ reference: String) -> String? {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history"), parts[0] == "Questionnaire",
            !parts[1].isEmpty
        else { return nil }
        return String(parts[1])
    }
}
