import FHIRModel

extension IssueCode {
    /// An OperationDefinition's `inputProfile`/`outputProfile` that does not describe the same
    /// parameters as its `parameter` list (names, cardinality, types, profiles).
    public static let operationProfile: IssueCode = "VAL-OPERATION-PROFILE"
}

/// Rules on an OperationDefinition that its invariants cannot express: the Parameters profiles it
/// names (`inputProfile` for the `in` parameters, `outputProfile` for the `out` ones) must agree
/// with its parameter list.
///
/// A parameter of such a profile is a slice of `Parameters.parameter` whose `name` is fixed (or
/// patterned) to the parameter's name. For each one:
/// - a slice the operation does not list, and a parameter the profile has no slice for, are
///   warnings (the profile may be open; the operation's list is the contract);
/// - `min` and `max` must be the same (errors);
/// - types: the types the slice allows (its `value[x]` types and its `resource` types, each kind
///   only when the profile narrows it; a kind with `max` 0 allows nothing) must be the
///   parameter's `type`, and the parameter's `type` must be allowed (errors);
/// - profiles: the parameter's `targetProfile` list and the profiles of the slice's matching
///   types must name the same profiles (errors either way). For a Reference or canonical
///   parameter those are the slice's `type.targetProfile`; for a resource parameter, whose
///   `targetProfile` names the profiles the resource itself must meet (what the corrected opd-3,
///   R4B/R5, allows), they are the slice's `type.profile`.
struct OperationDefinitionRules {
    let context: ValidationContext

    /// One parameter of the operation definition.
    struct Parameter {
        var name: String
        var min: Int?
        var max: String?
        var type: String?
        var targetProfiles: [String]
        var node: ElementNode
        var index: Int
    }

    /// One parameter slice of a Parameters profile.
    struct ProfileParameter {
        var name: String
        var min: Int
        var max: String
        /// The `value[x]` and `resource` child definitions: `nil` when the profile leaves that kind
        /// as the base has it, else its type codes with their profiles (empty when prohibited).
        var valueTypes: [ElementDefinitionInfo.TypeRef]?
        var resourceTypes: [ElementDefinitionInfo.TypeRef]?
    }

    func check(_ definition: ElementNode, path: String, into issues: inout [Issue]) {
        let parameters = definition.children(named: "parameter").enumerated().compactMap { i, node in
            node.childValue("name").map { name in
                Parameter(
                    name: name, min: node.childValue("min").flatMap { Int($0) }, max: node.childValue("max"),
                    type: node.childValue("type"),
                    targetProfiles: node.children(named: "targetProfile").compactMap(\.value),
                    node: node, index: i)
            }
        }
        for (use, element) in [("in", "inputProfile"), ("out", "outputProfile")] {
            guard let profileNode = definition.child(named: element), let url = profileNode.value else { continue }
            let elementPath = "\(path).\(element)"
            guard let profile = context.profiles.profile(url: url) else {
                issues.append(
                    Issue(
                        .warning, .operationProfile,
                        "The '\(use)' profile \(url) cannot be found, so the parameters are not compared with it",
                        path: elementPath, position: profileNode.position))
                continue
            }
            guard profile.type == "Parameters" else {
                issues.append(
                    Issue(
                        .error, .operationProfile,
                        "The '\(use)' profile \(url) constrains \(profile.type), not Parameters",
                        path: elementPath, position: profileNode.position))
                continue
            }
            compare(
                parameters.filter { $0.node.childValue("use") == use }, with: Self.parameters(of: profile), use: use,
                url: url, path: elementPath, at: profileNode.position, into: &issues)
        }
    }

    private func compare(
        _ parameters: [Parameter], with slices: [ProfileParameter], use: String, url: String, path: String,
        at position: SourcePosition, into issues: inout [Issue]
    ) {
        for slice in slices where !parameters.contains(where: { $0.name == slice.name }) {
            issues.append(
                Issue(
                    .warning, .operationProfile,
                    "The '\(use)' profile \(url) defines a parameter '\(slice.name)' that the operation definition does not list",
                    path: path, position: position))
        }
        for parameter in parameters {
            let parameterPath = "\(path).parameter[\(parameter.index)]"
            let at = parameter.node.position
            guard let slice = slices.first(where: { $0.name == parameter.name }) else {
                issues.append(
                    Issue(
                        .warning, .operationProfile,
                        "The '\(use)' profile \(url) has no parameter '\(parameter.name)', which the operation definition lists",
                        path: parameterPath, position: at))
                continue
            }
            var problems: [String] = []
            if let min = parameter.min, min != slice.min {
                problems.append("has min \(slice.min) in the profile but \(min) in the operation definition")
            }
            if let max = parameter.max, max != slice.max {
                problems.append("has max \(slice.max) in the profile but \(max) in the operation definition")
            }
            if let type = parameter.type { problems += typeProblems(type, parameter.targetProfiles, slice) }
            for problem in problems {
                issues.append(
                    Issue(
                        .error, .operationProfile,
                        "The parameter '\(parameter.name)' \(problem) (the '\(use)' profile \(url))",
                        path: parameterPath, position: at))
            }
        }
    }

    /// Type and profile disagreements between an operation parameter and its profile slice.
    private func typeProblems(_ type: String, _ targetProfiles: [String], _ slice: ProfileParameter) -> [String] {
        let isResource = type == "Resource" || type == "DomainResource" || context.model.isResourceType(type)
        var problems: [String] = []
        // The types the slice states (the kinds it narrows).
        let stated = (slice.valueTypes ?? []) + (slice.resourceTypes ?? [])
        for code in Set(stated.map(\.code)).sorted() where code != type && !covers(type, code) {
            problems.append(
                "allows the type \(code) in the profile, which the operation definition (type \(type)) does not")
        }
        // The parameter's type must be allowed by the kind it belongs to.
        let kind = isResource ? slice.resourceTypes : slice.valueTypes
        let matching = kind?.filter { $0.code == type || covers($0.code, type) }
        if let kind, matching?.isEmpty ?? true {
            let allowed = kind.isEmpty ? "none" : kind.map(\.code).joined(separator: ", ")
            problems.append("does not allow the type \(type) in the profile (which allows \(allowed))")
        }
        // Profiles, compared on the types both allow.
        guard let matching, !matching.isEmpty else { return problems }
        let profiles = Set(matching.flatMap { isResource ? $0.profiles : $0.targetProfiles })
        let expected = Set(targetProfiles)
        for p in profiles.subtracting(expected).sorted() {
            problems.append(
                "has the profile \(p) in the profile, which the operation definition's targetProfile does not list")
        }
        for p in expected.subtracting(profiles).sorted() {
            problems.append(
                "has the targetProfile \(p) in the operation definition, which the profile does not require")
        }
        return problems
    }

    /// Whether a type code `general` allows `specific` (any resource for Resource and DomainResource).
    private func covers(_ general: String, _ specific: String) -> Bool {
        (general == "Resource" || general == "DomainResource") && context.model.isResourceType(specific)
    }

    /// The parameter slices of a Parameters profile (slices of `Parameters.parameter` with a fixed
    /// or patterned `name`).
    static func parameters(of profile: ResolvedProfile) -> [ProfileParameter] {
        guard let root = profile.elements.indices.first,
            let group = profile.childGroups(of: root).first(where: {
                profile.elements[$0.base].path == "Parameters.parameter"
            })
        else { return [] }
        let base = profile.elements[group.base]
        let baseKinds = kinds(of: group.base, in: profile)
        return group.slices.compactMap { s in
            let slice = profile.elements[s]
            let children = profile.children(of: s).map { profile.elements[$0] }
            guard let nameDefinition = children.first(where: { $0.path == "Parameters.parameter.name" }),
                let name = (nameDefinition.fixed ?? nameDefinition.pattern)?.value.stringValue
            else { return nil }
            let kinds = kinds(of: s, in: profile)
            return ProfileParameter(
                name: name, min: slice.min, max: slice.max.isEmpty ? base.max : slice.max,
                valueTypes: narrowed(kinds.value, from: baseKinds.value),
                resourceTypes: narrowed(kinds.resource, from: baseKinds.resource))
        }
    }

    /// The `value[x]` and `resource` definitions under a parameter element: their types, or
    /// nothing when prohibited (`max` 0); `nil` when the element has no such child.
    private static func kinds(of index: Int, in profile: ResolvedProfile) -> (
        value: [ElementDefinitionInfo.TypeRef]?, resource: [ElementDefinitionInfo.TypeRef]?
    ) {
        var value: [ElementDefinitionInfo.TypeRef]?
        var resource: [ElementDefinitionInfo.TypeRef]?
        for child in profile.children(of: index).map({ profile.elements[$0] }) where child.sliceName == nil {
            let types = child.max == "0" ? [] : child.types
            if child.path == "Parameters.parameter.value[x]" { value = types }
            if child.path == "Parameters.parameter.resource" { resource = types }
        }
        return (value, resource)
    }

    /// A slice's kind as stated: `nil` when it is what the base (unsliced) parameter has.
    private static func narrowed(
        _ kind: [ElementDefinitionInfo.TypeRef]?, from base: [ElementDefinitionInfo.TypeRef]?
    ) -> [ElementDefinitionInfo.TypeRef]? {
        guard let kind else { return nil }
        if let base, kind == base { return nil }
        return kind
    }
}
