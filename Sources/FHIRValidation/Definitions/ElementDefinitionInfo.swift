import FHIRJSON
import FHIRModel

/// What the validator needs from one ElementDefinition of a snapshot, read once from its JSON.
///
/// `raw` keeps the element as read, for snapshot generation (which merges JSON) and for anything
/// the typed fields do not cover. A class, so that the walker hands elements around by reference
/// (a struct of this size costs a retain per field on every copy).
public final class ElementDefinitionInfo: Sendable {
    public let id: String
    /// `Patient.name.given`, `Observation.value[x]`, `Extension.extension.value[x]`.
    public let path: String
    public let sliceName: String?
    public let min: Int
    /// `*` or a number; see ``maxCount``.
    public let max: String
    public let types: [TypeRef]
    /// `#Questionnaire.item` (R4 form) or `http://...#Questionnaire.item`.
    public let contentReference: String?
    public let fixed: TypedValue?
    public let pattern: TypedValue?
    public let minValue: TypedValue?
    public let maxValue: TypedValue?
    public let maxLength: Int?
    public let binding: Binding?
    public let constraints: [Constraint]
    public let slicing: Slicing?
    public let isModifier: Bool
    public let mustSupport: Bool
    public let raw: JSONValue

    /// The maximum count, or `nil` for `*`.
    public let maxCount: Int?
    /// The last path segment (`given`, `value[x]`).
    public let name: String
    /// The name as instances carry it: `value` for `value[x]`.
    public let baseName: String
    /// Whether this is a choice element (`value[x]`).
    public let isChoice: Bool
    /// Whether any of ``types`` names profiles (`type.profile`).
    let hasTypeProfiles: Bool
    /// The code of the only type, when there is one, and its primitive kind (nil when it is not
    /// a primitive): values of this element are judged without looking their kind up by name.
    let soleTypeCode: String?
    let soleKind: FHIRPrimitive.Kind?

    /// Reads an ElementDefinition from its FHIR JSON. Missing `min`/`max` default to 0 / `*`
    /// (a differential element may omit them).
    public init(json: JSONValue) {
        let o = json.objectValue ?? JSONObject()
        path = o["path"]?.stringValue ?? ""
        id = o["id"]?.stringValue ?? path
        sliceName = o["sliceName"]?.stringValue
        min = o["min"].flatMap { v -> Int? in if case .number(let n) = v { return Int(n) } else { return nil } } ?? 0
        max = o["max"]?.stringValue ?? "*"
        maxCount = max == "*" ? nil : Int(max)
        types = (o["type"]?.arrayValue ?? []).compactMap { t in
            guard let code = Self.typeCode(t) else { return nil }
            return TypeRef(
                code: code,
                profiles: (t["profile"]?.arrayValue ?? []).compactMap(\.stringValue),
                targetProfiles: (t["targetProfile"]?.arrayValue ?? []).compactMap(\.stringValue),
                aggregation: (t["aggregation"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        hasTypeProfiles = types.contains { !$0.profiles.isEmpty }
        soleTypeCode = types.count == 1 ? types[0].code : nil
        soleKind = soleTypeCode.flatMap(FHIRPrimitive.Kind.init(typeCode:))
        contentReference = o["contentReference"]?.stringValue
        var fixed: TypedValue?
        var pattern: TypedValue?
        var minValue: TypedValue?
        var maxValue: TypedValue?
        for (key, value) in o.pairs {
            if let t = Self.suffix(key, "fixed") {
                fixed = TypedValue(type: t, value: value, companion: o["_" + key])
            } else if let t = Self.suffix(key, "pattern") {
                pattern = TypedValue(type: t, value: value, companion: o["_" + key])
            } else if let t = Self.suffix(key, "minValue") {
                minValue = TypedValue(type: t, value: value)
            } else if let t = Self.suffix(key, "maxValue") {
                maxValue = TypedValue(type: t, value: value)
            }
        }
        self.fixed = fixed
        self.pattern = pattern
        self.minValue = minValue
        self.maxValue = maxValue
        if case .number(let n)? = o["maxLength"] { maxLength = Int(n) } else { maxLength = nil }
        if let b = o["binding"], let s = b["strength"]?.stringValue, let strength = Binding.Strength(rawValue: s) {
            var maxVS: String?
            for ext in b["extension"]?.arrayValue ?? []
            where ext["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet" {
                maxVS = ext["valueCanonical"]?.stringValue ?? ext["valueUri"]?.stringValue
            }
            binding = Binding(strength: strength, valueSet: b["valueSet"]?.stringValue, maxValueSet: maxVS)
        } else {
            binding = nil
        }
        constraints = (o["constraint"]?.arrayValue ?? []).compactMap { c in
            guard let key = c["key"]?.stringValue else { return nil }
            return Constraint(
                key: key, severity: c["severity"]?.stringValue ?? "error", human: c["human"]?.stringValue ?? "",
                expression: c["expression"]?.stringValue, source: c["source"]?.stringValue)
        }
        if let s = o["slicing"] {
            slicing = Slicing(
                discriminators: (s["discriminator"]?.arrayValue ?? []).compactMap { d in
                    guard let t = d["type"]?.stringValue, let p = d["path"]?.stringValue else { return nil }
                    return Slicing.Discriminator(type: t, path: p)
                },
                ordered: s["ordered"]?.boolValue ?? false,
                rules: s["rules"]?.stringValue.flatMap(Slicing.Rules.init(rawValue:)) ?? .open)
        } else {
            slicing = nil
        }
        isModifier = o["isModifier"]?.boolValue ?? false
        mustSupport = o["mustSupport"]?.boolValue ?? false
        raw = json
        let last = path.split(separator: ".").last.map(String.init) ?? path
        name = last
        isChoice = last.hasSuffix("[x]")
        baseName = isChoice ? String(last.dropLast(3)) : last
    }

    /// One allowed type.
    public struct TypeRef: Sendable, Hashable {
        /// `string`, `Reference`, `Quantity`, or a System type URL for primitive `value` elements.
        public var code: String
        /// Profiles the value must conform to (`type.profile`).
        public var profiles: [String]
        /// For Reference/canonical: allowed target profiles (`type.targetProfile`).
        public var targetProfiles: [String]
        /// `contained`, `referenced`, `bundled`.
        public var aggregation: [String]

        public init(code: String, profiles: [String] = [], targetProfiles: [String] = [], aggregation: [String] = []) {
            self.code = code
            self.profiles = profiles
            self.targetProfiles = targetProfiles
            self.aggregation = aggregation
        }
    }

    /// A fixed[x], pattern[x], minValue[x] or maxValue[x] value: the type suffix and the JSON.
    public struct TypedValue: Sendable {
        /// The FHIR type code from the key suffix (`fixedCoding` -> `Coding`, `fixedUri` -> `uri`).
        public var type: String
        /// The value in FHIR JSON form (a string/number/bool for primitives, an object otherwise).
        public var value: JSONValue
        /// For primitives: the `_fixedX` companion (id/extensions), when present.
        public var companion: JSONValue?

        public init(type: String, value: JSONValue, companion: JSONValue? = nil) {
            self.type = type
            self.value = value
            self.companion = companion
        }
    }

    public struct Binding: Sendable {
        public enum Strength: String, Sendable { case required, extensible, preferred, example }
        public var strength: Strength
        public var valueSet: String?
        /// The `elementdefinition-maxValueSet` extension, when present.
        public var maxValueSet: String?

        /// The value set without `|version` ("" when none): what "the same binding" compares.
        public let unversionedValueSet: String

        public init(strength: Strength, valueSet: String?, maxValueSet: String? = nil) {
            self.strength = strength
            self.valueSet = valueSet
            self.maxValueSet = maxValueSet
            self.unversionedValueSet =
                valueSet.map { $0.split(separator: "|", maxSplits: 1).first.map(String.init) ?? $0 } ?? ""
        }
    }

    public struct Constraint: Sendable {
        public var key: String
        /// `error` or `warning`.
        public var severity: String
        public var human: String
        public var expression: String?
        /// The StructureDefinition that first declared it.
        public var source: String?

        public init(key: String, severity: String, human: String, expression: String?, source: String?) {
            self.key = key
            self.severity = severity
            self.human = human
            self.expression = expression
            self.source = source
        }
    }

    public struct Slicing: Sendable {
        public struct Discriminator: Sendable, Hashable {
            /// `value`, `exists`, `pattern`, `type`, `profile`.
            public var type: String
            /// A restricted FHIRPath (`code`, `$this`, `extension('url').value`, `resolve()`).
            public var path: String

            public init(type: String, path: String) {
                self.type = type
                self.path = path
            }
        }
        public enum Rules: String, Sendable { case closed, open, openAtEnd }
        public var discriminators: [Discriminator]
        public var ordered: Bool
        public var rules: Rules

        public init(discriminators: [Discriminator], ordered: Bool, rules: Rules) {
            self.discriminators = discriminators
            self.ordered = ordered
            self.rules = rules
        }
    }
}

extension ElementDefinitionInfo {
    /// The type code, mapping the System type URLs used on primitive `value` elements
    /// (`http://hl7.org/fhirpath/System.String`) through the `structuredefinition-fhir-type`
    /// extension when present.
    static func typeCode(_ t: JSONValue) -> String? {
        for ext in t["extension"]?.arrayValue ?? []
        where ext["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type" {
            if let v = ext["valueUrl"]?.stringValue ?? ext["valueUri"]?.stringValue { return v }
        }
        return t["code"]?.stringValue
    }

    /// `fixedCoding` -> `Coding`, `fixedUri` -> `uri`; nil when `key` is not `prefix` + Type.
    static func suffix(_ key: String, _ prefix: String) -> String? {
        guard key.hasPrefix(prefix), key.count > prefix.count else { return nil }
        let rest = key.dropFirst(prefix.count)
        guard let first = rest.first, first.isUppercase else { return nil }
        // Primitive type codes start lowercase (`uri`, `dateTime`); complex ones keep their case.
        let lowered = first.lowercased() + rest.dropFirst()
        return primitiveTypeCodes.contains(lowered) ? lowered : String(rest)
    }

    static let primitiveTypeCodes: Set<String> = [
        "base64Binary", "boolean", "canonical", "code", "date", "dateTime", "decimal", "id", "instant", "integer",
        "markdown", "oid", "positiveInt", "string", "time", "unsignedInt", "uri", "url", "uuid", "xhtml",
    ]
}
