import FHIRJSON
import FHIRModel

extension SnapshotGenerator.Builder {
    /// Merges a differential element into the snapshot element at `i`, checking that it only
    /// narrows what the base allows (cardinality, types, fixed values, binding strength).
    mutating func merge(_ diff: ElementJSON, into i: Int, element target: String) {
        var e = elements[i].json
        let isNewSlice = elements[i].isNewSlice
        var mergedFamilies: Set<String> = []
        for (key, value) in diff.pairs {
            switch key {
            case "id", "path", "base":
                continue
            case "min":
                mergeMin(value, into: &e, isNewSlice: isNewSlice, target: target)
            case "max":
                mergeMax(value, into: &e, target: target)
            case "type":
                mergeTypes(value, into: &e, target: target)
            case "constraint":
                mergeConstraints(value, into: &e)
            case "condition", "alias", "mapping", "code":
                e[key] = Self.union(e[key], value)
            case "binding":
                mergeBinding(value, into: &e, target: target)
            case "slicing":
                for d in value["discriminator"]?.arrayValue ?? [] {
                    let type = d["type"]?.stringValue ?? ""
                    if !Self.discriminatorTypes.contains(type) {
                        report(.error, target, "its slicing has a discriminator of unknown type '\(type)'")
                    }
                }
                e[key] = Self.overlay(e[key], value)
            case "extension", "modifierExtension":
                e[key] = Self.mergeExtensions(e[key], value)
            default:
                if let family = Self.typedFamily(key) {
                    guard mergedFamilies.insert(family).inserted else { continue }
                    mergeTyped(family, from: diff, into: &e, target: target)
                } else {
                    e[key] = value
                }
            }
        }
        if let min = e.min, let max = e.max, let count = max.count, min > count {
            report(.error, target, "min \(min) is greater than max \(count)")
        }
        if diff["type"] != nil { applyTypeProfile(diff, to: &e, target: target) }
        dropUnbindableBinding(diff, from: &e, target: target)
        elements[i].json = e
        elements[i].constrained = true
    }

    /// The R4 DiscriminatorType codes.
    static let discriminatorTypes: Set<String> = ["value", "exists", "pattern", "type", "profile"]

    mutating func mergeMin(_ value: JSONValue, into e: inout ElementJSON, isNewSlice: Bool, target: String) {
        guard case .number(let text) = value, let min = Int(text), min >= 0 else {
            report(.error, target, "min is not a non-negative integer")
            return
        }
        // A new slice may be optional even when the sliced element is required.
        if !isNewSlice, let baseMin = e.min, min < baseMin {
            report(.error, target, "min \(min) is below the base minimum \(baseMin)")
        }
        e["min"] = value
    }

    mutating func mergeMax(_ value: JSONValue, into e: inout ElementJSON, target: String) {
        var value = value
        if case .number(let n) = value, Int(n) != nil {
            report(.warning, target, "max is a JSON number; ElementDefinition.max is a string")
            value = .string(n)
        }
        guard let text = value.stringValue, let max = Cardinality(text) else {
            report(.error, target, "max is neither a non-negative integer nor *")
            return
        }
        if let baseMax = e.max, baseMax < max {
            report(.error, target, "max \(text) is above the base maximum \(e["max"]?.stringValue ?? "")")
        }
        e["max"] = value
    }

    /// The constrained type list replaces the base's; every code must be allowed by the base.
    mutating func mergeTypes(_ value: JSONValue, into e: inout ElementJSON, target: String) {
        guard let entries = value.arrayValue else {
            report(.error, target, "type is not a list")
            return
        }
        let baseCodes = e.typeCodes
        var ok = true
        for entry in entries {
            guard let code = ElementDefinitionInfo.typeCode(entry), !code.isEmpty else {
                report(.error, target, "has a type without a code")
                ok = false
                continue
            }
            if !baseCodes.isEmpty && !typeAllowed(code, by: baseCodes) {
                report(
                    .error, target,
                    "type \(code) is not allowed by the base (which allows \(baseCodes.joined(separator: ", ")))")
                ok = false
            }
        }
        if ok && !entries.isEmpty { e["type"] = value }
    }

    /// Whether a constrained type code fits the base's codes: the same type, a resource where
    /// the base allows any resource, or a type derived from an allowed one (Age from Quantity).
    mutating func typeAllowed(_ code: String, by baseCodes: [String]) -> Bool {
        if baseCodes.contains(code) { return true }
        guard let definition = catalog.base(type: code)?.definition else { return false }
        if definition.kind == "resource" && (baseCodes.contains("Resource") || baseCodes.contains("DomainResource")) {
            return true
        }
        var next = definition.baseDefinition
        var steps = 0
        while let url = next, steps < 12 {
            steps += 1
            let name = String(url.split(separator: "/").last ?? "")
            if baseCodes.contains(name) || baseCodes.contains(url) { return true }
            next = catalog.profile(url: url)?.definition.baseDefinition
        }
        return false
    }

    /// Differential constraints are added to the inherited ones (one with the same key replaces
    /// it), with `source` set to this profile.
    mutating func mergeConstraints(_ value: JSONValue, into e: inout ElementJSON) {
        var list = e["constraint"]?.arrayValue ?? []
        for item in value.arrayValue ?? [] {
            guard var c = ElementJSON(item) else { continue }
            if c["source"] == nil && !url.isEmpty { c["source"] = .string(url) }
            if let key = c["key"]?.stringValue, let j = list.firstIndex(where: { $0["key"]?.stringValue == key }) {
                list[j] = c.value
            } else {
                list.append(c.value)
            }
        }
        e["constraint"] = .array(list)
    }

    static let strengthRank = ["required": 3, "extensible": 2, "preferred": 1, "example": 0]

    /// A required binding stays required (an error otherwise, as the reference tools report); an
    /// extensible one weakened gets a warning.
    mutating func mergeBinding(_ value: JSONValue, into e: inout ElementJSON, target: String) {
        if let baseStrength = e["binding"]?["strength"]?.stringValue,
            let strength = value["strength"]?.stringValue,
            let baseRank = Self.strengthRank[baseStrength], let rank = Self.strengthRank[strength],
            baseRank >= 2, rank < baseRank
        {
            report(
                baseRank == 3 ? .error : .warning, target,
                "binding strength \(strength) is weaker than the base's \(baseStrength)")
        }
        e["binding"] = Self.overlay(e["binding"], value)
    }

    /// `fixed`, `pattern`, `defaultValue`, `minValue`, `maxValue` for a typed key (`fixedUri`,
    /// `_fixedCode`), or nil.
    static func typedFamily(_ key: String) -> String? {
        let bare = key.hasPrefix("_") ? key.dropFirst() : Substring(key)
        for family in ["fixed", "pattern", "defaultValue", "minValue", "maxValue"] where bare.hasPrefix(family) {
            if bare.dropFirst(family.count).first?.isUppercase == true { return family }
        }
        return nil
    }

    /// Replaces the base's value of a typed family by the differential's; a fixed value may not
    /// contradict a fixed value of the base.
    mutating func mergeTyped(_ family: String, from diff: ElementJSON, into e: inout ElementJSON, target: String) {
        let incoming = diff.pairs.filter { Self.typedFamily($0.0) == family }
        if family == "fixed" {
            let existing = e.pairs.filter { Self.typedFamily($0.0) == family && !$0.0.hasPrefix("_") }
            for (key, value) in incoming where !key.hasPrefix("_") {
                if let (baseKey, baseValue) = existing.first, baseKey != key || baseValue != value {
                    report(.error, target, "its fixed value differs from the fixed value of the base")
                }
            }
        }
        e.removeKeys { Self.typedFamily($0) == family }
        for (key, value) in incoming { e[key] = value }
    }

    /// An element whose type names one profile (an extension slice and its extension definition,
    /// a Quantity constrained to SimpleQuantity) takes the profile root's descriptions where the
    /// differential gives none, and its constraints.
    mutating func applyTypeProfile(_ diff: ElementJSON, to e: inout ElementJSON, target: String) {
        guard let entries = e["type"]?.arrayValue, entries.count == 1,
            let profiles = entries[0]["profile"]?.arrayValue, profiles.count == 1,
            let profileURL = profiles[0].stringValue
        else { return }
        guard let definition = catalog.profile(url: profileURL), let root = definition.elements.first,
            let rootJSON = ElementJSON(root.raw)
        else {
            report(.warning, target, "its type profile \(profileURL) cannot be found")
            return
        }
        // A type profile must constrain the type it is given for (Count is a type of its own,
        // specialised from Quantity, not a profile of Quantity).
        // A profile for an abstract type (`Resource`) may name any type derived from it; a
        // profile pointing at one of its elements (`elementdefinition-profile-element`) is
        // checked at that element, not here.
        let pointsIntoProfile = (entries[0]["_profile"]?.arrayValue ?? []).contains { item in
            (item["extension"]?.arrayValue ?? []).contains {
                $0["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/elementdefinition-profile-element"
            }
        }
        if let code = entries[0]["code"]?.stringValue, definition.type != code, !pointsIntoProfile,
            !((catalog.model.type(named: code)?.isAbstract ?? false) && catalog.model.isType(definition.type, a: code))
        {
            report(
                .error, target,
                "its type profile \(profileURL) is for the type \(definition.type), not \(code)")
        }
        for key in ["short", "definition", "comment"] where diff[key] == nil {
            if let v = rootJSON[key] { e[key] = v }
        }
        if let extra = rootJSON["constraint"]?.arrayValue {
            var list = e["constraint"]?.arrayValue ?? []
            for c in extra {
                let key = c["key"]?.stringValue
                if !list.contains(where: { $0["key"]?.stringValue == key }) { list.append(c) }
            }
            e["constraint"] = .array(list)
        }
        if rootJSON["isModifier"]?.boolValue == true && diff["isModifier"] == nil {
            e["isModifier"] = .bool(true)
            if let reason = rootJSON["isModifierReason"] { e["isModifierReason"] = reason }
        }
    }

    /// The types a binding applies to.
    static let bindableTypes: Set<String> = ["code", "Coding", "CodeableConcept", "Quantity", "string", "uri"]

    /// A binding on an element none of whose types can be coded (an extension, a Reference) has
    /// no meaning; it is dropped with a warning, as the reference tools do.
    mutating func dropUnbindableBinding(_ diff: ElementJSON, from e: inout ElementJSON, target: String) {
        guard diff["binding"] != nil, e["binding"] != nil else { return }
        let codes = e.typeCodes
        guard !codes.isEmpty, !codes.contains(where: Self.bindableTypes.contains) else { return }
        report(.warning, target, "has a binding but none of its types (\(codes.joined(separator: ", "))) can be bound")
        e["binding"] = nil
    }

    // MARK: JSON helpers

    /// The base list plus the differential's items it does not already hold.
    static func union(_ base: JSONValue?, _ added: JSONValue) -> JSONValue {
        guard let items = added.arrayValue else { return added }
        var list = base?.arrayValue ?? []
        for item in items where !list.contains(item) { list.append(item) }
        return .array(list)
    }

    /// The base object with the differential's properties replacing its own.
    static func overlay(_ base: JSONValue?, _ added: JSONValue) -> JSONValue {
        guard let baseObject = base.flatMap({ ElementJSON($0) }), let addedObject = added.objectValue else {
            return added
        }
        var merged = baseObject
        for (key, value) in addedObject.pairs { merged[key] = value }
        return merged.value
    }

    /// Element extensions: one with the same url replaces the base's, others are added.
    static func mergeExtensions(_ base: JSONValue?, _ added: JSONValue) -> JSONValue {
        guard let items = added.arrayValue else { return added }
        var list = base?.arrayValue ?? []
        for item in items {
            if let u = item["url"]?.stringValue, let j = list.firstIndex(where: { $0["url"]?.stringValue == u }) {
                list[j] = item
            } else {
                list.append(item)
            }
        }
        return .array(list)
    }
}
