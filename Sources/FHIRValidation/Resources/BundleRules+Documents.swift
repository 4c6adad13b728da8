import FHIRModel

/// Documents and messages: the first resource's key references must resolve inside the Bundle,
/// and every entry must be reachable from the first one by following references (documents:
/// error; messages: warning), as the FHIR R4 document and messaging pages require.
extension BundleRules {
    static func checkDocument(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        guard let first = firstResource(index: index, kind: "document", path: path, into: &issues) else { return }
        // bdl-11 reports a first resource that is not a Composition.
        if first.resource.typeName == "Composition" {
            var refs = KeyReferences(index: index, fullUrl: index.entries[0].fullUrl, owner: "Composition")
            let base = path + ".entry[0].resource"
            let composition = first.resource
            refs.check(composition, "subject", repeats: false, base, &issues)
            refs.check(composition, "author", repeats: true, base, &issues)
            refs.check(composition, "encounter", repeats: false, base, &issues)
            refs.check(composition, "custodian", repeats: false, base, &issues)
            for (i, attester) in composition.children(named: "attester").enumerated() {
                refs.check(attester, "party", repeats: false, base + ".attester[\(i)]", &issues)
            }
            for (i, event) in composition.children(named: "event").enumerated() {
                refs.check(event, "detail", repeats: true, base + ".event[\(i)]", &issues)
            }
            checkSections(composition, path: base, refs: &refs, into: &issues)
        }
        checkReachability(bundle, index: index, path: path, orphanSeverity: .error, into: &issues)
    }

    static func checkMessage(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        guard let first = firstResource(index: index, kind: "message", path: path, into: &issues) else { return }
        // bdl-12 reports a first resource that is not a MessageHeader.
        if first.resource.typeName == "MessageHeader" {
            var refs = KeyReferences(index: index, fullUrl: index.entries[0].fullUrl, owner: "MessageHeader")
            refs.check(first.resource, "focus", repeats: true, path + ".entry[0].resource", &issues)
        }
        checkReachability(bundle, index: index, path: path, orphanSeverity: .warning, into: &issues)
    }

    /// The first entry's resource, or nil after reporting that a document or message has none.
    private static func firstResource(index: BundleIndex, kind: String, path: String, into issues: inout [Issue])
        -> (resource: ElementNode, position: SourcePosition)?
    {
        guard let entry = index.entries.first else {
            issues.append(
                Issue(.error, .bundleRule, "a \(kind) Bundle must contain at least one entry", path: path))
            return nil
        }
        guard let resource = entry.resource else {
            issues.append(
                Issue(
                    .error, .bundleRule, "the first entry of a \(kind) Bundle must have a resource",
                    path: path + ".entry[0]", position: entry.position))
            return nil
        }
        return (resource, entry.position)
    }

    /// Sections (recursively): their author, focus and entry references.
    private static func checkSections(
        _ parent: ElementNode, path: String, refs: inout KeyReferences, into issues: inout [Issue], depth: Int = 0
    ) {
        guard depth < 64 else { return }
        for (i, section) in parent.children(named: "section").enumerated() {
            let sectionPath = path + ".section[\(i)]"
            refs.check(section, "author", repeats: true, sectionPath, &issues)
            refs.check(section, "focus", repeats: false, sectionPath, &issues)
            refs.check(section, "entry", repeats: true, sectionPath, &issues)
            checkSections(section, path: sectionPath, refs: &refs, into: &issues, depth: depth + 1)
        }
    }

    /// Checks that references of the Composition or MessageHeader resolve inside the Bundle.
    struct KeyReferences {
        let index: BundleIndex
        let fullUrl: String?
        let owner: String

        mutating func check(
            _ node: ElementNode, _ name: String, repeats: Bool, _ path: String, _ issues: inout [Issue]
        ) {
            let list = node.children(named: name)
            for (i, reference) in list.enumerated() {
                if !repeats && i > 0 { break }
                guard let text = reference.childValue("reference"), !text.isEmpty, !text.hasPrefix("#") else {
                    continue
                }
                switch index.resolution(of: text, fromFullUrl: fullUrl) {
                case .found, .ambiguous:
                    continue
                case .notFound, .notApplicable:
                    let elementPath = path + "." + name + (reference.isListItem ? "[\(i)]" : "")
                    issues.append(
                        Issue(
                            .error, .bundleReferenceNotFound,
                            "the \(owner).\(name) reference must resolve to an entry of the Bundle, and does not",
                            path: elementPath, position: reference.position))
                }
            }
        }
    }

    // MARK: - Reachability

    /// Marks the entries reachable from the first one by references (and from stylesheet links),
    /// then those that only point at reachable entries (reverse links, a warning in R4
    /// documents, expected for Provenance); reports the rest. Linear in entries + references.
    static func checkReachability(
        _ bundle: ElementNode, index: BundleIndex, path: String, orphanSeverity: Issue.Severity,
        into issues: inout [Issue]
    ) {
        let count = index.entries.count
        guard count > 0 else { return }
        var forward = [[Int]](repeating: [], count: count)
        var backward = [[Int]](repeating: [], count: count)
        for (i, entry) in index.entries.enumerated() {
            guard let resource = entry.resource else { continue }
            var targets: Set<Int> = []
            for text in linkTexts(in: resource) {
                switch index.resolution(of: text, fromFullUrl: entry.fullUrl) {
                case .found(let t): targets.insert(t)
                case .ambiguous(let list): targets.formUnion(list)
                case .notFound, .notApplicable: break
                }
            }
            targets.remove(i)
            for t in targets.sorted() {
                forward[i].append(t)
                backward[t].append(i)
            }
        }
        var visited = [Bool](repeating: false, count: count)
        var queue: [Int] = []
        var reverseQueue: [Int] = []
        func visit(_ i: Int) {
            guard !visited[i] else { return }
            visited[i] = true
            queue.append(i)
        }
        if index.entries[0].resource != nil { visit(0) }
        for link in bundle.children where link.name == "link" && link.childValue("relation") == "stylesheet" {
            if let url = link.childValue("url"), let target = stylesheetEntry(url, index: index) { visit(target) }
        }
        var head = 0
        var reverseHead = 0
        while true {
            if head < queue.count {
                let i = queue[head]
                head += 1
                for t in forward[i] { visit(t) }
                reverseQueue.append(contentsOf: backward[i])
                continue
            }
            guard reverseHead < reverseQueue.count else { break }
            let candidate = reverseQueue[reverseHead]
            reverseHead += 1
            guard !visited[candidate], index.entries[candidate].resource != nil else { continue }
            if orphanSeverity == .error && index.entries[candidate].resourceType != "Provenance" {
                issues.append(
                    Issue(
                        .warning, .bundleEntryOrphan,
                        "the entry is only linked to the document by its own references to it (reverse links "
                            + "are not expected in R4 documents)",
                        path: path + ".entry[\(candidate)]", position: index.entries[candidate].position))
            }
            visit(candidate)
        }
        let what = orphanSeverity == .error ? "the Composition" : "the MessageHeader"
        for (i, entry) in index.entries.enumerated() where entry.resource != nil && !visited[i] {
            issues.append(
                Issue(
                    orphanSeverity, .bundleEntryOrphan,
                    "the entry is not reachable by following references (forward or backward) from \(what)",
                    path: path + ".entry[\(i)]", position: entry.position))
        }
    }

    /// The references and URLs in a resource that may point at other entries: every
    /// `Reference.reference` and every `uri`/`url` value except systems, extension URLs and
    /// endpoint addresses, skipping `#` links and nested Bundles. Iterative (no recursion).
    static func linkTexts(in resource: ElementNode) -> Set<String> {
        var texts: Set<String> = []
        var stack: [(node: ElementNode, parentType: String?)] = [(resource, nil)]
        while let item = stack.popLast() {
            let node = item.node
            let parentType = item.parentType
            if let value = node.value, !value.isEmpty, !value.hasPrefix("#") {
                if node.name == "reference" && parentType == "Reference" {
                    texts.insert(value)
                } else if node.typeName == "uri" || node.typeName == "url" {
                    let excluded =
                        node.name == "system" || (node.name == "url" && parentType == "Extension")
                        || node.name == "endpoint" || (node.name == "address" && parentType == "Endpoint")
                    if !excluded { texts.insert(value) }
                }
            }
            for child in node.children {
                if child.isResource && child.typeName == "Bundle" { continue }
                stack.append((child, node.typeName))
            }
        }
        return texts
    }
}
