import FHIRModel

/// Search set rules: a self link that states the search, and search modes on the entries that
/// agree with the resources (`match` entries of the searched type with an id, `include` entries
/// with an id, `outcome` entries that are OperationOutcomes).
extension BundleRules {
    static func checkSearchSet(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        let selfLink = bundle.children.first { $0.name == "link" && $0.childValue("relation") == "self" }
        var types: [String] = []
        if let selfLink {
            types = searchTypes(selfLink.childValue("url"), index: index)
        } else {
            issues.append(
                Issue(
                    .warning, .bundleSearch, "a search set Bundle should have a self link that states the search",
                    path: path, position: bundle.position))
        }
        let entryNodes = bundle.children.filter { $0.name == "entry" }
        let modes = entryNodes.map { $0.child(named: "search")?.childValue("mode") }
        let entryPaths = (0..<entryNodes.count).map { path + ".entry[\($0)]" }
        if !modes.isEmpty && modes.allSatisfy({ $0 == nil }) {
            // No modes at all: only a problem when the entries' types do not tell matches apart.
            var typeProblem = false
            var matchType: String?
            for (i, entry) in index.entries.enumerated() {
                guard let type = entry.resourceType else {
                    issues.append(noResource(entryPaths[i], entry.position))
                    continue
                }
                if types.isEmpty {
                    typeProblem = true
                    if entry.id == nil && type != "OperationOutcome" {
                        issues.append(noID(entryPaths[i], entry.position, severity: .warning))
                    }
                } else if types.contains(type) {
                    if type != "OperationOutcome" {
                        if entry.id == nil { issues.append(noID(entryPaths[i], entry.position, severity: .warning)) }
                        if let matchType, matchType != type { typeProblem = true } else { matchType = type }
                    }
                } else {
                    typeProblem = true
                    issues.append(
                        Issue(
                            .warning, .bundleSearch,
                            "the entry holds a '\(type)', which is not a type the search was for ("
                                + types.joined(separator: ", ") + ")",
                            path: entryPaths[i], position: entry.position))
                }
            }
            if typeProblem {
                issues.append(
                    Issue(
                        .warning, .bundleSearch, "search set entries should have search modes", path: path,
                        position: bundle.position))
            }
            return
        }
        for (i, entry) in index.entries.enumerated() {
            let mode = i < modes.count ? modes[i] : nil
            if mode == nil {
                issues.append(
                    Issue(
                        .warning, .bundleSearch, "search set entries should have search modes",
                        path: entryPaths[i], position: entry.position))
            }
            guard let type = entry.resourceType else {
                issues.append(noResource(entryPaths[i], entry.position))
                continue
            }
            switch mode {
            case "match":
                if entry.id == nil { issues.append(noID(entryPaths[i], entry.position, severity: .error)) }
                if !types.isEmpty && !types.contains(type) {
                    issues.append(
                        Issue(
                            .error, .bundleSearch,
                            "the match entry holds a '\(type)', which is not a type the search was for ("
                                + types.joined(separator: ", ") + ")",
                            path: entryPaths[i], position: entry.position))
                }
            case "include":
                if entry.id == nil { issues.append(noID(entryPaths[i], entry.position, severity: .error)) }
            case "outcome":
                if type != "OperationOutcome" {
                    issues.append(
                        Issue(
                            .error, .bundleSearch,
                            "an entry with search mode 'outcome' must hold an OperationOutcome (it holds a '\(type)')",
                            path: entryPaths[i], position: entry.position))
                }
            default:
                break
            }
        }
    }

    /// The resource types a search URL is for: its last path segment (`.../Patient?...`), or the
    /// `_type` parameter of a system search. Only known resource types are kept.
    static func searchTypes(_ url: String?, index: BundleIndex) -> [String] {
        guard let url else { return [] }
        let parts = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let head = parts.first.map(String.init) ?? url
        if let last = head.split(separator: "/").last.map(String.init), index.isResourceType(last) {
            return [last]
        }
        guard parts.count == 2 else { return [] }
        var types: [String] = []
        for parameter in parts[1].split(separator: "&") where parameter.hasPrefix("_type=") {
            for t in parameter.dropFirst(6).split(separator: ",") {
                let name = String(t)
                if index.isResourceType(name) && !types.contains(name) { types.append(name) }
            }
        }
        return types
    }

    private static func noResource(_ path: String, _ position: SourcePosition) -> Issue {
        Issue(.error, .bundleSearch, "a search set entry must have a resource", path: path, position: position)
    }

    private static func noID(_ path: String, _ position: SourcePosition, severity: Issue.Severity) -> Issue {
        Issue(
            severity, .bundleSearch, "the resource of a search result entry should have an id", path: path,
            position: position)
    }
}
