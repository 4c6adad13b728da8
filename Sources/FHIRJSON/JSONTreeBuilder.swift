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

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, tables: JSONModelTables?, startLine: Int) {
        s = JSONScanner(bytes: bytes, limits: limits)
        s.line = startLine
        self.tables = tables
        path.reserveCapacity(32)
        seenScratch.reserveCapacity(1024)
    }

    // MARK: - Document

    mutating func parseDocument() throws(FHIRFormatError) -> ParsedResource {
        s.skipByteOrderMark()
        let b = s.peekNonSpace()
        if b == 0 && s.atEnd { throw s.error(.jsonSyntax, "empty input: expected a JSON object") }
        guard b == 0x7B else {
            if b == 0x5B || b == 0x22 || b == 0x2D || JSONSyntax.isDigit(b) || b == 0x74 || b == 0x66 || b == 0x6E {
                throw s.error(.jsonWrongType, "a FHIR resource must be a JSON object")
            }
            throw s.error(.jsonSyntax, "unexpected character: expected a JSON object")
        }
        let root = try parseResource(elementName: nil, flags: [])
        if s.peekNonSpace() != 0 || !s.atEnd {
            throw s.error(.jsonSyntax, "unexpected content after the JSON value")
        }
        return ParsedResource(root: root, issues: issues)
    }

    // MARK: - Depth, issues and paths

    @inline(__always)
    mutating func enter() throws(FHIRFormatError) {
        guard depth < s.limits.maxDepth else {
            throw s.error(.jsonDepthLimit, "nesting deeper than \(s.limits.maxDepth)")
        }
        depth += 1
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

    mutating func report(
        _ code: IssueCode, _ message: String, at position: SourcePosition, path explicitPath: String? = nil
    ) {
        issues.append(Issue(.error, code, message, path: explicitPath ?? pathString, position: position))
    }

    // MARK: - Resources

    /// Reads a resource object at `{`: the root, a contained resource or an entry resource.
    mutating func parseResource(elementName: String?, flags extra: ElementNode.Flags)
        throws(FHIRFormatError) -> ElementNode
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
                node = ElementNode(
                    name: elementName ?? declared, typeName: declared, position: position,
                    flags: extra.union(.resource))
                node.children = try readMembers(of: compiled, isResource: true, at: position)
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
    mutating func readMembers(of type: CompiledType, isResource: Bool, at objectPosition: SourcePosition)
        throws(FHIRFormatError) -> [ElementNode]
    {
        var children: [ElementNode] = []
        if s.peekNonSpace() == 0x7D {
            s.offset += 1
            if !isResource { report(.jsonEmpty, "empty object", at: objectPosition) }
            return children
        }
        children.reserveCapacity(4)
        let seenBase = seenScratch.count
        seenScratch.append(contentsOf: repeatElement(0, count: type.elementCount))
        let choiceBase = choiceScratch.count
        var unknownKeys = KeyTracker(base: keyScratch.count)
        let savedPending = pendingPlaceholders
        pendingPlaceholders = false
        var lastIndex = -1
        var needsSort = false
        var sawResourceType = false
        var reportedConflicts = 0

        while true {
            guard s.peekNonSpace() == 0x22 else { throw s.error(.jsonSyntax, "expected a property name") }
            let keyPosition = s.position
            var found: Int? = nil
            var underscore = false
            var keyText: String? = nil
            if let span = s.scanPlainKey() {
                let keyBytes = UnsafeBufferPointer(rebasing: s.bytes[span.start..<span.end])
                if span.end > span.start && s.bytes[span.start] == 0x5F {
                    underscore = true
                    let rest = UnsafeBufferPointer(rebasing: s.bytes[(span.start + 1)..<span.end])
                    found = type.lookup(rest, hash: CompiledType.hash(rest))
                } else {
                    found = type.lookup(keyBytes, hash: span.hash)
                }
                if found == nil { keyText = String(decoding: keyBytes, as: UTF8.self) }
            } else {
                var key = try s.readString()
                underscore = key.utf8.first == 0x5F
                found = key.withUTF8 { all in
                    let bytes = underscore ? UnsafeBufferPointer(rebasing: all.dropFirst()) : all
                    return type.lookup(bytes, hash: CompiledType.hash(bytes))
                }
                keyText = key
            }
            try s.expect(0x3A, "':'")

            var entryIndex = -1
            if let found {
                let shape = type.entries[found].shape
                if shape == .resourceType ? !underscore && isResource : (!underscore || type.entries[found].isPrimitive) {
                    entryIndex = found
                }
            }
            if entryIndex >= 0 && type.entries[entryIndex].shape == .resourceType {
                guard !sawResourceType else {
                    throw FHIRFormatError(.jsonDuplicateKey, "duplicate property 'resourceType'", position: keyPosition)
                }
                sawResourceType = true
                if s.peekNonSpace() == 0x22 {
                    _ = try s.readString()  // the type was found by the pre-scan; validate the string
                } else {
                    path.append(PathComponent("resourceType"))
                    report(.jsonWrongType, "'resourceType' must be a string", at: s.position)
                    try readUntypedMember(name: "resourceType", flags: .unknown, keyPosition: keyPosition, into: &children)
                    path.removeLast()
                }
            } else if entryIndex >= 0 {
                let entry = type.entries[entryIndex]
                let element = Int(entry.element)
                var otherSlotSeen = false
                if entry.isChoice {
                    var conflict = false
                    for i in choiceBase..<choiceScratch.count where choiceScratch[i].element == entry.element {
                        let other = choiceScratch[i]
                        if Int(other.entry) == entryIndex {
                            if other.underscore == underscore {
                                throw FHIRFormatError(
                                    .jsonDuplicateKey, "duplicate property '\(underscore ? "_" : "")\(wireName(entry))'",
                                    position: keyPosition)
                            }
                            otherSlotSeen = true
                        } else {
                            conflict = true
                        }
                    }
                    if conflict && reportedConflicts & (1 << min(element, 62)) == 0 {
                        reportedConflicts |= 1 << min(element, 62)
                        path.append(PathComponent(entry.name))
                        report(
                            .choiceConflict, "more than one type given for choice element '\(entry.name)[x]'",
                            at: keyPosition)
                        path.removeLast()
                    }
                    choiceScratch.append(ChoiceKey(entry: Int32(entryIndex), element: entry.element, underscore: underscore))
                } else {
                    let bit: UInt8 = underscore ? 2 : 1
                    let seen = seenScratch[seenBase + element]
                    if seen & bit != 0 {
                        throw FHIRFormatError(
                            .jsonDuplicateKey, "duplicate property '\(underscore ? "_" : "")\(entry.name)'",
                            position: keyPosition)
                    }
                    seenScratch[seenBase + element] = seen | bit
                    otherSlotSeen = seen != 0
                }
                if element < lastIndex { needsSort = true } else { lastIndex = element }
                try readElement(
                    entry, underscore: underscore, mergeWithOtherSlot: otherSlotSeen, keyPosition: keyPosition,
                    into: &children)
            } else {
                let key = keyText ?? (underscore ? "_" : "") + wireName(type.entries[found ?? 0])
                guard unknownKeys.insert(key, into: &keyScratch) else {
                    throw FHIRFormatError(.jsonDuplicateKey, "duplicate property '\(key)'", position: keyPosition)
                }
                path.append(PathComponent(key))
                report(.unknownElement, "unknown element '\(key)'", at: keyPosition)
                try readUntypedMember(name: key, flags: .unknown, keyPosition: keyPosition, into: &children)
                path.removeLast()
                lastIndex = Int.max
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
            throw s.error(.jsonSyntax, atEndOrNot("expected ',' or '}'"))
        }

        if pendingPlaceholders { removePlaceholders(&children) }
        if needsSort { sortByDefinition(&children, summary: type.summary) }
        pendingPlaceholders = savedPending
        seenScratch.removeSubrange(seenBase...)
        choiceScratch.removeSubrange(choiceBase...)
        keyScratch.removeSubrange(unknownKeys.base...)
        return children
    }

    /// The JSON name of an entry (`valueString`), for messages.
    func wireName(_ entry: WireEntry) -> String {
        guard entry.isChoice, let first = entry.typeCode.first else { return entry.name }
        return entry.name + first.uppercased() + entry.typeCode.dropFirst()
    }

    func atEndOrNot(_ message: String) -> String {
        s.atEnd ? "unexpected end of input, " + message : message
    }

    /// Puts children in definition order (stable; unknown names last, in input order).
    func sortByDefinition(_ children: inout [ElementNode], summary: TypeSummary) {
        let keys = children.enumerated().map { (summary.elementIndex(named: $1.name) ?? Int.max, $0) }
        let order = keys.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        children = order.map { children[$0.1] }
    }

    /// Removes primitive nodes that got neither a value nor an extension (JSON nulls), reporting each.
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
                let where_ = base + "." + node.name + (node.isListItem ? "[\(runIndex)]" : "")
                report(.jsonNullValue, "null value with no extension is not allowed", at: node.position, path: where_)
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
