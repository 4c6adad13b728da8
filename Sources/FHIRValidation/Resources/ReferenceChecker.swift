import FHIRDefinitions
import FHIRModel

/// Checks one `Reference` element: the form of `reference`, that `#id` names a contained
/// resource, resolution inside the enclosing Bundle or Parameters and among the options'
/// ``ReferenceResources``, the target type against the element's `targetProfile`s,
/// `Reference.type`, `aggregation`, and (``ReferenceCheckLevel`` `valid`) the target against the
/// target profiles (`ReferenceChecker+Resolution.swift`).
///
/// Messages never quote the reference text (it carries ids of patient data); they name resource
/// types from the definitions, target profile URLs and Bundle entry positions only.
struct ReferenceChecker {
    /// (`init(context:validator:)` is the synthesized memberwise initializer.)
    let context: ValidationContext
    /// The validator whose options say how far references leaving the input are checked, and
    /// which validates their targets; without it, references are resolved in the input only.
    var validator: Validator? = nil
    /// The element's allowed targets (``allowedTargets(_:)`` of its types), when the caller
    /// remembers them.
    var knownTargets: AllowedTargets? = nil

    typealias AllowedTargets = (any: Bool, types: [String], unresolved: [String])

    /// How a reference was resolved, in the terms of `ElementDefinition.type.aggregation`.
    enum TargetKind: Equatable {
        /// `#id` or `#`, found among the container's contained resources.
        case contained
        /// Found as an entry of the enclosing Bundle.
        case bundled
        /// Not resolved locally: a reference to a resource elsewhere.
        case external
        /// `#id` that matches no contained resource (reported as unresolved).
        case unresolvedLocal
    }

    /// Checks `reference` (a node of type Reference). `types` are the element's types (only the
    /// `Reference` ones are used); `resources` is the chain of enclosing resources, innermost
    /// first; `bundle` and `fullUrl` are the enclosing Bundle and the `fullUrl` of the entry that
    /// holds the resource, when there is one.
    func check(
        _ reference: ElementNode, types: [ElementDefinitionInfo.TypeRef], resources: [ElementNode],
        bundle: BundleIndex?, fullUrl: String?, path: @autoclosure () -> String, into issues: inout [Issue]
    ) {
        var general: [Issue] = []
        var constraints: [Issue] = []
        run(reference, types, resources, bundle, fullUrl, path, general: &general, constraints: &constraints)
        issues.append(contentsOf: general)
        issues.append(contentsOf: constraints)
    }

    /// Only the checks that depend on the element definition (target types, `Reference.type`
    /// against the targets, aggregation): for a further profile on an element whose reference
    /// was checked in full against the base definition, so that form and resolution problems are
    /// reported once.
    func checkConstraints(
        _ reference: ElementNode, types: [ElementDefinitionInfo.TypeRef], resources: [ElementNode],
        bundle: BundleIndex?, fullUrl: String?, path: @autoclosure () -> String, into issues: inout [Issue]
    ) {
        var general: [Issue] = []
        run(reference, types, resources, bundle, fullUrl, path, general: &general, constraints: &issues)
    }

    /// `general`: problems of the reference itself (form, resolution); `constraints`: problems
    /// against the element definition's target profiles and aggregation.
    private func run(
        _ reference: ElementNode, _ types: [ElementDefinitionInfo.TypeRef], _ resources: [ElementNode],
        _ bundle: BundleIndex?, _ fullUrl: String?, _ path: () -> String, general: inout [Issue],
        constraints: inout [Issue]
    ) {
        // (Usually all are: the list is then used as it is.)
        let referenceTypes =
            types.allSatisfy { $0.code == "Reference" } ? types : types.filter { $0.code == "Reference" }
        let position = reference.position
        // (Values read in place: `child(named:)` copies the node.)
        let declaredType = reference.childValue("type")
        guard let text = reference.childValue("reference"), !text.isEmpty else {
            if reference.child(named: "reference") == nil && reference.child(named: "identifier") == nil
                && reference.child(named: "display")?.value == nil && !path().hasPrefix("Bundle.signature")
            {
                general.append(
                    Issue(
                        .warning, .referenceEmpty,
                        "a Reference without a reference or an identifier should have a display", path: path(),
                        position: position))
            }
            if let declaredType {
                checkDeclaredType(declaredType, found: nil, referenceTypes, path, position, &general, &constraints)
            }
            return
        }
        let syntax = ReferenceSyntax(text)
        // (Asked once: the model answers by a hashed name lookup.)
        let namesResourceType = syntax.type.map(context.model.isResourceType) ?? false
        checkFormat(
            syntax, text: text, namesResourceType: namesResourceType, bundle: bundle, path: path, position: position,
            into: &general)

        var target: ElementNode?
        var kind = TargetKind.external
        switch syntax.kind {
        case .local(let id):
            if let found = Self.localTarget(id: id, resources: resources) {
                target = found
                kind = .contained
            } else {
                kind = .unresolvedLocal
                general.append(
                    Issue(
                        .error, .referenceUnresolved,
                        id.isEmpty
                            ? "the reference '#' has no containing resource"
                            : "the local reference matches no contained resource of the containing resource",
                        path: path(), position: position))
            }
        default:
            if let bundle {
                target = resolveInBundle(syntax, bundle: bundle, fullUrl: fullUrl, path: path, position, &general)
                if target != nil { kind = .bundled }
            }
            // Outside the Bundle: another resource of the enclosing Parameters, else a reference
            // resource (the kind stays external for the aggregation rules).
            if target == nil { target = Self.parametersTarget(syntax, resources: resources) }
            if target == nil {
                target = resolveOutside(syntax, resources: resources, path: path, position, &general)
            }
        }

        let implied = namesResourceType ? syntax.type : nil
        if let target, kind != .contained, syntax.kind == .relative || (kind == .external && syntax.kind == .absolute),
            let named = implied, let actual = target.typeName, named != actual
        {
            general.append(
                Issue(
                    .error, .referenceTarget,
                    kind == .bundled
                        ? "the reference names type '\(named)' but resolves to a Bundle entry holding a '\(actual)'"
                        : "the reference names type '\(named)' but resolves to a '\(actual)'",
                    path: path(), position: position))
        }
        let foundType = target?.typeName ?? (kind == .external ? implied : nil)
        if let foundType {
            checkTargetType(foundType, resolved: target != nil, referenceTypes, path, position, &constraints)
        }
        if let declaredType {
            checkDeclaredType(declaredType, found: foundType, referenceTypes, path, position, &general, &constraints)
        }
        checkAggregation(kind, referenceTypes, inBundle: bundle != nil, path, position, &constraints)
        // (`#` names the container, whose own validation is under way.)
        if let target, kind != .unresolvedLocal, syntax.kind != .local(id: "") {
            checkTargetConformance(target, referenceTypes, resources: resources, path: path, position, &constraints)
        }
    }

    /// The resource `#id` refers to: a contained resource of the container (the innermost
    /// enclosing resource that is not itself contained), or the container for `#`.
    static func localTarget(id: String, resources: [ElementNode]) -> ElementNode? {
        guard let container = resources.first(where: { $0.name != "contained" }) else { return nil }
        if id.isEmpty { return container }
        return container.children.first { $0.name == "contained" && $0.childValue("id") == id }
    }

    // MARK: - Form

    /// `namesResourceType`: whether `syntax.type` is a resource type of the model.
    private func checkFormat(
        _ syntax: ReferenceSyntax, text: String, namesResourceType: Bool, bundle: BundleIndex?, path: () -> String,
        position: SourcePosition, into issues: inout [Issue]
    ) {
        let model = context.model
        switch syntax.kind {
        case .local, .absolute:
            break
        case .urn:
            let lower = text.lowercased()
            let valid =
                lower.hasPrefix("urn:uuid:")
                ? ReferenceSyntax.isValidUUIDURN(text) : ReferenceSyntax.isValidOIDURN(text)
            if !valid {
                issues.append(
                    Issue(
                        .warning, .referenceFormat,
                        lower.hasPrefix("urn:uuid:")
                            ? "the urn:uuid reference is not a valid UUID" : "the urn:oid reference is not a valid OID",
                        path: path(), position: position))
            }
        case .relative:
            let typeOK = namesResourceType
            let idOK = syntax.id.map(ReferenceSyntax.isValidID) ?? false
            let versionOK = syntax.version.map(ReferenceSyntax.isValidID) ?? true
            if !(typeOK && idOK && versionOK) {
                issues.append(
                    Issue(
                        .warning, .referenceFormat,
                        typeOK
                            ? "the reference does not have a valid id (Type/id with 1-64 of A-Z a-z 0-9 - .)"
                            : "the reference does not start with a known resource type (Type/id)",
                        path: path(), position: position))
            }
        case .conditional:
            let searchOK = Self.isSearchURL(syntax, text: text, model: model)
            let transaction = bundle?.bundleType == "transaction" || bundle?.bundleType == "batch"
            if bundle != nil && !(transaction && searchOK) {
                issues.append(
                    Issue(
                        .error, .referenceFormat,
                        transaction
                            ? "a relative reference must be Type/id or a search URL (Type?name=value&...)"
                            : "a relative reference must be Type/id (conditional references are only for transactions)",
                        path: path(), position: position))
            } else if bundle == nil {
                issues.append(
                    Issue(
                        .warning, .referenceFormat,
                        "a conditional reference (Type?search) only has meaning inside a transaction", path: path(),
                        position: position))
            }
        case .malformedRelative:
            if bundle != nil {
                issues.append(
                    Issue(
                        .error, .referenceFormat,
                        "a relative reference inside a Bundle must be Type/id or Type/id/_history/vid", path: path(),
                        position: position))
            } else {
                issues.append(
                    Issue(
                        .warning, .referenceFormat,
                        "the reference does not have the form Type/id or Type/id/_history/vid and should be checked",
                        path: path(), position: position))
            }
        }
    }

    /// `Type?name=value(&name=value)*` with a known resource type.
    static func isSearchURL(_ syntax: ReferenceSyntax, text: String, model: ModelInfo) -> Bool {
        guard let type = syntax.type, model.isResourceType(type), let q = text.firstIndex(of: "?") else { return false }
        let query = text[text.index(after: q)...]
        guard !query.isEmpty else { return false }
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let first = parts[0].first, first.isLetter || first == "_",
                !parts[1].contains("=")
            else { return false }
        }
        return true
    }

    // MARK: - Bundle resolution

    private func resolveInBundle(
        _ syntax: ReferenceSyntax, bundle: BundleIndex, fullUrl: String?, path: () -> String,
        _ position: SourcePosition,
        _ issues: inout [Issue]
    ) -> ElementNode? {
        switch bundle.resolution(of: syntax, fromFullUrl: fullUrl) {
        case .found(let i):
            return bundle.entries[i].resource
        case .ambiguous(let list):
            if bundle.bundleType != "history" {
                issues.append(
                    Issue(
                        .error, .referenceAmbiguous,
                        "the reference matches \(list.count) Bundle entries (entries "
                            + list.map(String.init).joined(separator: ", ") + ")",
                        path: path(), position: position))
            }
            return list.first.flatMap { bundle.entries[$0].resource }
        case .notApplicable:
            return nil
        case .notFound:
            if syntax.kind == .urn {
                issues.append(
                    Issue(
                        .warning, .referenceUnresolved, "the urn reference matches no entry of the Bundle",
                        path: path(),
                        position: position))
            } else if syntax.kind == .relative, let type = syntax.type, let id = syntax.id,
                context.model.isResourceType(type)
            {
                let candidates = bundle.entryIndices(type: type, id: id)
                if candidates.count > 1 {
                    issues.append(
                        Issue(
                            .warning, .referenceAmbiguous,
                            "the reference matches no entry by the Bundle resolution rules, but \(candidates.count) "
                                + "entries hold a '\(type)' with its id",
                            path: path(), position: position))
                }
                for i in candidates {
                    let why =
                        bundle.entries[i].fullUrl == nil
                        ? "it has no fullUrl" : "its fullUrl is not the one the reference resolves to"
                    issues.append(
                        Issue(
                            .warning, .referenceAmbiguous,
                            "Bundle entry \(i) holds a '\(type)' with the referenced id, but \(why) "
                                + "by the Bundle resolution rules",
                            path: path(), position: position))
                }
            }
            return nil
        }
    }

    // MARK: - Types

    /// The resource types the element's target profiles allow; `any` when there are none or
    /// one of them is the base `Resource`. Target profiles that cannot be resolved are listed.
    func allowedTargets(_ referenceTypes: [ElementDefinitionInfo.TypeRef]) -> (
        any: Bool, types: [String], unresolved: [String]
    ) {
        if let knownTargets { return knownTargets }
        let profiles = referenceTypes.flatMap(\.targetProfiles)
        if profiles.isEmpty { return (true, [], []) }
        let key = ValidationContext.TargetProfiles(urls: profiles)
        if let hit = context.allowedTargets.withLock({ $0[key] }) { return hit }
        let found = computeAllowedTargets(profiles)
        context.allowedTargets.withLock { $0[key] = found }
        return found
    }

    private func computeAllowedTargets(_ profiles: [String]) -> (any: Bool, types: [String], unresolved: [String]) {
        var types: [String] = []
        var unresolved: [String] = []
        for url in profiles {
            let plain = url.split(separator: "|", maxSplits: 1).first.map(String.init) ?? url
            var type: String?
            if plain.hasPrefix(DefinitionStore.coreStructureDefinitionBase) {
                let name = String(plain.dropFirst(DefinitionStore.coreStructureDefinitionBase.count))
                if context.model.type(named: name)?.kind == .resource { type = name }
            }
            if type == nil { type = context.profiles.profile(url: url)?.type }
            guard let type, !type.isEmpty else {
                unresolved.append(url)
                continue
            }
            if type == "Resource" { return (true, [], unresolved) }
            if !types.contains(type) { types.append(type) }
        }
        return (false, types.sorted(), unresolved)
    }

    private func checkTargetType(
        _ found: String, resolved: Bool, _ referenceTypes: [ElementDefinitionInfo.TypeRef], _ path: () -> String,
        _ position: SourcePosition, _ issues: inout [Issue]
    ) {
        let allowed = allowedTargets(referenceTypes)
        if resolved {
            for url in allowed.unresolved {
                issues.append(
                    Issue(
                        .error, .profileUnknown, "the target profile \(url) could not be resolved", path: path(),
                        position: position))
            }
        }
        guard !allowed.any else { return }
        // An implied type is only checked against the target profiles that could be resolved.
        if !resolved && allowed.types.isEmpty { return }
        if allowed.types.contains(where: { context.model.isType(found, a: $0) }) { return }
        let how = resolved ? "the referenced resource is a '\(found)'" : "the reference implies type '\(found)'"
        issues.append(
            Issue(
                .error, .referenceTarget,
                "\(how), which is not a valid target for this element (must be one of ["
                    + allowed.types.joined(separator: ", ") + "])",
                path: path(), position: position))
    }

    private func checkDeclaredType(
        _ declared: String, found: String?, _ referenceTypes: [ElementDefinitionInfo.TypeRef], _ path: () -> String,
        _ position: SourcePosition, _ general: inout [Issue], _ issues: inout [Issue]
    ) {
        guard context.model.isResourceType(declared) else { return }
        let allowed = allowedTargets(referenceTypes)
        if !allowed.any && !allowed.types.isEmpty
            && !allowed.types.contains(where: { context.model.isType(declared, a: $0) })
        {
            issues.append(
                Issue(
                    .error, .referenceTarget,
                    "Reference.type '\(declared)' is not a valid target for this element (must be one of ["
                        + allowed.types.joined(separator: ", ") + "])",
                    path: path(), position: position))
        }
        if let found, found != declared {
            general.append(
                Issue(
                    .error, .referenceTarget,
                    "Reference.type '\(declared)' does not match the referenced resource type '\(found)'", path: path(),
                    position: position))
        }
    }

    // MARK: - Aggregation

    private func checkAggregation(
        _ kind: TargetKind, _ referenceTypes: [ElementDefinitionInfo.TypeRef], inBundle: Bool, _ path: () -> String,
        _ position: SourcePosition, _ issues: inout [Issue]
    ) {
        var modes: [String] = []
        for mode in referenceTypes.flatMap(\.aggregation) where !modes.contains(mode) { modes.append(mode) }
        guard !modes.isEmpty else { return }
        let ok: Bool
        let what: String
        switch kind {
        case .unresolvedLocal:
            return
        case .contained:
            ok = modes.contains("contained")
            what = "to a contained resource"
        case .bundled:
            ok = modes.contains("bundled") || modes.contains("referenced")
            what = "to a Bundle entry"
        case .external:
            // Outside a Bundle, "bundled" cannot be decided: only a contained-only rule applies.
            ok = modes.contains("referenced") || (!inBundle && modes.contains("bundled"))
            what = inBundle ? "not to an entry of the Bundle or a contained resource" : "not to a contained resource"
        }
        if !ok {
            issues.append(
                Issue(
                    .error, .referenceAggregation,
                    "the reference is \(what), which the aggregation mode(s) of this element do not allow ("
                        + modes.joined(separator: ", ") + ")",
                    path: path(), position: position))
        }
    }
}
