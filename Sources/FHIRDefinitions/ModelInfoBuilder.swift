import FHIRJSON
import FHIRModel

/// Builds the ``ModelInfo`` type summaries from base StructureDefinitions (the ones whose `id`
/// equals their `type`: primitives, complex types and resources; constraint profiles are not
/// part of the base model).
public enum ModelInfoBuilder {
    /// Builds the summaries from StructureDefinition resources given as raw JSON.
    ///
    /// Elements come from the snapshot (so inherited elements are included, in definition order).
    /// Every inline backbone element becomes its own summary named by its path
    /// (`Questionnaire.item`), and `contentReference` elements point at that summary.
    public static func build(structureDefinitions: [JSONValue], fhirVersion: String) throws(FHIRFormatError)
        -> ModelInfo
    {
        var types: [TypeSummary] = []
        for sd in structureDefinitions {
            types.append(contentsOf: try summaries(of: sd))
        }
        return ModelInfo(types: types, fhirVersion: fhirVersion)
    }

    /// Whether an entry of a package `.index.json` is a base type definition the model needs.
    public static func isBaseTypeDefinition(id: String?, type: String?, kind: String?) -> Bool {
        guard let id, let type, id == type else { return false }
        return kind == "primitive-type" || kind == "complex-type" || kind == "resource"
    }

    private struct RawElement {
        let path: String
        let json: JSONObject
    }

    private static func summaries(of sd: JSONValue) throws(FHIRFormatError) -> [TypeSummary] {
        guard let typeName = sd["type"]?.stringValue, let kindText = sd["kind"]?.stringValue else {
            throw FHIRFormatError(.definitionInvalid, "StructureDefinition without type or kind")
        }
        let url = sd["url"]?.stringValue ?? ""
        let kind: TypeSummary.Kind
        switch kindText {
        case "primitive-type": kind = .primitive
        case "complex-type": kind = .complex
        case "resource": kind = .resource
        default: kind = .logical
        }
        let baseType = sd["baseDefinition"]?.stringValue.map { lastComponent(of: $0) }
        let isAbstract = sd["abstract"]?.boolValue ?? false
        guard let elementList = sd["snapshot"]?["element"]?.arrayValue else {
            throw FHIRFormatError(.definitionInvalid, "StructureDefinition \(typeName) has no snapshot")
        }
        var raw: [RawElement] = []
        raw.reserveCapacity(elementList.count)
        for e in elementList {
            guard let obj = e.objectValue, let path = obj["path"]?.stringValue else { continue }
            raw.append(RawElement(path: path, json: obj))
        }
        // Paths that have children: those are backbone (inline) elements.
        var parents = Set<String>()
        for e in raw {
            if let dot = e.path.lastIndex(of: ".") { parents.insert(String(e.path[..<dot])) }
        }
        // Types of each element path, for resolving contentReference targets.
        var typesByPath: [String: [String]] = [:]
        for e in raw { typesByPath[e.path] = typeCodes(of: e.json) }

        var childrenByParent: [String: [ElementSummary]] = [:]
        var parentOrder: [String] = []
        for e in raw {
            guard let dot = e.path.lastIndex(of: ".") else { continue }
            let parent = String(e.path[..<dot])
            var name = String(e.path[e.path.index(after: dot)...])
            // A primitive's `value` is its lexeme, not a child element.
            if kind == .primitive && parent == typeName && name == "value" { continue }
            let isChoice = name.hasSuffix("[x]")
            if isChoice { name.removeLast(3) }
            var codes = typesByPath[e.path] ?? []
            // R4 snapshots give a resource's own `id` the FHIRPath type System.String marked as a FHIR
            // `string`, while the specification defines `Resource.id` as an `id` (and FHIRPath's suite
            // expects `id`): use `id`, which also validates its pattern.
            if kind == .resource && parent == typeName && name == "id" && codes == ["string"] { codes = ["id"] }
            var backbone: String? = parents.contains(e.path) ? e.path : nil
            if let ref = e.json["contentReference"]?.stringValue {
                let target = ref.hasPrefix("#") ? String(ref.dropFirst()) : lastFragment(of: ref)
                backbone = target
                codes = typesByPath[target] ?? ["BackboneElement"]
            }
            let max = e.json["max"]?.stringValue ?? "1"
            let isArray = max == "*" || (Int(max) ?? 1) > 1
            let min = Int(e.json["min"]?.numberLexeme ?? "0") ?? 0
            let isAttribute =
                e.json["representation"]?.arrayValue?.contains { $0.stringValue == "xmlAttr" } ?? false
            let summary = ElementSummary(
                name: name, types: codes, isArray: isArray, isChoice: isChoice, min: min,
                isXMLAttribute: isAttribute, backbonePath: backbone,
                isModifier: e.json["isModifier"]?.boolValue ?? false,
                isSummary: e.json["isSummary"]?.boolValue ?? false)
            if childrenByParent[parent] == nil { parentOrder.append(parent) }
            childrenByParent[parent, default: []].append(summary)
        }

        var out: [TypeSummary] = [
            TypeSummary(
                name: typeName, kind: kind, baseType: baseType, isAbstract: isAbstract, url: url,
                elements: childrenByParent[typeName] ?? [])
        ]
        for parent in parentOrder where parent != typeName {
            let base = typesByPath[parent]?.first ?? "BackboneElement"
            out.append(
                TypeSummary(
                    name: parent, kind: .backbone, baseType: base, isAbstract: false, url: "",
                    elements: childrenByParent[parent] ?? []))
        }
        return out
    }

    /// FHIR type codes of an element; FHIRPath system types map to the FHIR type named by the
    /// `structuredefinition-fhir-type` extension (or a plain equivalent).
    private static func typeCodes(of element: JSONObject) -> [String] {
        guard let list = element["type"]?.arrayValue else { return [] }
        var codes: [String] = []
        for t in list {
            guard let code = t["code"]?.stringValue else { continue }
            if code.hasPrefix("http://hl7.org/fhirpath/System.") {
                if let ext = t["extension"]?.arrayValue?.first(where: {
                    $0["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
                }), let fhirType = ext["valueUrl"]?.stringValue ?? ext["valueUri"]?.stringValue {
                    codes.append(fhirType)
                } else {
                    codes.append(systemTypeFallback(code))
                }
            } else {
                codes.append(code)
            }
        }
        return codes
    }

    private static func systemTypeFallback(_ code: String) -> String {
        switch lastFragment(of: code) {
        case "System.Boolean": "boolean"
        case "System.Integer": "integer"
        case "System.Decimal": "decimal"
        case "System.Date": "date"
        case "System.DateTime": "dateTime"
        case "System.Time": "time"
        default: "string"
        }
    }

    private static func lastComponent(of url: String) -> String {
        guard let slash = url.lastIndex(of: "/") else { return url }
        return String(url[url.index(after: slash)...])
    }

    private static func lastFragment(of text: String) -> String {
        guard let hash = text.lastIndex(of: "#") else { return lastComponent(of: text) }
        return String(text[text.index(after: hash)...])
    }
}

extension JSONValue {
    /// The lexeme of a number (or the text of a string), for fields such as `min`.
    var numberLexeme: String? {
        switch self {
        case .number(let n): n
        case .string(let s): s
        default: nil
        }
    }
}
