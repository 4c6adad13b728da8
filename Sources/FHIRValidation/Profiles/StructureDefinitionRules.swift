import FHIRModel

/// Rules on a StructureDefinition's own content that its invariants cannot express: the slicings
/// of its differential and snapshot (where a slicing may stand, discriminator paths that name
/// something in the sliced element's types, a slicing restated inside the slicing it refines
/// that contradicts it), and the rules of obligation profiles (``ObligationProfileRules``).
///
/// Snapshot generation problems are reported separately (`checkSnapshotGeneration`).
struct StructureDefinitionRules {
    let context: ValidationContext

    /// Checks `definition` (a StructureDefinition resource node at FHIRPath location `path`).
    func check(_ definition: ElementNode, path: String, into issues: inout [Issue]) {
        let paths = DiscriminatorPathCheck(model: context.model)
        for listName in ["differential", "snapshot"] {
            guard let list = definition.child(named: listName) else { continue }
            let elements = list.children(named: "element")
            let listPath = "\(path).\(listName)"
            for (i, element) in elements.enumerated() {
                checkSlicing(element, path: "\(listPath).element[\(i)]", paths: paths, into: &issues)
            }
            if listName == "differential" {
                checkRestatedSlicings(elements, listPath: listPath, into: &issues)
            }
        }
        ObligationProfileRules(context: context).check(definition, path: path, into: &issues)
    }

    /// Where a slicing may stand, and whether its discriminator paths name something.
    private func checkSlicing(
        _ element: ElementNode, path: String, paths: DiscriminatorPathCheck, into issues: inout [Issue]
    ) {
        guard let slicingNode = element.child(named: "slicing"), let elementPath = element.childValue("path") else {
            return
        }
        let slicingPath = path + ".slicing"
        if !elementPath.contains(".") {
            issues.append(
                Issue(
                    .error, .sdSlicing, "The root element \(elementPath) cannot be sliced", path: slicingPath,
                    position: slicingNode.position))
        } else if let summary = paths.element(at: elementPath)?.summary, !summary.isArray, !summary.isChoice {
            issues.append(
                Issue(
                    .error, .sdSlicing,
                    "The element \(elementPath) neither repeats nor is a choice of types, so it cannot be sliced",
                    path: slicingPath, position: slicingNode.position))
        }
        let typeCodes = element.children(named: "type").compactMap { $0.childValue("code") }
        let scope = paths.startScope(path: elementPath, typeCodes: typeCodes)
        for (j, discriminator) in slicingNode.children(named: "discriminator").enumerated() {
            let discriminatorPath = "\(slicingPath).discriminator[\(j)]"
            if discriminator.childValue("type") == "pattern" {
                issues.append(
                    Issue(
                        .information, .sdDiscriminatorDeprecated,
                        "The discriminator type 'pattern' is deprecated from R5 on; type 'value' with a pattern[x] on the slices does the same",
                        path: discriminatorPath, position: discriminator.position))
            }
            guard let expression = discriminator.childValue("path"),
                paths.isValid(expression, from: scope) == false
            else { continue }
            issues.append(
                Issue(
                    .error, .sdDiscriminatorPath,
                    "The discriminator path '\(expression)' names nothing in the types of the sliced element \(elementPath)",
                    path: discriminatorPath, position: discriminator.position))
        }
    }

    /// A slice (or reslice) that states a slicing of its own refines the slicing of the element it
    /// is a slice of: it must keep that slicing's discriminators (it may add more) and must not
    /// loosen its rules (closed -> open) or its order. Only slicings stated in this differential
    /// are compared (the base's are the snapshot generator's concern).
    private func checkRestatedSlicings(_ elements: [ElementNode], listPath: String, into issues: inout [Issue]) {
        var slicings: [String: SlicingView] = [:]
        for element in elements {
            if let id = element.childValue("id"), let view = SlicingView(element) { slicings[id] = view }
        }
        guard !slicings.isEmpty else { return }
        for (i, element) in elements.enumerated() {
            guard let id = element.childValue("id"), let sliceName = element.childValue("sliceName"),
                let restated = slicings[id], let outerID = Self.slicedElementID(id: id, sliceName: sliceName),
                let outer = slicings[outerID], let problem = restated.contradiction(of: outer)
            else { continue }
            issues.append(
                Issue(
                    .error, .sdSlicing,
                    "The element \(outerID) defines the slicing (\(outer.summary)), but \(id), a slice in it, redefines it as (\(restated.summary)): \(problem)",
                    path: "\(listPath).element[\(i)].slicing", position: element.position))
        }
    }

    /// The id of the element whose slicing a slice belongs to: `A.b` for `A.b:s`, `A.b:s` for the
    /// reslice `A.b:s/r`.
    static func slicedElementID(id: String, sliceName: String) -> String? {
        guard id.hasSuffix(":" + sliceName) else { return nil }
        let base = String(id.dropLast(sliceName.count + 1))
        guard let slash = sliceName.lastIndex(of: "/") else { return base }
        return base + ":" + sliceName[..<slash]
    }
}

/// An ElementDefinition's slicing as written.
struct SlicingView: Equatable {
    struct Discriminator: Hashable {
        var type: String
        var path: String
    }

    var discriminators: [Discriminator]
    var ordered: Bool?
    var rules: String?

    init?(_ element: ElementNode) {
        guard let slicing = element.child(named: "slicing") else { return nil }
        discriminators = slicing.children(named: "discriminator").map {
            Discriminator(type: $0.childValue("type") ?? "", path: $0.childValue("path") ?? "")
        }
        ordered = slicing.childValue("ordered").map { $0 == "true" }
        rules = slicing.childValue("rules")
    }

    var summary: String {
        let d =
            discriminators.isEmpty
            ? "no discriminator" : discriminators.map { "\($0.type):\($0.path)" }.joined(separator: ", ")
        let o = ordered.map { $0 ? "ordered" : "unordered" } ?? "order not stated"
        return "\(d); rules \(rules ?? "not stated"); \(o)"
    }

    /// What this slicing (restated inside `outer`) changes that it may not, or `nil`.
    func contradiction(of outer: SlicingView) -> String? {
        // `pattern` and `value` discriminate the same way.
        func normalized(_ d: Discriminator) -> Discriminator {
            Discriminator(type: d.type == "pattern" ? "value" : d.type, path: d.path)
        }
        let own = Set(discriminators.map(normalized))
        let dropped = outer.discriminators.filter { !own.contains(normalized($0)) }
        if !dropped.isEmpty {
            return "it drops the discriminator " + dropped.map { "\($0.type):\($0.path)" }.joined(separator: ", ")
        }
        if let rules, let outerRules = outer.rules, Self.rank(rules) < Self.rank(outerRules) {
            return "its rules (\(rules)) are looser than \(outerRules)"
        }
        if outer.ordered == true, ordered == false {
            return "it drops the order"
        }
        return nil
    }

    private static func rank(_ rules: String) -> Int {
        switch rules {
        case "closed": 2
        case "openAtEnd": 1
        default: 0
        }
    }
}
