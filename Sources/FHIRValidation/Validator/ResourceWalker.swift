import FHIRDefinitions
import FHIRModel
import FHIRPath

/// Walks a resource tree alongside the snapshot elements of each applicable profile: the base
/// definition of its type, every `meta.profile` it claims and the profiles the caller names.
///
/// For each element: its own rules (fixed/pattern, ranges, length, binding, invariants), then its
/// children grouped by element definition (cardinality, choice types, slices), descending into the
/// definition of the child's type when the profile says nothing more about it.
struct ResourceWalker {
    let validator: Validator
    var issues: [Issue] = []
    /// The Bundles being walked, innermost last, with the fullUrl of the current entry.
    var bundles: [BundleFrame] = []
    /// Profiles whose snapshot problems were already reported in this walk.
    var reportedProfiles: Set<String> = []
    var depth = 0
    /// The elements whose children are being walked, innermost last (for extension contexts):
    /// the first `ancestorCount` entries, each the address of a node whose children are being
    /// walked (valid while they are; entries past the count are stale and never read).
    var ancestors: [UnsafePointer<ElementNode>] = []
    var ancestorCount = 0
    /// Whether the walk is the resource's pass over its base definition. Checks that do not
    /// depend on the profile (narrative, codings, lexical forms) run only then, not again for
    /// every profile.
    var onBasePass = true
    /// Bindings already checked (path, strength, value set without version), kept while
    /// `recordingBindings` (the resource has profile passes).
    var checkedBindings: Set<String> = []
    var recordingBindings = false
    /// The child ranges of the groups of every `walkChildren` in progress, innermost last: the
    /// first `groupRangeCount` entries (the array only grows; entries past the count are stale, so
    /// a walk neither appends nor removes ranges per node).
    var groupRanges: [Range<Int>] = []
    var groupRangeCount = 0
    /// Base definitions of the types met in this walk, by type name (most walks meet a few
    /// types many times; the catalog answers under a lock).
    var baseDefinitions: [(type: String, profile: ResolvedProfile)] = []
    /// Whether the value sets of bindings met in this walk are held.
    var knownValueSets = KnownValueSets()
    /// The allowed targets of the reference elements met in this walk.
    var knownReferenceTargets: [(def: ElementDefinitionInfo, targets: ReferenceChecker.AllowedTargets)] = []

    static let maxDepth = 120

    /// What invariants see: local terminology for `memberOf()`, the validator for `conformsTo()`.
    let environment: FHIRPathEnvironment

    init(validator: Validator) {
        self.validator = validator
        self.environment = FHIRPathEnvironment(
            terminology: validator.context.terminology, profiles: ValidatorProfileChecker(validator: validator))
    }

    var context: ValidationContext { validator.context }

    mutating func validateRoot(_ resource: ElementNode, extraProfiles: [String]) {
        guard resource.isResource, let type = resource.typeName else {
            issues.append(Issue(.error, .missingResourceType, "the input is not a resource"))
            return
        }
        validateResource(resource, parentScope: nil, path: type, extraProfiles: extraProfiles)
        issues = Self.deduplicated(issues)
    }

    /// A resource: its base definition, then each profile it claims or is asked to meet.
    mutating func validateResource(
        _ node: ElementNode, parentScope: FHIRPathScope?, path: String, extraProfiles: [String] = []
    ) {
        guard let type = node.typeName else { return }
        guard depth < Self.maxDepth else {
            issues.append(Issue(.error, .invariant, "resources are nested too deeply to validate", path: path))
            return
        }
        depth += 1
        defer { depth -= 1 }
        let scope = FHIRPathScope(resource: node, parent: parentScope)

        guard let base = baseDefinition(type: type) else {
            issues.append(
                Issue(.error, .profileUnknown, "no definition of the resource type '\(type)' is available", path: path))
            return
        }
        let isBundle = type == "Bundle"
        if isBundle { enterBundle(node, path: path) }
        defer { if isBundle { leaveBundle() } }

        let claimed =
            (node.child(named: "meta")?.children(named: "profile").compactMap(\.value) ?? [])
            + (context.globalProfiles[type] ?? [])
        let outerPass = onBasePass
        let outerRecording = recordingBindings
        defer {
            onBasePass = outerPass
            recordingBindings = outerRecording
        }
        onBasePass = true
        // Bindings are remembered only when profile passes follow, to check each once.
        recordingBindings = !claimed.isEmpty || !extraProfiles.isEmpty
        validate(node, scope: scope, profile: base, index: 0, path: ElementPath(path))
        onBasePass = false

        var seen: Set<String> = [base.url]
        for (url, isClaimed) in claimed.map({ ($0, true) }) + extraProfiles.map({ ($0, false) }) {
            guard seen.insert(url).inserted else { continue }
            guard let profile = context.profiles.profile(url: url) else {
                // Unknown: a warning when only the resource claims it (it is still checked
                // against its type); an error when the caller or a definition requires it.
                issues.append(
                    Issue(
                        isClaimed ? .warning : .error, .profileUnknown,
                        "the profile \(url) is not known, so the resource was not checked against it",
                        path: isClaimed ? path + ".meta.profile" : path))
                continue
            }
            if reportedProfiles.insert(profile.url).inserted {
                issues.append(contentsOf: profile.issues.map(Self.asDefinitionWarning))
            }
            guard context.model.isType(type, a: profile.type) else {
                issues.append(
                    Issue(
                        .error, .profileType,
                        "the profile \(url) constrains '\(profile.type)', not '\(type)'", path: path))
                continue
            }
            validate(node, scope: scope, profile: profile, index: 0, path: ElementPath(path))
        }
        checkResourceRules(node, type: type, path: path)
    }

    /// One element against element `index` of `profile`.
    mutating func validate(
        _ node: ElementNode, scope: FHIRPathScope?, profile: ResolvedProfile, index: Int, path: ElementPath,
        skipConstraintsOf outer: ElementDefinitionInfo? = nil
    ) {
        guard index < profile.elements.count else { return }
        validate(
            node, scope: scope, profile: profile, index: index, def: profile.elements[index], path: path,
            skipConstraintsOf: outer)
    }

    /// ``validate(_:scope:profile:index:path:skipConstraintsOf:)`` with element `index` of
    /// `profile` (`def`) already read by the caller (no second retain of it per element).
    mutating func validate(
        _ node: ElementNode, scope: FHIRPathScope?, profile: ResolvedProfile, index: Int, def: ElementDefinitionInfo,
        path: ElementPath, skipConstraintsOf outer: ElementDefinitionInfo? = nil
    ) {
        guard depth < Self.maxDepth else {
            issues.append(Issue(.error, .invariant, "the element is nested too deeply to validate", path: path.text))
            return
        }
        depth += 1
        defer { depth -= 1 }
        checkOwnRules(
            node, def: def, profile: profile, index: index, scope: scope, path: path, skipConstraintsOf: outer)

        var groups = profile.childGroups(of: index)
        var childProfile = profile
        if groups.isEmpty, let reference = def.contentReference {
            // A content reference (`Parameters.parameter.part` -> `#Parameters.parameter`) means
            // the element as the type defines it: in a profile, the base definition's element,
            // not the profile's constrained one (whose fixed values belong to the outer use).
            let holder =
                profile.definition.isConstraint ? (context.profiles.base(type: profile.type) ?? profile) : profile
            if let target = Self.contentReferenceTarget(reference, in: holder) {
                groups = holder.childGroups(of: target)
                childProfile = holder
            }
        }
        if groups.isEmpty {
            // The profile says nothing more: the children are described by the type's own
            // definition (or the profile the type names).
            guard !node.isResource || index != 0 else { return }
            guard def.hasTypeProfiles else {
                guard !node.children.isEmpty, let typeProfile = typeDefinition(for: node, def: def) else { return }
                validate(node, scope: scope, profile: typeProfile, index: 0, path: path, skipConstraintsOf: def)
                return
            }
            let declared = typeProfileURLs(for: node, def: def)
            let choices = declared.compactMap { context.profiles.profile(url: $0) }
            if choices.count < declared.count {
                for url in declared where context.profiles.profile(url: url) == nil {
                    issues.append(
                        Issue(
                            .warning, .profileUnknown,
                            "the profile \(url) named for this element's type is not known, so the element was checked against its type only",
                            path: path.text, position: node.position))
                }
            }
            if choices.count > 1 {
                validateAgainstChoices(node, scope: scope, choices: choices, def: def, path: path)
                return
            }
            guard !node.children.isEmpty, let typeProfile = typeDefinition(for: node, def: def) else { return }
            validate(node, scope: scope, profile: typeProfile, index: 0, path: path, skipConstraintsOf: def)
            return
        }
        walkChildren(node, scope: scope, profile: childProfile, groups: groups, path: path)
    }

    /// The definition describing the children of `node`: the profile named on its type, else the
    /// base definition of its type.
    mutating func typeDefinition(for node: ElementNode, def: ElementDefinitionInfo) -> ResolvedProfile? {
        guard let type = node.typeName else { return nil }
        if type == "BackboneElement" || type == "Element" { return nil }
        if def.hasTypeProfiles {
            let ref = def.types.first { $0.code == type } ?? (def.types.count == 1 ? def.types[0] : nil)
            if let url = ref?.profiles.first, let p = context.profiles.profile(url: url) { return p }
        }
        return baseDefinition(type: type)
    }

    /// `context.profiles.base(type:)`, remembered for this walk.
    mutating func baseDefinition(type: String) -> ResolvedProfile? {
        for entry in baseDefinitions where entry.type.utf8.count == type.utf8.count && entry.type == type {
            return entry.profile
        }
        guard let found = context.profiles.base(type: type) else { return nil }
        if baseDefinitions.count < 64 { baseDefinitions.append((type, found)) }
        return found
    }

    /// The profiles the definition names for the node's type (`type.profile`).
    func typeProfileURLs(for node: ElementNode, def: ElementDefinitionInfo) -> [String] {
        guard let type = node.typeName else { return [] }
        let ref = def.types.first { $0.code == type } ?? (def.types.count == 1 ? def.types[0] : nil)
        return ref?.profiles ?? []
    }

    /// A type with several profiles: the element must conform to at least one. When none fits,
    /// one error says so and the findings of each choice follow.
    mutating func validateAgainstChoices(
        _ node: ElementNode, scope: FHIRPathScope?, choices: [ResolvedProfile], def: ElementDefinitionInfo,
        path: ElementPath
    ) {
        var failures: [Issue] = []
        for choice in choices {
            var trial = self
            trial.issues = []
            trial.validate(node, scope: scope, profile: choice, index: 0, path: path, skipConstraintsOf: def)
            if !trial.issues.contains(where: { $0.severity <= .error }) {
                issues.append(contentsOf: trial.issues)
                return
            }
            failures.append(contentsOf: trial.issues)
        }
        issues.append(
            Issue(
                .error, .profileNoMatch,
                "the element matches none of the profiles allowed for it: \(choices.map(\.url).joined(separator: ", "))",
                path: path.text, position: node.position))
        issues.append(contentsOf: failures)
    }

    /// `#Questionnaire.item` or `http://...#Questionnaire.item`: the element it points at.
    static func contentReferenceTarget(_ reference: String, in profile: ResolvedProfile) -> Int? {
        guard let hash = reference.firstIndex(of: "#") else { return nil }
        let key = String(reference[reference.index(after: hash)...])
        return profile.element(id: key) ?? profile.element(path: key)
    }

    /// A problem of a profile used to check an instance (its snapshot could not be generated
    /// cleanly) is the profile's, not the instance's: reported as a warning. Validating the
    /// StructureDefinition itself reports it as an error.
    static func asDefinitionWarning(_ issue: Issue) -> Issue {
        var copy = issue
        if copy.severity <= .error { copy.severity = .warning }
        return copy
    }

    /// Identical findings from overlapping profiles (the base and a profile both carry `ele-1`)
    /// are reported once.
    static func deduplicated(_ issues: [Issue]) -> [Issue] {
        guard issues.count > 1 else { return issues }
        var seen: Set<IssueKey> = []
        seen.reserveCapacity(issues.count)
        return issues.filter { seen.insert(IssueKey(issue: $0)).inserted }
    }

    /// An issue compared in full but hashed by its cheap parts (severity, position, lengths of
    /// its texts): hashing every message and path in full costs more than the rare comparison.
    struct IssueKey: Hashable {
        var issue: Issue

        func hash(into hasher: inout Hasher) {
            hasher.combine(issue.severity)
            hasher.combine(issue.position)
            hasher.combine(issue.message.utf8.count)
            hasher.combine(issue.path?.utf8.count ?? -1)
            hasher.combine(issue.code.rawValue.utf8.count)
        }
    }
}
