import FHIRModel

/// Untyped reading (unknown elements, unknown resource types, `FHIRJSONReader(model: nil)`):
/// any JSON is kept verbatim with the flags the writer needs to reproduce it.
///
/// - string: primitive node with the value;
/// - number / boolean: primitive node with the lexeme and `.jsonNumber` / `.jsonBoolean`;
/// - null: primitive node with no value;
/// - object: node with one child per member;
/// - array: consecutive `.listItem` siblings; an empty array or an array directly inside an
///   array becomes a node with `typeName` ``JSONSyntax/arrayMarker`` holding the items.
extension JSONTreeBuilder {
    /// Reads the members of an object whose `{` has been consumed, without definitions.
    /// When `skipResourceType` is set, a string `resourceType` member is consumed (the caller
    /// already used it as the node type) instead of being kept.
    mutating func readUntypedMembers(flags: ElementNode.Flags, skipResourceType: Bool)
        throws(JSONFailure) -> [ElementNode]
    {
        if s.peekNonSpace() == 0x7D {
            s.offset += 1
            return []
        }
        let base = nodes.count
        var keys = KeyTracker(base: keyScratch.count)
        while true {
            guard s.peekNonSpace() == 0x22 else { throw failure(.jsonSyntax, "expected a property name") }
            let keyPosition = s.position
            let key = try readString()
            try expectColon()
            guard keys.insert(key, into: &keyScratch, sets: &keySets) else {
                throw JSONFailure(.jsonDuplicateKey, "duplicate property '\(key)'", position: keyPosition)
            }
            if skipResourceType && key == "resourceType" && s.peekNonSpace() == 0x22 {
                _ = try readString()
            } else {
                pushPath(key)
                try readUntypedMember(name: key, flags: flags, keyPosition: keyPosition)
                popPath()
            }
            guard try moreItems(closer: 0x7D) else { break }
        }
        keyScratch.removeSubrange(keys.base...)
        keys.release(&keySets)
        return nodes.popArray(from: base)
    }

    /// Reads the value of one member: a non-empty array becomes `.listItem` siblings.
    mutating func readUntypedMember(
        name: String, flags: ElementNode.Flags, keyPosition: SourcePosition
    ) throws(JSONFailure) {
        guard s.peekNonSpace() == 0x5B else {
            var node = try parseUntypedItem(name: name, flags: flags)
            node.position = keyPosition
            nodes.push(node)
            return
        }
        let arrayPosition = s.position
        try enter()
        s.offset += 1
        if s.peekNonSpace() == 0x5D {
            s.offset += 1
            leave()
            nodes.push(ElementNode(name: name, typeName: JSONSyntax.arrayMarker, position: arrayPosition, flags: flags))
            return
        }
        try readUntypedArrayItems(name: name, flags: flags.union(.listItem))
        leave()
    }

    /// Reads the items of an array whose `[` has been consumed (and is not empty), up to `]`.
    mutating func readUntypedArrayItems(name: String, flags: ElementNode.Flags) throws(JSONFailure) {
        while true {
            nodes.push(try parseUntypedItem(name: name, flags: flags))
            guard try moreItems(closer: 0x5D) else { return }
        }
    }

    /// Reads one value as a single node.
    mutating func parseUntypedItem(name: String, flags: ElementNode.Flags) throws(JSONFailure) -> ElementNode {
        let position = s.position
        let childFlags = flags.intersection(.unknown)
        switch s.peekNonSpace() {
        case 0x7B:
            try enter()
            s.offset += 1
            let children = try readUntypedMembers(flags: childFlags, skipResourceType: false)
            leave()
            return ElementNode(name: name, children: children, position: position, flags: flags)
        case 0x5B:
            try enter()
            s.offset += 1
            var items: [ElementNode] = []
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
            } else {
                let start = nodes.count
                try readUntypedArrayItems(name: name, flags: childFlags.union(.listItem))
                items = nodes.popArray(from: start)
            }
            leave()
            return ElementNode(
                name: name, typeName: JSONSyntax.arrayMarker, children: items, position: position, flags: flags)
        case 0x22:
            let text = try readString()
            return ElementNode(name: name, value: text, position: position, flags: flags.union(.primitive))
        case 0x2D, 0x30...0x39:
            let lexeme = try readNumber()
            return ElementNode(
                name: name, value: lexeme, position: position, flags: flags.union([.primitive, .jsonNumber]))
        case 0:
            throw failure(.jsonSyntax, "unexpected end of input")
        default:
            switch try readLiteral() {
            case .bool(let b):
                return ElementNode(
                    name: name, value: b ? "true" : "false", position: position,
                    flags: flags.union([.primitive, .jsonBoolean]))
            default:
                return ElementNode(name: name, position: position, flags: flags.union(.primitive))
            }
        }
    }

    // MARK: - Pre-scan for resourceType

    /// Finds the string value of `resourceType` among the members of the object whose `{` has
    /// just been consumed, without moving the scanner. Returns `nil` when there is none (or the
    /// object is malformed: the real pass reports that).
    mutating func prescanResourceType() -> String? {
        let savedOffset = s.offset
        let savedLine = s.line
        let savedLineStart = s.lineStart
        defer {
            s.offset = savedOffset
            s.line = savedLine
            s.lineStart = savedLineStart
        }
        while s.peekNonSpace() == 0x22 {
            guard let key = try? s.readString() else { return nil }
            guard s.peekNonSpace() == 0x3A else { return nil }
            s.offset += 1
            if key == "resourceType" {
                guard s.peekNonSpace() == 0x22 else { return nil }
                return try? s.readString()
            }
            guard s.skipValue() else { return nil }
            guard s.peekNonSpace() == 0x2C else { return nil }
            s.offset += 1
        }
        return nil
    }
}

extension JSONScanner {
    /// Skips one JSON value without building anything and without recursion (nesting is counted).
    /// It does not validate; returns `false` when the input ends or is obviously malformed.
    package mutating func skipValue() -> Bool {
        var nesting = 0
        while true {
            let b = peekNonSpace()
            switch b {
            case 0:
                return false
            case 0x22:
                offset += 1
                while offset < bytes.count {
                    if offset + 8 <= bytes.count, let base = bytes.baseAddress {
                        // Eight bytes at a time up to a quote or backslash.
                        let w = Self.word(base + offset)
                        let q = w ^ 0x2222_2222_2222_2222
                        let e = w ^ 0x5C5C_5C5C_5C5C_5C5C
                        let ones: UInt64 = 0x0101_0101_0101_0101
                        let hit = ((q &- ones) & ~q | (e &- ones) & ~e) & 0x8080_8080_8080_8080
                        if hit == 0 {
                            offset += 8
                            continue
                        }
                        offset += Self.firstFlagged(hit)
                    }
                    let c = bytes[offset]
                    if c == 0x22 { break }
                    offset += c == 0x5C ? 2 : 1
                }
                guard offset < bytes.count else { return false }
                offset += 1
            case 0x7B, 0x5B:
                nesting += 1
                offset += 1
                continue
            case 0x7D, 0x5D:
                nesting -= 1
                offset += 1
                if nesting < 0 { return false }
            case 0x2C, 0x3A:
                guard nesting > 0 else { return false }
                offset += 1
                continue
            default:
                while offset < bytes.count {
                    let c = bytes[offset]
                    if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
                        || c == 0x3A
                    {
                        break
                    }
                    offset += 1
                }
            }
            if nesting == 0 { return true }
        }
    }
}
