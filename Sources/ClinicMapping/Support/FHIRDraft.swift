import FHIRModel

/// An untyped FHIR element under construction, named as in JSON (`valueQuantity`,
/// `effectivePeriod`). ``FHIRDraftTyper`` turns it into a typed ``ElementNode`` tree with the R4
/// ``ModelInfo``: types, choice and list flags, and children in definition order.
///
/// The helpers drop what is empty: a primitive without a value and a complex element without
/// children are `nil`, so no empty element (`ele-1`) is ever built.
public struct FHIRDraft: Sendable {
    /// The JSON name (with the choice suffix).
    public var name: String
    /// The primitive lexeme, or nil for complex elements.
    public var value: String?
    public var children: [FHIRDraft]
    /// Set for resource nodes (the root, `contained`, `Bundle.entry.resource`).
    public var resourceType: String?
    /// An already typed resource to place here as it is (renamed and flagged by the typer).
    public var typedResource: ElementNode?

    public init(name: String, value: String? = nil, children: [FHIRDraft] = [], resourceType: String? = nil) {
        self.name = name
        self.value = value
        self.children = children
        self.resourceType = resourceType
    }

    /// A primitive, or nil without a value.
    public static func p(_ name: String, _ value: String?) -> FHIRDraft? {
        guard let value, !value.isEmpty else { return nil }
        return FHIRDraft(name: name, value: value)
    }

    /// A complex element, or nil when it has no children.
    public static func e(_ name: String, _ children: [FHIRDraft?]) -> FHIRDraft? {
        let kept = children.compactMap { $0 }
        return kept.isEmpty ? nil : FHIRDraft(name: name, children: kept)
    }

    /// A resource (root or inline) named `name` (its type when nil).
    public static func resource(_ type: String, name: String? = nil, _ children: [FHIRDraft?]) -> FHIRDraft {
        FHIRDraft(name: name ?? type, children: children.compactMap { $0 }, resourceType: type)
    }

    /// An already typed resource placed under `name` (`resource` of a Bundle entry).
    public static func typed(_ name: String, _ node: ElementNode) -> FHIRDraft {
        var draft = FHIRDraft(name: name, resourceType: node.typeName)
        draft.typedResource = node
        return draft
    }

    /// The first child with this name.
    public func child(_ name: String) -> FHIRDraft? { children.first { $0.name == name } }
}

// MARK: Data types

extension FHIRDraft {
    public static func coding(_ system: String, _ code: String, _ display: String? = nil, name: String = "coding")
        -> FHIRDraft?
    {
        .e(name, [.p("system", system), .p("code", code), .p("display", display)])
    }

    /// A CodeableConcept of codings `(system, code, display)` and a text.
    public static func concept(
        _ name: String, _ codings: [(String, String, String?)] = [], text: String? = nil
    ) -> FHIRDraft? {
        .e(name, codings.map { coding($0.0, $0.1, $0.2) } + [.p("text", text)])
    }

    /// A UCUM Quantity.
    public static func quantity(_ name: String, _ value: FHIRDecimal, unit: String, code: String) -> FHIRDraft? {
        .e(
            name,
            [.p("value", value.lexeme), .p("unit", unit), .p("system", "http://unitsofmeasure.org"), .p("code", code)])
    }

    public static func reference(_ name: String, _ reference: String?, display: String? = nil) -> FHIRDraft? {
        guard let reference else { return nil }
        return .e(name, [.p("reference", reference), .p("display", display)])
    }

    public static func identifier(
        _ name: String = "identifier", system: String, value: String, use: String? = nil, type: FHIRDraft? = nil,
        assigner: FHIRDraft? = nil
    ) -> FHIRDraft? {
        .e(name, [.p("use", use), type, .p("system", system), .p("value", value), assigner])
    }

    public static func period(_ name: String, start: String?, end: String?) -> FHIRDraft? {
        .e(name, [.p("start", start), .p("end", end)])
    }

    /// An extension with one value (`valueCode`, `valueQuantity`...).
    public static func extensionValue(_ url: String, _ value: FHIRDraft?, name: String = "extension") -> FHIRDraft? {
        guard let value else { return nil }
        return .e(name, [.p("url", url), value])
    }

    /// An Annotation with text.
    public static func note(_ text: String?, name: String = "note") -> FHIRDraft? {
        .e(name, [.p("text", text)])
    }

    /// A HumanName.
    public static func humanName(
        _ name: String = "name", family: String?, given: [String], prefix: String?, suffix: String?,
        use: String? = nil
    ) -> FHIRDraft? {
        .e(
            name,
            [.p("use", use), .p("family", family)] + given.map { .p("given", $0) }
                + [.p("prefix", prefix), .p("suffix", suffix)])
    }

    /// A generated narrative with one paragraph of text (escaped).
    public static func narrative(_ text: String) -> FHIRDraft? {
        var escaped = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.unicodeScalars.append(c)
            }
        }
        let div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + escaped + "</p></div>"
        return .e("text", [.p("status", "generated"), .p("div", div)])
    }
}
