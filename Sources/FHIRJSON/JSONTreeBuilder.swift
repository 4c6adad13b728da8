import FHIRModel

/// One step of the FHIRPath-style location of the value being read (`name[0]`).
struct PathComponent {
    var name: String
    /// The array index, or -1 for a single value.
    var index: Int

    init(_ name: String, _ index: Int = -1) {
        self.name = name
        self.index = index
    }
}

/// A choice element key seen in the current object, for duplicate and conflict detection.
struct ChoiceKey {
    /// The wire entry (`valueString`), which with `underscore` identifies the key exactly.
    var entry: Int32
    var element: Int32
    var underscore: Bool
}

/// Reads FHIR JSON bytes straight into an ``ElementNode`` tree in one pass.
///
/// The builder resolves every key against the type summaries while it scans, so there is no
/// intermediate JSON value. Recoverable problems become issues (the data is kept); syntax,
/// encoding, duplicate keys and limits are thrown. Nesting is checked before every descent,
/// so deep input cannot overflow the stack.
struct JSONTreeBuilder: ~Copyable {
    var s: JSONScanner
    /// The compiled key tables of the model; nil when reading untyped.
    let tables: JSONModelTables?
    var issues: [Issue] = []
    var path: [PathComponent] = []
    var depth = 0
    /// Per-object "seen" bits for elements (1 = value key, 2 = `_` key), as a stack of segments.
    var seenScratch: [UInt8] = []
    /// Choice keys seen, as a stack of per-object segments.
    var choiceScratch: [ChoiceKey] = []
    /// Unknown or untyped keys seen, as a stack of per-object segments.
    var keyScratch: [String] = []
    /// Whether the object being read holds primitive placeholders (nulls) to remove at its end.
    var pendingPlaceholders = false
    /// The lowest stack address allowed (see ``StackGuard``); 0 until first needed.
    var stackFloor: UInt = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, tables: JSONModelTables?, startLine: Int) {
        s = JSONScanner(bytes: bytes, limits: limits)
        s.line = startLine
        self.tables = tables
        path.reserveCapacity(32)
        seenScratch.reserveCapacity(1024)
    }

    // MARK: - Document

    mutating func parseDocument() throws(JSONFailure) -> ParsedResource {
        if Self.looksLikeUTF16or32(s.bytes) {
            throw failure(.jsonEncoding, "the input is not UTF-8 (it looks like UTF-16 or UTF-32)")
        }
        s.skipByteOrderMark()
        let b = s.peekNonSpace()
        if b == 0 && s.atEnd { throw failure(.jsonSyntax, "empty input: expected a JSON object") }
        guard b == 0x7B else {
            if b == 0x5B || b == 0x22 || b == 0x2D || JSONSyntax.isDigit(b) || b == 0x74 || b == 0x66 || b == 0x6E {
                throw failure(.jsonWrongType, "a FHIR resource must be a JSON object")
            }
            throw failure(.jsonSyntax, "unexpected character: expected a JSON object")
        }
        let root = try parseResource(elementName: nil, flags: [])
        if s.peekNonSpace() != 0 || !s.atEnd {
            throw failure(.jsonSyntax, "unexpected content after the JSON value")
        }
        return ParsedResource(root: root, issues: issues)
    }

    /// A UTF-16/32 byte order mark, or a NUL among the first bytes of what should be `{`.
    static func looksLikeUTF16or32(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return true }
        return bytes.count >= 4 && bytes[0..<4].contains(0) && bytes[0..<4].contains(0x7B)
    }

    // MARK: - Depth, issues and paths

    @inline(__always)
    mutating func enter() throws(JSONFailure) {
        guard depth < s.limits.maxDepth else {
            throw failure(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
        }
        depth += 1
        if depth >= 32 && depth & 15 == 0 { try checkStack() }
    }

    /// Refuses to go deeper when the thread's stack is nearly used up (any `maxDepth`).
    @inline(never)
    mutating func checkStack() throws(JSONFailure) {
        if stackFloor == 0 { stackFloor = max(StackGuard.floor(), 1) }
        guard StackGuard.currentAddress() > stackFloor else {
            throw failure(.jsonDepthLimit, "nesting too deep for the available stack (depth \(depth))")
        }
    }

    @inline(__always)
    mutating func leave() { depth -= 1 }

    var pathString: String {
        var out = ""
        for (i, c) in path.enumerated() {
            if i > 0 { out += "." }
            out += c.name
            if c.index >= 0 { out += "[\(c.index)]" }
        }
        return out
    }

    @inline(never)
    mutating func report(
        _ code: IssueCode, _ message: String, at position: SourcePosition, path explicitPath: String? = nil
    ) {
        issues.append(Issue(.error, code, message, path: explicitPath ?? pathString, position: position))
    }

    // MARK: - Resources

    /// Reads a resource object at `{`: the root, a contained resource or an entry resource.
    mutating func parseResource(elementName: String?, flags extra: ElementNode.Flags)
        throws(JSONFailure) -> ElementNode
    {
        let position = s.position
        try enter()
        s.offset += 1
        let declared = prescanResourceType()
        var node: ElementNode
        if let tables {
            if let declared, let compiled = tables.type(named: declared), compiled.summary.kind == .resource,
                !compiled.summary.isAbstract
            {
                if elementName == nil { path.append(PathComponent(declared)) }
                let kids = try readMembers(of: compiled, isResource: true, at: position)
                node = ElementNode(
                    name: elementName ?? declared, typeName: declared, children: kids, position: position,
                    flags: extra.union(.resource))
            } else {
                if elementName == nil { path.append(PathComponent("Resource")) }
                if let declared {
                    let shown = Self.isPlainName(declared) ? " '\(declared)'" : ""
                    report(.unknownResourceType, "unknown resource type\(shown)", at: position)
                } else {
                    report(.missingResourceType, "the resource has no 'resourceType' string", at: position)
                }
                node = ElementNode(
                    name: elementName ?? declared ?? "Resource", typeName: declared, position: position,
                    flags: extra.union([.resource, .unknown]))
                node.children = try readUntypedMembers(flags: .unknown, skipResourceType: declared != nil)
            }
        } else {
            if elementName == nil { path.append(PathComponent(declared ?? "Resource")) }
            node = ElementNode(
                name: elementName ?? declared ?? "Resource", typeName: declared, position: position,
                flags: extra.union(.resource))
            node.children = try readUntypedMembers(flags: [], skipResourceType: declared != nil)
        }
        if elementName == nil { path.removeLast() }
        leave()
        return node
    }

    /// Whether a declared type name is safe to echo in a message (letters and digits only).
    static func isPlainName(_ name: String) -> Bool {
        let u = name.utf8
        return !u.isEmpty && u.count <= 64
            && u.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || JSONSyntax.isDigit($0) }
    }

    // MARK: - Typed objects

    /// Reads the members of a typed object whose `{` has been consumed, and returns the children
    /// in definition order. The caller leaves the depth level.
    ///
    /// This is the hot loop: rare cases (escaped keys, choices, unknown keys, `resourceType`)
    /// live in separate functions so the frame stays small for deep documents.
    mutating func readMembers(of type: CompiledType, isResource: Bool, at objectPosition: SourcePosition)
        throws(JSONFailure) -> [ElementNode]
    {
        var children: [ElementNode] = []
        if s.peekNonSpace() == 0x7D {
            s.offset += 1
            if !isResource { report(.jsonEmpty, "empty object", at: objectPosition) }
            return children
        }
        children.reserveCapacity(4)
        var state = ObjectState(
            seenBase: seenScratch.count, choiceBase: choiceScratch.count, keys: KeyTracker(base: keyScratch.count),
            savedPending: pendingPlaceholders)
        seenScratch.append(contentsOf: repeatElement(0, count: type.elementCount))
        pendingPlaceholders = false

        while true {
            guard s.peekNonSpace() == 0x22 else { throw syntaxError("expected a property name") }
            let keyPosition = s.position
            var key = KeyLookup()
            if let span = s.scanPlainKey() {
                if span.end > span.start && s.bytes[span.start] == 0x5F {
                    key.underscore = true
                    let rest = UnsafeBufferPointer(rebasing: s.bytes[(span.start + 1)..<span.end])
                    key.found = type.lookup(rest, hash: CompiledType.hash(rest))
                } else {
                    key.found = type.lookup(
                        UnsafeBufferPointer(rebasing: s.bytes[span.start..<span.end]), hash: span.hash)
                }
                if key.found == nil {
                    key.start = span.start
                    key.end = span.end
                }
            } else {
                key = try lookUpEscapedKey(in: type)
            }
            try expectColon()

            var entryIndex = -1
            if let found = key.found {
                let shape = type.entries[found].shape
                if shape == .resourceType
                    ? !key.underscore && isResource : (!key.underscore || type.entries[found].isPrimitive)
                {
                    entryIndex = found
                }
            }
            if entryIndex >= 0 && type.entries[entryIndex].shape != .resourceType {
                let entry = type.entries[entryIndex]
                let element = Int(entry.element)
                let otherSlotSeen: Bool
                if entry.isChoice {
                    otherSlotSeen = try noteChoiceKey(
                        entryIndex, in: type, underscore: key.underscore, at: keyPosition, &state)
                } else {
                    let bit: UInt8 = key.underscore ? 2 : 1
                    let seen = seenScratch[state.seenBase + element]
                    if seen & bit != 0 {
                        throw duplicateKey(entry.name, underscore: key.underscore, at: keyPosition)
                    }
                    seenScratch[state.seenBase + element] = seen | bit
                    otherSlotSeen = seen != 0
                }
                if element < state.lastIndex { state.needsSort = true } else { state.lastIndex = element }
                try readElement(
                    entry, underscore: key.underscore, mergeWithOtherSlot: otherSlotSeen, keyPosition: keyPosition,
                    into: &children)
            } else if entryIndex >= 0 {
                try readResourceTypeMember(at: keyPosition, &state, into: &children)
            } else {
                try readUnknownMember(key, in: type, at: keyPosition, &state, into: &children)
            }

            let c = s.peekNonSpace()
            if c == 0x2C {
                s.offset += 1
                continue
            }
            if c == 0x7D {
                s.offset += 1
                break
            }
            throw syntaxError("expected ',' or '}'")
        }

        if pendingPlaceholders { removePlaceholders(&children) }
        if state.needsSort { sortByDefinition(&children, summary: type.summary) }
        pendingPlaceholders = state.savedPending
        seenScratch.removeLast(seenScratch.count - state.seenBase)
        if choiceScratch.count > state.choiceBase { choiceScratch.removeLast(choiceScratch.count - state.choiceBase) }
        if keyScratch.count > state.keys.base { keyScratch.removeLast(keyScratch.count - state.keys.base) }
        return children
    }

    func atEndOrNot(_ message: String) -> String {
        s.atEnd ? "unexpected end of input, " + message : message
    }

    /// A syntax error at the current position (mentioning the end of input when there).
    @inline(never)
    func syntaxError(_ message: String) -> JSONFailure {
        JSONFailure(s.error(.jsonSyntax, atEndOrNot(message)))
    }

    /// Puts children in definition order (stable; unknown names last, in input order).
    @inline(never)
    func sortByDefinition(_ children: inout [ElementNode], summary: TypeSummary) {
        let keys = children.enumerated().map { (summary.elementIndex(named: $1.name) ?? Int.max, $0) }
        let order = keys.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        children = order.map { children[$0.1] }
    }

    /// Removes primitive nodes that got neither a value nor an extension (JSON nulls), reporting each.
    @inline(never)
    mutating func removePlaceholders(_ children: inout [ElementNode]) {
        var kept: [ElementNode] = []
        kept.reserveCapacity(children.count)
        let base = pathString
        var runName = ""
        var runIndex = 0
        for node in children {
            if node.name == runName {
                runIndex += 1
            } else {
                runName = node.name
                runIndex = 0
            }
            if node.isPrimitive && !node.isUnknown && node.value == nil && node.children.isEmpty {
                let location = base + "." + node.name + (node.isListItem ? "[\(runIndex)]" : "")
                report(.jsonNullValue, "null value with no extension is not allowed", at: node.position, path: location)
            } else {
                kept.append(node)
            }
        }
        children = kept
    }
}

/// Tracks keys of one object to find duplicates: a linear scan over a shared scratch stack for
/// small objects, a set for large ones (so hostile input cannot make this quadratic).
struct KeyTracker {
    let base: Int
    var set: Set<String>? = nil

    init(base: Int) { self.base = base }

    /// Adds `key`; returns `false` when it was already present.
    @inline(never)
    mutating func insert(_ key: String, into scratch: inout [String]) -> Bool {
        if var existing = set {
            set = nil
            let inserted = existing.insert(key).inserted
            set = existing
            return inserted
        }
        for i in base..<scratch.count where scratch[i] == key { return false }
        scratch.append(key)
        if scratch.count - base > 32 {
            set = Set(scratch[base...])
        }
        return true
    }
}
