import FHIRJSON

/// What the validator needs from a StructureDefinition, read once from its JSON.
public struct StructureDefinitionInfo: Sendable {
    public var url: String
    public var version: String?
    public var name: String
    /// The type constrained or defined (`Patient`, `Extension`, `Quantity`).
    public var type: String
    /// `primitive-type`, `complex-type`, `resource`, `logical`.
    public var kind: String
    public var isAbstract: Bool
    public var baseDefinition: String?
    /// `specialization` or `constraint`.
    public var derivation: String?
    /// For extensions: where they may be used (`context.type` + `context.expression`).
    public var contexts: [Context]
    /// Extension context invariants (`contextInvariant`).
    public var contextInvariants: [String]
    /// The snapshot elements, when the definition has (or was given) a snapshot.
    public var snapshot: [ElementDefinitionInfo]?
    /// The differential elements as JSON (what snapshot generation reads).
    public var differential: [JSONValue]
    /// The definition as read.
    public var raw: JSONValue

    public struct Context: Sendable, Hashable {
        /// `element`, `extension` or `fhirpath`.
        public var type: String
        public var expression: String

        public init(type: String, expression: String) {
            self.type = type
            self.expression = expression
        }
    }

    public init(json: JSONValue) {
        raw = json
        url = json["url"]?.stringValue ?? ""
        version = json["version"]?.stringValue
        name = json["name"]?.stringValue ?? json["id"]?.stringValue ?? ""
        type = json["type"]?.stringValue ?? ""
        kind = json["kind"]?.stringValue ?? ""
        isAbstract = json["abstract"]?.boolValue ?? false
        baseDefinition = json["baseDefinition"]?.stringValue
        derivation = json["derivation"]?.stringValue
        contexts = (json["context"]?.arrayValue ?? []).compactMap { c in
            guard let t = c["type"]?.stringValue, let e = c["expression"]?.stringValue else { return nil }
            return Context(type: t, expression: e)
        }
        contextInvariants = (json["contextInvariant"]?.arrayValue ?? []).compactMap(\.stringValue)
        snapshot = json["snapshot"]?["element"]?.arrayValue.map { $0.map(ElementDefinitionInfo.init(json:)) }
        differential = json["differential"]?["element"]?.arrayValue ?? []
    }

    /// Whether this is a profile (a constraint on another definition) rather than a base type.
    public var isConstraint: Bool { derivation == "constraint" }
}
