import FHIRModel

/// Bundle rules that are not invariants of the core definitions (the `bdl-*` invariants, such as
/// request/response presence by type (bdl-3, bdl-4), unique fullUrls (bdl-7), versionless
/// fullUrls (bdl-8) and the first resource of documents and messages (bdl-11, bdl-12), are
/// evaluated by the walker from the definitions and not repeated here):
///
/// - `fullUrl`: present except in transactions and batches, absolute, a valid `urn:uuid:` or
///   `urn:oid:`, and, when it is a RESTful URL (`http(s)://.../Type/id`), ending with the
///   resource's own type and id;
/// - `link`: search paging relations only in search sets and histories, no repeated `self`,
///   document stylesheets that resolve in the Bundle or are the FHIR stylesheet;
/// - documents and messages: the Composition's and MessageHeader's references resolve inside
///   the Bundle, and every entry is reachable from the first one (see `BundleRules+Documents`);
/// - search sets: a self link, search modes, entry types (see `BundleRules+Search`).
///
/// Every rule runs over the index built once for the Bundle, so the cost is linear in its size.
/// Messages quote no values from the input: only resource types, positions and fixed codes.
enum BundleRules {
    static func check(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        checkLinks(bundle, index: index, path: path, into: &issues)
        checkEntries(bundle, index: index, path: path, into: &issues)
        switch index.bundleType {
        case "document":
            checkDocument(bundle, index: index, path: path, into: &issues)
        case "message":
            checkMessage(bundle, index: index, path: path, into: &issues)
        case "searchset":
            checkSearchSet(bundle, index: index, path: path, into: &issues)
        default:
            break
        }
    }

    // MARK: - Entries

    static func checkEntries(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        for (i, entry) in index.entries.enumerated() {
            let entryPath = path + ".entry[\(i)]"
            guard let fullUrl = entry.fullUrl else {
                if !index.fullUrlOptional && entry.resource != nil && !isSearchOutcome(bundle, entry: i, index: index) {
                    issues.append(
                        Issue(
                            .error, .bundleFullUrl,
                            "except in transactions and batches, each entry must have a fullUrl that identifies "
                                + "its resource",
                            path: entryPath, position: entry.position))
                }
                continue
            }
            if !ReferenceSyntax.isAbsolute(fullUrl) {
                issues.append(
                    Issue(
                        .error, .bundleFullUrl, "the fullUrl must be an absolute URL (it is a relative reference)",
                        path: entryPath, position: entry.position))
                continue
            }
            if ReferenceSyntax.hasPrefixIgnoringCase(fullUrl, "urn:uuid:") {
                if !ReferenceSyntax.isValidUUIDURN(fullUrl) {
                    issues.append(
                        Issue(
                            .error, .bundleFullUrl, "the fullUrl is not a valid urn:uuid (urn:uuid: and a UUID)",
                            path: entryPath, position: entry.position))
                }
                continue
            }
            if ReferenceSyntax.hasPrefixIgnoringCase(fullUrl, "urn:oid:") {
                if !ReferenceSyntax.isValidOIDURN(fullUrl) {
                    issues.append(
                        Issue(
                            .error, .bundleFullUrl, "the fullUrl is not a valid urn:oid (urn:oid: and an OID)",
                            path: entryPath, position: entry.position))
                }
                continue
            }
            guard let resourceType = entry.resourceType else { continue }
            if let restful = index.restfulTypeAndID(fullUrl) {
                if entry.id == nil {
                    issues.append(
                        Issue(
                            .error, .bundleFullUrl,
                            "the fullUrl looks like a RESTful server URL (.../Type/id), so the resource must have "
                                + "an id that matches it",
                            path: entryPath, position: entry.position))
                } else if restful.type != resourceType || restful.id != entry.id {
                    issues.append(
                        Issue(
                            .error, .bundleFullUrl,
                            "the fullUrl looks like a RESTful server URL, so it must end with the resource's type "
                                + "and id (/\(resourceType)/[id])",
                            path: entryPath, position: entry.position))
                }
            } else if let canonical = entry.resource?.childValue("url"), canonical == fullUrl,
                !fullUrl.hasPrefix("http://hl7.org/fhir/v2/"), !fullUrl.hasPrefix("http://hl7.org/fhir/v3/")
            {
                issues.append(
                    Issue(
                        .error, .bundleFullUrl,
                        "the fullUrl equals the resource's canonical url, which is only allowed when it is a "
                            + "RESTful URL ending with /\(resourceType)/[id] for the resource's id",
                        path: entryPath, position: entry.position))
            }
        }
    }

    /// An OperationOutcome returned as a search outcome (which need not be identified).
    private static func isSearchOutcome(_ bundle: ElementNode, entry: Int, index: BundleIndex) -> Bool {
        guard index.bundleType == "searchset", index.entries[entry].resourceType == "OperationOutcome" else {
            return false
        }
        return searchMode(ofEntry: entry, in: bundle) == "outcome"
    }

    /// `entry[i].search.mode`.
    static func searchMode(ofEntry i: Int, in bundle: ElementNode) -> String? {
        var n = 0
        for child in bundle.children where child.name == "entry" {
            if n == i { return child.child(named: "search")?.childValue("mode") }
            n += 1
        }
        return nil
    }

    // MARK: - Links

    static let pagingRelations: Set<String> = ["first", "previous", "next", "last"]

    static func checkLinks(_ bundle: ElementNode, index: BundleIndex, path: String, into issues: inout [Issue]) {
        let links = bundle.children.filter { $0.name == "link" }
        guard !links.isEmpty else { return }
        let type = index.bundleType ?? ""
        let searchLike = type == "searchset" || type == "history"
        let known: Set<String> = [
            "document", "message", "collection", "subscription-notification", "transaction", "transaction-response",
            "batch", "batch-response",
        ]
        var seen: Set<String> = []
        for (i, link) in links.enumerated() {
            let linkPath = path + ".link[\(i)]"
            guard let relation = link.childValue("relation") else { continue }
            if searchLike {
                if (pagingRelations.contains(relation) || relation == "self") && seen.contains(relation) {
                    issues.append(
                        Issue(
                            .error, .bundleLink, "the link relation '\(relation)' can only occur once",
                            path: linkPath, position: link.position))
                }
            } else if known.contains(type) {
                if pagingRelations.contains(relation) {
                    issues.append(
                        Issue(
                            .error, .bundleLink,
                            "the link relation '\(relation)' is only for search sets and histories", path: linkPath,
                            position: link.position))
                } else if relation == "self" && seen.contains(relation) {
                    issues.append(
                        Issue(
                            .error, .bundleLink, "the link relation 'self' can only occur once", path: linkPath,
                            position: link.position))
                }
            }
            seen.insert(relation)
            if type == "document" && relation == "stylesheet", let url = link.childValue("url") {
                checkStylesheet(url, index: index, path: linkPath + ".url", position: link.position, into: &issues)
            }
        }
    }

    static let fhirStylesheet = "https://hl7.org/fhir/fhir.css"

    private static func checkStylesheet(
        _ url: String, index: BundleIndex, path: String, position: SourcePosition, into issues: inout [Issue]
    ) {
        if ReferenceSyntax.isAbsolute(url) {
            guard url != fhirStylesheet else { return }
            issues.append(
                Issue(
                    .warning, .bundleLink,
                    "external stylesheets other than \(fhirStylesheet) should not be used in documents", path: path,
                    position: position))
            if ReferenceSyntax.hasPrefixIgnoringCase(url, "http://") {
                issues.append(
                    Issue(
                        .warning, .bundleLink, "the stylesheet reference is not secure (http, not https)",
                        path: path, position: position))
            }
        } else if stylesheetEntry(url, index: index) == nil {
            issues.append(
                Issue(
                    .error, .bundleLink, "the stylesheet reference does not resolve to an entry of this Bundle",
                    path: path, position: position))
        }
    }

    /// The entry a relative stylesheet link (`Binary/css`) names by type and id.
    static func stylesheetEntry(_ url: String, index: BundleIndex) -> Int? {
        let syntax = ReferenceSyntax(url)
        guard syntax.kind == .relative, syntax.version == nil, let type = syntax.type, let id = syntax.id else {
            return nil
        }
        return index.entryIndices(type: type, id: id).first
    }
}
