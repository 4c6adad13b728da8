import FHIRJSON
import FHIRModel
import FHIRPath

/// The walker's calls into the rule components: Bundle index and rules, QuestionnaireResponse,
/// references, narrative, codings, slicing (the value rules are in ResourceWalker+Values.swift).
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
        case "OperationDefinition":
            OperationDefinitionRules(context: context).check(node, path: path, into: &issues)
        case "StructureDefinition":
            checkSnapshotGeneration(node, path: path)
            StructureDefinitionRules(context: context).check(node, path: path, into: &issues)
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
        _ node: ElementNode, def: ElementDefinitionInfo, profile: ResolvedProfile, scope: FHIRPathScope?,
        path: ElementPath
    ) {
        // Most elements are of none of these types: their first letter and length say so (a
        // string compare that fails costs a call).
        // (The length alone first: reading the first byte costs a call.)
        guard let type = node.typeName else { return }
        switch type.utf8.count {
        case 5, 6, 8, 9: break
        default: return
        }
        switch (type.utf8.first, type.utf8.count) {
        case (UInt8(ascii: "R"), 9), (UInt8(ascii: "x"), 5), (UInt8(ascii: "N"), 9), (UInt8(ascii: "m"), 8),
            (UInt8(ascii: "C"), 6):
            break
        default: return
        }
        switch type {
        case "Reference":
            var resources: [ElementNode] = []
            var s = scope
            while let current = s {
                resources.append(current.resource)
                s = current.parent
            }
            var checker = ReferenceChecker(context: context, validator: validator)
            checker.knownTargets = referenceTargets(of: def, checker)
            // (The checker uses the Reference types among them.)
            checker.check(
                node, types: def.types, resources: resources, bundle: bundles.last?.index,
                fullUrl: bundles.last?.fullUrl, path: path.text, into: &issues)
        case "xhtml":
            guard onBasePass else { return }
            let path = path.text
            NarrativeRules.check(node, path: path, into: &issues)
            NarrativeRules.checkLanguage(
                node, resourceLanguage: scope?.resource.childValue("language"), path: path, into: &issues)
        case "Narrative":
            if let div = node.child(named: "div") {
                NarrativeRules.checkControls(
                    div, narrative: def, profileURL: profile.url,
                    resourceLanguage: scope?.resource.childValue("language"),
                    path: path.text + ".div", into: &issues)
            }
        case "markdown":
            // (The default policy checks nothing: the location is not built for it.)
            guard onBasePass else { return }
            if case .ignore = validator.options.htmlInMarkdown { return }
            MarkdownRules.check(node, policy: validator.options.htmlInMarkdown, path: path.text, into: &issues)
        case "Coding":
            if validator.options.checkBindings && (onBasePass || def.binding != nil) {
                // The profile matters only for a value set it contains (`#id`).
                let holder = def.binding?.valueSet?.utf8.first == UInt8(ascii: "#") ? profile.definition : nil
                BindingChecker(context: context).checkCoding(
                    node, path: path.text, into: &issues, binding: def.binding, definition: holder)
            }
        default:
            break
        }
    }

    /// The allowed reference targets of `def`, remembered for this walk (a walk meets the same
    /// few reference elements again and again; the shared answers hash the target profile URLs).
    mutating func referenceTargets(
        of def: ElementDefinitionInfo, _ checker: ReferenceChecker
    ) -> ReferenceChecker.AllowedTargets {
        for entry in knownReferenceTargets where entry.def === def { return entry.targets }
        let found = checker.allowedTargets(def.types.filter { $0.code == "Reference" })
        if knownReferenceTargets.count < 32 { knownReferenceTargets.append((def, found)) }
        return found
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

}
