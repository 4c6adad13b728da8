import FHIRModel

/// Collects the problems found while reading one input, with its file name. Local to one read
/// (never shared between threads).
final class RecordDiagnostics {
    let file: String?
    private(set) var issues: [Issue] = []
    private(set) var errorCount = 0

    init(file: String?) {
        self.file = file
    }

    func error(_ code: IssueCode, _ message: String, path: String?, at position: SourcePosition?) {
        errorCount += 1
        issues.append(Issue(.error, code, message, path: path, position: position, file: file))
    }

    func warning(_ code: IssueCode, _ message: String, path: String?, at position: SourcePosition?) {
        issues.append(Issue(.warning, code, message, path: path, position: position, file: file))
    }

    /// A fatal problem that stopped reading part of the input (syntax, limits).
    func fatal(_ error: FHIRFormatError) {
        errorCount += 1
        var issue = error.issue
        issue.file = file
        issues.append(issue)
    }

    func wrongType(_ node: JSONNode, expected: String, path: String) {
        error(.recordWrongType, "expected \(expected), found \(node.kindName)", path: path, at: node.position)
    }
}

/// The members of one JSON object being read as a record part. Each field read is marked used;
/// ``finish()`` reports the fields nobody asked for (unknown fields) and duplicates.
final class Fields {
    let path: String
    let position: SourcePosition
    let diagnostics: RecordDiagnostics
    private var members: [String: JSONNode.Member] = [:]
    private var order: [String] = []
    private var used: Set<String> = []

    /// Wraps an object node; reports a wrong type and returns nil for anything else.
    init?(_ node: JSONNode, path: String, diagnostics: RecordDiagnostics) {
        self.path = path
        self.position = node.position
        self.diagnostics = diagnostics
        guard let list = node.members else {
            diagnostics.wrongType(node, expected: "an object", path: path)
            return nil
        }
        for member in list {
            if members[member.key] != nil {
                diagnostics.error(
                    .recordDuplicateField, "the field appears more than once in the object",
                    path: childPath(member.key), at: member.keyPosition)
                continue
            }
            members[member.key] = member
            order.append(member.key)
        }
    }

    func childPath(_ key: String) -> String { path + "." + key }

    /// Whether the object has the field (without marking it used).
    func has(_ key: String) -> Bool { members[key] != nil }

    /// The position of a field's value, or of the object when the field is absent.
    func valuePosition(_ key: String) -> SourcePosition { members[key]?.value.position ?? position }

    /// The value of a field (marked used); `null` is reported and treated as absent. A missing
    /// required field is reported at the object's position.
    func node(_ key: String, required: Bool = false) -> JSONNode? {
        used.insert(key)
        guard let member = members[key] else {
            if required {
                diagnostics.error(
                    .recordMissingField, "required field is missing", path: childPath(key), at: position)
            }
            return nil
        }
        if case .null = member.value.value {
            diagnostics.error(
                .recordWrongType, "null is not allowed: leave the field out instead", path: childPath(key),
                at: member.value.position)
            return nil
        }
        return member.value
    }

    /// Marks a field as known without reading it (the record dispatcher reads `kind` itself).
    func markUsed(_ key: String) { used.insert(key) }

    /// Reports every field that was not read: it is not part of the format at this place.
    func finish() {
        for key in order where !used.contains(key) {
            guard let member = members[key] else { continue }
            diagnostics.error(
                .recordUnknownField, "unknown field: the format defines no such field here", path: childPath(key),
                at: member.keyPosition)
        }
    }

    /// Reports a rule broken by a field's value (cross-field rules name the later field).
    func fail(_ key: String, _ code: IssueCode, _ message: String) {
        diagnostics.error(code, message, path: childPath(key), at: valuePosition(key))
    }
}
