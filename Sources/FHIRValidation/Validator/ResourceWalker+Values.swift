import FHIRJSON
import FHIRModel

/// The value rules of one element: lexical form, value presence, fixed/pattern, ranges, length,
/// binding.
extension ResourceWalker {
    static let mustHaveValueURL =
        "http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.mustHaveValue"
    static let valueAlternativesURL =
        "http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives"

    /// A primitive without a value (only extensions): allowed unless the definition says it
    /// must have a value (`mustHaveValue`), or names the extensions that may stand in for it
    /// (`valueAlternatives`) and none is present. (R5 ElementDefinition properties, used in R4
    /// through their cross-version extensions.)
    mutating func checkValuePresence(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, path: String
    ) {
        // (A primitive holding unknown content was reported by the reader; not again here.)
        if !node.children.contains(where: { ($0.name == "extension" && !$0.isUnknown) || $0.isUnknown }) {
            issues.append(
                Issue(
                    .error, .valuePresence, "a primitive element must have a value or extensions", path: path,
                    position: node.position))
            return
        }
        let extensions = def.raw["extension"]?.arrayValue ?? []
        let mustHaveValue = extensions.contains {
            $0["url"]?.stringValue == Self.mustHaveValueURL && $0["valueBoolean"]?.boolValue == true
        }
        let alternatives = extensions.filter { $0["url"]?.stringValue == Self.valueAlternativesURL }
            .compactMap { $0["valueCanonical"]?.stringValue ?? $0["valueUri"]?.stringValue }
        if mustHaveValue {
            issues.append(
                Issue(
                    .error, .valuePresence,
                    "the definition of '\(def.path)' in \(profile.url) requires a value here, not only extensions",
                    path: path, position: node.position))
        } else if !alternatives.isEmpty {
            let present = Set(node.children(named: "extension").compactMap { $0.childValue("url") })
            if !alternatives.contains(where: present.contains) {
                issues.append(
                    Issue(
                        .error, .valuePresence,
                        "without a value, '\(def.path)' needs one of the extensions \(alternatives.joined(separator: ", "))",
                        path: path, position: node.position))
            }
        }
    }

    /// Where a complex value differs from its fixed value, element by element: an element the
    /// fixed value does not have, one it has that is missing, a primitive that differs.
    mutating func reportFixedDifferences(
        _ node: ElementNode, _ fixed: JSONValue, def: ElementDefinitionInfo, path: String, depth: Int
    ) {
        guard depth < 32, case .object(let object) = fixed else { return }
        var seen: Set<String> = []
        var counts: [String: Int] = [:]
        for child in node.children where !child.isUnknown {
            let key = child.wireName
            let index = counts[key, default: 0]
            counts[key] = index + 1
            let childPath = path + "." + child.name + (child.isListItem ? "[\(index)]" : "")
            guard let expected = object[key] else {
                if child.name == "id" || child.name == "extension" { continue }
                issues.append(
                    Issue(
                        .error, .fixedValue,
                        "'\(key)' is present, but the fixed value of '\(def.path)' does not allow it",
                        path: childPath, position: child.position))
                continue
            }
            seen.insert(key)
            let item: JSONValue? =
                if case .array(let items) = expected { index < items.count ? items[index] : nil } else { expected }
            guard let item else {
                issues.append(
                    Issue(
                        .error, .fixedValue, "there are more '\(key)' than the fixed value of '\(def.path)' has",
                        path: childPath, position: child.position))
                continue
            }
            switch item {
            case .object:
                reportFixedDifferences(child, item, def: def, path: childPath, depth: depth + 1)
            case .string(let text), .number(let text):
                if child.value != text { fixedMismatch(def, childPath, child.position) }
            case .bool(let flag):
                if child.value != (flag ? "true" : "false") { fixedMismatch(def, childPath, child.position) }
            default:
                break
            }
        }
        for key in object.keys where !key.hasPrefix("_") && !seen.contains(key) {
            issues.append(
                Issue(
                    .error, .fixedValue, "'\(key)' is missing, but the fixed value of '\(def.path)' has it",
                    path: path + "." + key, position: node.position))
        }
    }

    private mutating func fixedMismatch(_ def: ElementDefinitionInfo, _ path: String, _ position: SourcePosition) {
        issues.append(
            Issue(
                .error, .fixedValue, "the value differs from the fixed value of '\(def.path)'", path: path,
                position: position))
    }

    /// Whether this binding (strength and value set, whatever its `|version`) has not been
    /// checked at this path yet: a profile that repeats its base's binding (`condition-clinical`
    /// without `|4.0.1`) must not report the same code twice.
    mutating func firstCheck(of binding: ElementDefinitionInfo.Binding, at path: ElementPath) -> Bool {
        guard recordingBindings else { return true }
        return checkedBindings.insert(
            path.text + "\u{1}" + binding.strength.rawValue + "\u{1}" + binding.unversionedValueSet
        ).inserted
    }

    /// A `minValue[x]` or `maxValue[x]`: the same type as the element, or for dates and times a
    /// Duration counted from now (before now for a minimum, after it for a maximum).
    private mutating func checkBound(
        _ node: ElementNode, _ bound: ElementDefinitionInfo.TypedValue, isMinimum: Bool, def: ElementDefinitionInfo,
        path: ElementPath
    ) {
        let message: String
        if ValueMatching.isRelativeBound(node, bound) {
            guard let c = ValueMatching.compareRelative(node, bound, isMinimum: isMinimum), isMinimum ? c < 0 : c > 0
            else { return }
            let amount: String
            if case .number(let n)? = bound.value["value"] { amount = n } else { amount = "" }
            let unit = bound.value["code"]?.stringValue ?? bound.value["unit"]?.stringValue ?? ""
            message =
                isMinimum
                ? "the value is earlier than the minimum of '\(def.path)' (\(amount) \(unit) before now)"
                : "the value is later than the maximum of '\(def.path)' (\(amount) \(unit) after now)"
        } else {
            guard let c = ValueMatching.compare(node, bound), isMinimum ? c < 0 : c > 0 else { return }
            message =
                isMinimum
                ? "the value is below the minimum of '\(def.path)'" : "the value is above the maximum of '\(def.path)'"
        }
        issues.append(Issue(.error, .valueRange, message, path: path.text, position: node.position))
    }

    /// fixed[x], pattern[x], minValue/maxValue, maxLength and the binding of one element.
    mutating func checkValueRules(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, path: ElementPath
    ) {
        // The lexical form of the primitive type (the readers keep any lexeme; this is where it
        // is judged).
        if onBasePass, node.isPrimitive, let value = node.value, let type = node.typeName,
            let kind = type == def.soleTypeCode ? def.soleKind : FHIRPrimitive.Kind(typeCode: type),
            let failure = FHIRPrimitive.validationFailure(value, kind: kind)
        {
            issues.append(
                Issue(
                    .error, .invalidPrimitiveValue, "the value is not valid (\(failure))", path: path.text,
                    position: node.position))
        }
        if node.isPrimitive, node.value == nil { checkValuePresence(node, def: def, profile: profile, path: path.text) }
        if let fixed = def.fixed, !ValueMatching.matches(node, fixed: fixed) {
            let before = issues.count
            if case .object = fixed.value {
                reportFixedDifferences(node, fixed.value, def: def, path: path.text, depth: 0)
            }
            if issues.count == before {
                issues.append(
                    Issue(
                        .error, .fixedValue,
                        "the value is not the fixed value the definition of '\(def.path)' requires",
                        path: path.text, position: node.position))
            }
        }
        if let pattern = def.pattern, !ValueMatching.matches(node, pattern: pattern) {
            issues.append(
                Issue(
                    .error, .patternValue,
                    "the value does not match the pattern the definition of '\(def.path)' requires",
                    path: path.text, position: node.position))
        }
        if let bound = def.minValue { checkBound(node, bound, isMinimum: true, def: def, path: path) }
        if let bound = def.maxValue { checkBound(node, bound, isMinimum: false, def: def, path: path) }
        if let limit = def.maxLength, let value = node.value, value.count > limit {
            issues.append(
                Issue(
                    .error, .maxLength, "the value is longer than the maximum length \(limit) of '\(def.path)'",
                    path: path.text, position: node.position))
        }
        if validator.options.checkBindings, let binding = def.binding, firstCheck(of: binding, at: path) {
            // The profile is needed only for a value set it contains (`#id`): not copied otherwise.
            let holder = binding.valueSet?.utf8.first == UInt8(ascii: "#") ? profile.definition : nil
            // Whether a canonical value set is held, from this walk's memory.
            var available: Bool?
            if binding.strength != .example, let url = binding.valueSet, url.utf8.first != UInt8(ascii: "#") {
                available = knownValueSets.isAvailable(url, context.terminologyAnswers, context.terminology)
            }
            BindingChecker(context: context).check(
                node, binding: binding, path: path.text, into: &issues, definition: holder, isAvailable: available)
        }
    }
}
