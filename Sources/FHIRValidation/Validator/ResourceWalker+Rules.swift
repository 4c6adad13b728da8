import FHIRJSON
import FHIRModel
import FHIRPath

/// The walker's calls into the rule components: Bundle index and rules, QuestionnaireResponse,
/// references, narrative, codes and bindings, fixed/pattern/range/length, slicing.
extension ResourceWalker {
    struct BundleFrame {
        var index: BundleIndex
        /// The fullUrl of the entry being walked.
        var fullUrl: String?
    }

    mutating func enterBundle(_ node: ElementNode, path: String) {
        let index = BundleIndex(bundle: node, model: context.model)
        bundles.append(BundleFrame(index: index, fullUrl: nil))
        BundleRules.check(node, index: index, path: path, into: &issues)
    }

    mutating func leaveBundle() {
        bundles.removeLast()
    }

    /// Rules of whole resources beyond their definitions.
    mutating func checkResourceRules(_ node: ElementNode, type: String, path: String) {
        switch type {
        case "QuestionnaireResponse":
            let siblings = bundles.last?.index.entries.compactMap(\.resource) ?? []
            QuestionnaireResponseChecker(context: context, cache: context.questionnaires).check(
                node, path: path, siblings: siblings, into: &issues)
        case "Questionnaire":
            QuestionnaireDefinitionChecker().check(node, path: path, into: &issues)
        case "StructureDefinition":
            checkSnapshotGeneration(node, path: path)
        default:
            break
        }
    }

    /// A StructureDefinition given without a snapshot must be one a snapshot can be generated
    /// for: its differential has to fit its base.
    mutating func checkSnapshotGeneration(_ node: ElementNode, path: String) {
        guard node.child(named: "snapshot") == nil, node.child(named: "differential") != nil,
            node.childValue("baseDefinition") != nil
        else { return }
        let json = FHIRJSONWriter(model: context.model).writeValue(node)
        let generated = SnapshotGenerator(catalog: context.profiles).generate(StructureDefinitionInfo(json: json))
        for var issue in generated.issues {
            // A base we do not hold cannot be judged here (the definition may be fine).
            if issue.message.contains("cannot be found") { issue.severity = .warning }
            issue.path = path
            issue.position = node.position
            issues.append(issue)
        }
    }

    /// Rules of data types: references, narrative, codings.
    mutating func checkTypeRules(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, scope: FHIRPathScope?, path: String
    ) {
        switch node.typeName {
        case "Reference":
            var resources: [ElementNode] = []
            var s = scope
            while let current = s {
                resources.append(current.resource)
                s = current.parent
            }
            ReferenceChecker(context: context).check(
                node, types: def.types.filter { $0.code == "Reference" }, resources: resources,
                bundle: bundles.last?.index, fullUrl: bundles.last?.fullUrl, path: path, into: &issues)
        case "xhtml":
            guard onBasePass else { return }
            NarrativeRules.check(node, path: path, into: &issues)
            NarrativeRules.checkLanguage(
                node, resourceLanguage: scope?.resource.childValue("language"), path: path, into: &issues)
        case "Narrative":
            if let div = node.child(named: "div") {
                NarrativeRules.checkControls(
                    div, narrative: def, profileURL: profile.url,
                    resourceLanguage: scope?.resource.childValue("language"),
                    path: path + ".div", into: &issues)
            }
        case "Coding":
            if validator.options.checkBindings && (onBasePass || def.binding != nil) {
                BindingChecker(context: context).checkCoding(
                    node, path: path, into: &issues, binding: def.binding, definition: profile.definition)
            }
        default:
            break
        }
    }

    mutating func assignSlices(
        _ items: [ElementNode], scope: FHIRPathScope?, profile: ResolvedProfile, group: ChildGroup, path: String
    ) -> [Int?] {
        let nodes = items.map { item in
            item.isResource
                ? FHIRPathNode(element: item, scope: FHIRPathScope(resource: item, parent: scope))
                : FHIRPathNode(element: item, scope: scope)
        }
        let validator = self.validator
        let matcher = SliceMatcher(
            context: context, cache: context.slicing,
            conforms: { node, url in validator.conforms(node, to: url) ?? false })
        let result = matcher.assign(nodes, profile: profile, base: group.base, slices: group.slices, path: path)
        issues.append(contentsOf: result.issues)
        return result.slices
    }

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
    mutating func firstCheck(of binding: ElementDefinitionInfo.Binding, at path: String) -> Bool {
        let valueSet =
            binding.valueSet.map { $0.split(separator: "|", maxSplits: 1).first.map(String.init) ?? $0 } ?? ""
        return checkedBindings.insert(path + "\u{1}" + binding.strength.rawValue + "\u{1}" + valueSet).inserted
    }

    /// fixed[x], pattern[x], minValue/maxValue, maxLength and the binding of one element.
    mutating func checkValueRules(
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, path: String
    ) {
        // The lexical form of the primitive type (the readers keep any lexeme; this is where it
        // is judged).
        if onBasePass, node.isPrimitive, let value = node.value,
            let kind = node.typeName.flatMap(FHIRPrimitive.Kind.init(typeCode:)),
            let failure = FHIRPrimitive.validationFailure(value, kind: kind)
        {
            issues.append(
                Issue(
                    .error, .invalidPrimitiveValue, "the value is not valid (\(failure))", path: path,
                    position: node.position))
        }
        if node.isPrimitive, node.value == nil { checkValuePresence(node, def: def, profile: profile, path: path) }
        if let fixed = def.fixed, !ValueMatching.matches(node, fixed: fixed) {
            let before = issues.count
            if case .object = fixed.value { reportFixedDifferences(node, fixed.value, def: def, path: path, depth: 0) }
            if issues.count == before {
                issues.append(
                    Issue(
                        .error, .fixedValue,
                        "the value is not the fixed value the definition of '\(def.path)' requires",
                        path: path, position: node.position))
            }
        }
        if let pattern = def.pattern, !ValueMatching.matches(node, pattern: pattern) {
            issues.append(
                Issue(
                    .error, .patternValue,
                    "the value does not match the pattern the definition of '\(def.path)' requires",
                    path: path, position: node.position))
        }
        if let bound = def.minValue, let c = ValueMatching.compare(node, bound), c < 0 {
            issues.append(
                Issue(
                    .error, .valueRange, "the value is below the minimum of '\(def.path)'", path: path,
                    position: node.position))
        }
        if let bound = def.maxValue, let c = ValueMatching.compare(node, bound), c > 0 {
            issues.append(
                Issue(
                    .error, .valueRange, "the value is above the maximum of '\(def.path)'", path: path,
                    position: node.position))
        }
        if let limit = def.maxLength, let value = node.value, value.count > limit {
            issues.append(
                Issue(
                    .error, .maxLength, "the value is longer than the maximum length \(limit) of '\(def.path)'",
                    path: path, position: node.position))
        }
        if validator.options.checkBindings, let binding = def.binding, firstCheck(of: binding, at: path) {
            BindingChecker(context: context).check(
                node, binding: binding, path: path, into: &issues, definition: profile.definition)
        }
    }
}
