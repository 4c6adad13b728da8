import FHIRModel
import FHIRPath

/// References that leave the input: siblings in a Parameters resource, the options'
/// ``ReferenceResources``, and what ``ReferenceCheckLevel`` asks of them.
extension ReferenceChecker {
    /// How long a chain of references followed for level `valid` may grow (resources whose
    /// validation led to the current one).
    static let maxReferenceChain = 8

    var referenceCheck: ReferenceCheckLevel { validator?.options.referenceCheck ?? .syntax }

    // MARK: - Parameters

    /// `Type/id` naming another resource of the nearest enclosing Parameters (an operation's
    /// inputs refer to each other: a Coverage parameter's beneficiary is the Patient parameter).
    static func parametersTarget(_ syntax: ReferenceSyntax, resources: [ElementNode]) -> ElementNode? {
        guard syntax.kind == .relative, let type = syntax.type, let id = syntax.id,
            let parameters = resources.first(where: { $0.typeName == "Parameters" && $0.name != "contained" })
        else { return nil }
        return parameterResource(in: parameters, type: type, id: id, depth: 0)
    }

    private static func parameterResource(in node: ElementNode, type: String, id: String, depth: Int) -> ElementNode? {
        guard depth < 16 else { return nil }
        for parameter in node.children where parameter.name == "parameter" || parameter.name == "part" {
            if let resource = parameter.children.first(where: { $0.name == "resource" && $0.isResource }),
                resource.typeName == type, resource.childValue("id") == id
            {
                return resource
            }
            if let found = parameterResource(in: parameter, type: type, id: id, depth: depth + 1) { return found }
        }
        return nil
    }

    // MARK: - Reference resources

    /// A reference that is neither contained nor resolved in the enclosing Bundle or Parameters:
    /// looked up among the reference resources. At level `exists` or `valid`, a relative or
    /// `urn:` reference that is not found is an error (unless it names a resource whose
    /// validation is under way: an enclosing resource, or one a chain of references came from);
    /// an absolute URL that is not found points outside what is held locally and is reported as
    /// not checked.
    func resolveOutside(
        _ syntax: ReferenceSyntax, resources: [ElementNode], path: () -> String, _ position: SourcePosition,
        _ issues: inout [Issue]
    ) -> ElementNode? {
        switch syntax.kind {
        case .relative, .urn, .absolute: break
        case .local, .conditional, .malformedRelative: return nil
        }
        if let resources = validator?.options.referenceResources {
            switch resources.resolve(syntax, isResourceType: context.model.isResourceType) {
            case .found(let entry):
                return entry.resource
            case .ambiguous(let list):
                issues.append(
                    Issue(
                        .warning, .referenceLocalAmbiguous,
                        "the reference matches \(list.count) different reference resources; the first is used",
                        path: path(), position: position))
                return list.first?.resource
            case .notFound:
                break
            }
        }
        guard referenceCheck != .syntax else { return nil }
        if syntax.kind == .relative, let type = syntax.type, let id = syntax.id,
            referenceChain(resources).contains(type + "/" + id)
        {
            return nil
        }
        if syntax.kind == .absolute {
            issues.append(
                Issue(
                    .information, .referenceNotChecked,
                    "the absolute reference matches no resource held locally, so its target was not checked",
                    path: path(), position: position))
        } else {
            let what = syntax.type.flatMap { context.model.isResourceType($0) ? "a '\($0)' with that id" : nil }
            issues.append(
                Issue(
                    .error, .referenceNotFound,
                    "the reference cannot be resolved: neither the input nor the reference resources hold "
                        + (what ?? "its target"),
                    path: path(), position: position))
        }
        return nil
    }

    // MARK: - Target conformance (level valid)

    /// `Type/id` of a resource that is not contained (contained ids are only local).
    static func chainKey(_ resource: ElementNode) -> String? {
        guard resource.name != "contained", let type = resource.typeName, let id = resource.childValue("id"),
            !id.isEmpty
        else { return nil }
        return type + "/" + id
    }

    /// The resources whose validation is under way, outermost first: the chain the options
    /// carry, then the enclosing resources of the input.
    func referenceChain(_ resources: [ElementNode]) -> [String] {
        var chain = validator?.options.referenceChain ?? []
        for resource in resources.reversed() {
            if let key = Self.chainKey(resource) { chain.append(key) }
        }
        return chain
    }

    /// Level `valid`: the target must conform to one of the element's target profiles that
    /// apply to its type (its type's base definition when the element names none, or `Resource`).
    /// A target whose validation is already under way (a chain of references back to a resource
    /// being validated) is taken as conforming, as the check of that resource goes on.
    func checkTargetConformance(
        _ target: ElementNode, _ referenceTypes: [ElementDefinitionInfo.TypeRef], resources: [ElementNode],
        path: () -> String, _ position: SourcePosition, _ issues: inout [Issue]
    ) {
        guard referenceCheck == .valid, let validator, let type = target.typeName else { return }
        let chain = referenceChain(resources)
        if let key = Self.chainKey(target), chain.contains(key) { return }
        guard chain.count < Self.maxReferenceChain else {
            issues.append(
                Issue(
                    .information, .referenceChainDepth,
                    "the chain of references is too long to follow: the target was not validated",
                    path: path(), position: position))
            return
        }
        let candidates = targetProfiles(for: type, referenceTypes)
        guard !candidates.isEmpty else { return }

        var options = validator.options
        options.referenceChain = chain
        let nested = Validator(context: context, options: options)
        var failures: [(url: String, errors: [Issue])] = []
        for profile in candidates {
            let errors = Self.errors(of: target, type: type, against: profile, validator: nested)
            if errors.isEmpty { return }
            failures.append((profile.url, errors))
        }
        issues.append(
            Issue(
                .error, .referenceTargetProfile,
                "the referenced '\(type)' conforms to none of the target profiles ("
                    + failures.map(\.url).joined(separator: ", ") + ")",
                path: path(), position: position))
        for failure in failures {
            guard let first = failure.errors.first else { continue }
            issues.append(
                Issue(
                    .information, .referenceTargetDetails,
                    "against \(failure.url): \(failure.errors.count) error(s), the first at "
                        + "\(first.path ?? type): \(first.message)",
                    path: path(), position: position))
        }
    }

    /// The resolved target profiles whose type the target has, or its type's base definition
    /// when the element names no target profile (or one for any resource).
    private func targetProfiles(
        for type: String, _ referenceTypes: [ElementDefinitionInfo.TypeRef]
    ) -> [ResolvedProfile] {
        let urls = referenceTypes.flatMap(\.targetProfiles)
        var anyResource = urls.isEmpty
        var found: [ResolvedProfile] = []
        for url in urls {
            guard let profile = context.profiles.profile(url: url) else { continue }
            if profile.type == "Resource" || profile.type == "DomainResource" {
                anyResource = true
            } else if context.model.isType(type, a: profile.type), !found.contains(where: { $0.url == profile.url }) {
                found.append(profile)
            }
        }
        if found.isEmpty && anyResource, let base = context.profiles.base(type: type) { return [base] }
        return found
    }

    /// The error and fatal findings of `target` against one profile (a Bundle through its full
    /// resource walk, so that its entries resolve inside it).
    private static func errors(
        of target: ElementNode, type: String, against profile: ResolvedProfile, validator: Validator
    ) -> [Issue] {
        var walker = ResourceWalker(validator: validator)
        if type == "Bundle" {
            walker.validateResource(target, parentScope: nil, path: type, extraProfiles: [profile.url])
        } else {
            walker.validate(
                target, scope: FHIRPathScope(resource: target, parent: nil), profile: profile, index: 0,
                path: ElementPath(type))
        }
        return ResourceWalker.deduplicated(walker.issues).filter { $0.severity <= .error }
    }
}
