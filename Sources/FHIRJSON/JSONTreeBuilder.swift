import FHIRModel

/// One step of the FHIRPath-style location of the value being read (`name[0]`).
///
/// A plain value (no strings), so keeping the path costs no reference counting: the name is
/// the entry's, or the builder's ``JSONTreeBuilder/pathTexts`` holds it.
struct PathComponent {
    /// The element entry whose base name this step is, or nil for a name in `pathTexts`.
    var entry: UnsafePointer<WireEntry>?
    /// The array index, or -1 for a single value.
    var index: Int

    init(_ entry: UnsafePointer<WireEntry>, _ index: Int = -1) {
        self.entry = entry
        self.index = index
    }

    /// A step (single value) named by the next of the builder's path texts.
    private init() {
        entry = nil
        index = -1
    }

    static var text: PathComponent { PathComponent() }
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
    /// The key tables of all types (``JSONModelTables/keyTables``), indexed by
    /// ``WireEntry/childType``; and the table of `Element` for `_name` objects.
    let keyTables: UnsafePointer<KeyTable>?
    let elementTable: KeyTable?
    var issues: [Issue] = []
    var path: [PathComponent] = []
    /// The names of the path steps that are not entries, in order.
    var pathTexts: [String] = []
    var depth = 0
    /// The document's repeated string values (see ``JSONStringInterner``).
    var strings = JSONStringInterner()
    /// The children of the objects being read (see ``NodeStack``).
    var nodes = NodeStack()
    /// Per-object "seen" bits for elements (1 = value key, 2 = `_` key), as a stack of segments.
    var seen = ByteStack()
    /// Choice keys seen, as a stack of per-object segments.
    var choiceScratch: [ChoiceKey] = []
    /// Unknown or untyped keys seen, as a stack of per-object segments.
    var keyScratch: [String] = []
    /// The key sets of large objects being read (see ``KeyTracker``).
    var keySets: [Set<String>] = []
    /// Whether the object being read holds primitive placeholders (nulls) to remove at its end.
    var pendingPlaceholders = false
    /// The lowest stack address allowed (see ``StackGuard``); 0 until first needed.
    var stackFloor: UInt = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, tables: JSONModelTables?, startLine: Int) {
        s = JSONScanner(bytes: bytes, limits: limits)
        s.line = startLine
        self.tables = tables
        keyTables = tables.map { UnsafePointer($0.keyTables) }
        elementTable = tables?.element?.table
        path.reserveCapacity(32)
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

    /// Pushes a path step whose name is not an entry's.
    mutating func pushPath(_ name: String) {
        pathTexts.append(name)
        path.append(.text)
    }

    @inline(__always)
    mutating func popPath() {
        if path.removeLast().entry == nil { pathTexts.removeLast() }
    }

    var pathString: String {
        var out = ""
        var text = 0
        for (i, c) in path.enumerated() {
            if i > 0 { out += "." }
            if let entry = c.entry {
                out += entry.pointee.name
            } else if text < pathTexts.count {
                out += pathTexts[text]
                text += 1
            }
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
                if elementName == nil { pushPath(declared) }
                let kids = try readMembers(of: compiled.table, isResource: true, at: position)
                node = ElementNode(
                    name: elementName ?? declared, typeName: declared, children: kids, position: position,
                    flags: extra.union(.resource))
            } else {
                if elementName == nil { pushPath("Resource") }
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
            if elementName == nil { pushPath(declared ?? "Resource") }
            node = ElementNode(
                name: elementName ?? declared ?? "Resource", typeName: declared, position: position,
                flags: extra.union(.resource))
            node.children = try readUntypedMembers(flags: [], skipResourceType: declared != nil)
        }
        if elementName == nil { popPath() }
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
    /// This is the hot loop. Keys are scanned a word at a time and looked up in the type's
    /// ``KeyTable`` by pointer; children are pushed on the ``NodeStack`` and moved into one
    /// exactly sized array at the end. Single strings and single objects are read right here
    /// (``readSingleValue(_:keyPosition:)``); rare cases (escaped keys, choices, unknown keys,
    /// `resourceType`) live in separate functions.
    mutating func readMembers(of type: KeyTable, isResource: Bool, at objectPosition: SourcePosition)
        throws(JSONFailure) -> [ElementNode]
    {
        if s.peekNonSpace() == 0x7D {
            s.offset += 1
            if !isResource { report(.jsonEmpty, "empty object", at: objectPosition) }
            return []
        }
        let base = nodes.count
        var state = ObjectState(
            seenBase: seen.pushZeros(type.elementCount), choiceBase: choiceScratch.count,
            keys: KeyTracker(base: keyScratch.count), savedPending: pendingPlaceholders)
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
                let candidate = type.entry(found)
                if candidate.pointee.shape == .resourceType
                    ? !key.underscore && isResource : (!key.underscore || candidate.pointee.isPrimitive)
                {
                    entryIndex = found
                }
            }
            if entryIndex >= 0 && type.entry(entryIndex).pointee.shape != .resourceType {
                let entry = type.entry(entryIndex)
                let element = Int(entry.pointee.element)
                let otherSlotSeen: Bool
                if entry.pointee.isChoice {
                    otherSlotSeen = try noteChoiceKey(
                        entryIndex, in: type, underscore: key.underscore, at: keyPosition, &state)
                } else {
                    let bit: UInt8 = key.underscore ? 2 : 1
                    let seenBits = seen[state.seenBase + element]
                    if seenBits & bit != 0 {
                        throw duplicateKey(entry.pointee.name, underscore: key.underscore, at: keyPosition)
                    }
                    seen[state.seenBase + element] = seenBits | bit
                    otherSlotSeen = seenBits != 0
                }
                if element < state.lastIndex { state.needsSort = true } else { state.lastIndex = element }
                var done = false
                if !otherSlotSeen && !key.underscore && !entry.pointee.isArray {
                    done = try readSingleValue(entry, keyPosition: keyPosition)
                }
                if !done {
                    try readElement(
                        entry, underscore: key.underscore, mergeWithOtherSlot: otherSlotSeen, keyPosition: keyPosition,
                        objectBase: base)
                }
            } else if entryIndex >= 0 {
                try readResourceTypeMember(at: keyPosition, &state)
            } else {
                try readUnknownMember(key, in: type, at: keyPosition, &state)
            }

            guard try moreItems(closer: 0x7D) else { break }
        }

        if pendingPlaceholders { removePlaceholders(from: base) }
        let children = state.needsSort ? popSorted(from: base, type: type) : nodes.popArray(from: base)
        pendingPlaceholders = state.savedPending
        seen.pop(to: state.seenBase)
        if choiceScratch.count > state.choiceBase { choiceScratch.removeLast(choiceScratch.count - state.choiceBase) }
        if keyScratch.count > state.keys.base { keyScratch.removeLast(keyScratch.count - state.keys.base) }
        state.keys.release(&keySets)
        return children
    }

    /// The most common members, read without the general path's layers: a single string
    /// primitive, or a single object of a known type. Returns `false`, having read nothing, for
    /// anything else (the caller then uses ``readElement``); the result is the same either way.
    @inline(__always)
    mutating func readSingleValue(_ entry: UnsafePointer<WireEntry>, keyPosition: SourcePosition)
        throws(JSONFailure) -> Bool
    {
        let b = s.peekNonSpace()
        if b == 0x22 && entry.pointee.shape == .string {
            let valuePosition = s.position
            let text = try readString()
            if text.isEmpty {
                path.append(PathComponent(entry))
                report(.jsonEmpty, "empty string", at: valuePosition)
                popPath()
            }
            nodes.push(
                ElementNode(
                    name: entry.pointee.name, typeName: entry.pointee.typeCode, value: text, position: keyPosition,
                    flags: entry.pointee.isChoice ? [.primitive, .choice] : .primitive))
            return true
        }
        if b == 0x7B && entry.pointee.shape == .complex && entry.pointee.childType >= 0, let keyTables {
            path.append(PathComponent(entry))
            let objectPosition = s.position
            try enter()
            s.offset += 1
            let kids = try readMembers(
                of: keyTables[Int(entry.pointee.childType)], isResource: false, at: objectPosition)
            leave()
            popPath()
            nodes.push(
                ElementNode(
                    name: entry.pointee.name, typeName: entry.pointee.typeCode.isEmpty ? nil : entry.pointee.typeCode,
                    children: kids, position: keyPosition, flags: entry.pointee.isChoice ? .choice : []))
            return true
        }
        return false
    }

    func atEndOrNot(_ message: String) -> String {
        s.atEnd ? "unexpected end of input, " + message : message
    }

    /// After a member or item: consumes `,` and returns true (another follows), or consumes the
    /// closer (`}` or `]`) and returns false; anything else is a syntax error.
    @inline(__always)
    mutating func moreItems(closer: UInt8) throws(JSONFailure) -> Bool {
        let c = s.peekNonSpace()
        if c == 0x2C {
            s.offset += 1
            return true
        }
        if c == closer {
            s.offset += 1
            return false
        }
        throw syntaxError(closer == 0x5D ? "expected ',' or ']'" : "expected ',' or '}'")
    }

    /// A syntax error at the current position (mentioning the end of input when there).
    @inline(never)
    func syntaxError(_ message: String) -> JSONFailure {
        JSONFailure(s.error(.jsonSyntax, atEndOrNot(message)))
    }

    /// Pops the children above `base` in definition order (stable; unknown names last, in
    /// input order).
    @inline(never)
    mutating func popSorted(from base: Int, type: KeyTable) -> [ElementNode] {
        var keyed: [UInt64] = []
        keyed.reserveCapacity(nodes.count - base)
        for i in base..<nodes.count {
            let rank = type.elementIndex(named: nodes[i].name).map { UInt64($0) } ?? UInt64(UInt32.max)
            keyed.append(rank << 32 | UInt64(i - base))
        }
        keyed.sort()
        return nodes.popArray(from: base, order: keyed.map { Int($0 & 0xFFFF_FFFF) })
    }

    /// Removes the primitive nodes above `base` that got neither a value nor an extension (JSON
    /// nulls), reporting each.
    @inline(never)
    mutating func removePlaceholders(from base: Int) {
        var dropped: [Int] = []
        let basePath = pathString
        var runName = ""
        var runIndex = 0
        for i in base..<nodes.count {
            if nodes[i].name == runName {
                runIndex += 1
            } else {
                runName = nodes[i].name
                runIndex = 0
            }
            let node = nodes[i]
            if node.isPrimitive && !node.isUnknown && node.value == nil && node.children.isEmpty {
                let location = basePath + "." + node.name + (node.isListItem ? "[\(runIndex)]" : "")
                report(.jsonNullValue, "null value with no extension is not allowed", at: node.position, path: location)
                dropped.append(i)
            }
        }
        nodes.remove(indices: dropped)
    }
}

/// Tracks keys of one object to find duplicates: a linear scan over a shared scratch stack for
/// small objects, a set for large ones (so hostile input cannot make this quadratic).
///
/// A plain value (the set, when one is needed, lives on the builder's ``JSONTreeBuilder/keySets``
/// stack), so an object's state costs no destruction.
struct KeyTracker {
    let base: Int
    /// This object's set in `keySets`, or -1 while the linear scan is used.
    var setIndex = -1

    init(base: Int) { self.base = base }

    /// Adds `key`; returns `false` when it was already present.
    @inline(never)
    mutating func insert(_ key: String, into scratch: inout [String], sets: inout [Set<String>]) -> Bool {
        if setIndex >= 0 { return sets[setIndex].insert(key).inserted }
        for i in base..<scratch.count where scratch[i] == key { return false }
        scratch.append(key)
        if scratch.count - base > 32 {
            sets.append(Set(scratch[base...]))
            setIndex = sets.count - 1
        }
        return true
    }

    /// Drops this object's set (the last on the stack) when it made one.
    @inline(__always)
    func release(_ sets: inout [Set<String>]) {
        if setIndex >= 0 { sets.removeLast(sets.count - setIndex) }
    }
}
