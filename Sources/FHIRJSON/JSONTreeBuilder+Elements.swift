import FHIRModel

extension JSONTreeBuilder {
    /// Reads the value of a known element key (single value or array) into `children`.
    ///
    /// For primitives, `name` and `_name` are merged into the same nodes by index when the other
    /// key has already been read.
    mutating func readElement(
        _ entry: WireEntry, underscore: Bool, mergeWithOtherSlot: Bool, keyPosition: SourcePosition,
        into children: inout [ElementNode]
    ) throws(JSONFailure) {
        if mergeWithOtherSlot,
            let run = findRun(entry.name, typeCode: entry.typeCode, choice: entry.isChoice, in: children)
        {
            var fresh: [ElementNode] = []
            try readValues(entry, underscore: underscore, keyPosition: keyPosition, into: &fresh)
            merge(fresh, into: &children, run: run, underscore: underscore, name: entry.name, at: keyPosition)
        } else {
            try readValues(entry, underscore: underscore, keyPosition: keyPosition, into: &children)
        }
    }

    /// Reads a single value or an array of values of one element.
    mutating func readValues(
        _ entry: WireEntry, underscore: Bool, keyPosition: SourcePosition, into children: inout [ElementNode]
    ) throws(JSONFailure) {
        if s.peekNonSpace() == 0x5B {
            let arrayPosition = s.position
            try enter()
            s.offset += 1
            if !entry.isArray {
                reportAt(
                    entry.name, .jsonArrayUnexpected, "element does not repeat but an array was given", arrayPosition)
            }
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
                leave()
                reportAt(entry.name, .jsonEmpty, "empty array", arrayPosition)
                return
            }
            var index = 0
            while true {
                path.append(PathComponent(entry.name, index))
                let itemPosition = s.position
                try readItem(entry, underscore: underscore, listItem: true, position: itemPosition, into: &children)
                path.removeLast()
                index += 1
                let c = s.peekNonSpace()
                if c == 0x2C {
                    s.offset += 1
                    continue
                }
                if c == 0x5D {
                    s.offset += 1
                    break
                }
                throw syntaxError("expected ',' or ']'")
            }
            leave()
        } else {
            // A null is reported as a null, not also as a missing array.
            let asList = entry.isArray && s.peekNonSpace() != 0x6E
            path.append(PathComponent(entry.name, asList ? 0 : -1))
            if asList { reportHere(.jsonArrayExpected, "element repeats and must be an array") }
            try readItem(entry, underscore: underscore, listItem: asList, position: keyPosition, into: &children)
            path.removeLast()
        }
    }

    /// Reads one value (not an array of this element) into a node appended to `children`.
    mutating func readItem(
        _ entry: WireEntry, underscore: Bool, listItem: Bool, position: SourcePosition,
        into children: inout [ElementNode]
    ) throws(JSONFailure) {
        var flags: ElementNode.Flags = listItem ? .listItem : []
        if entry.isChoice { flags.insert(.choice) }
        let b = s.peekNonSpace()
        switch entry.shape {
        case .boolean, .number, .string:
            if underscore {
                try readPrimitiveExtension(entry, flags: flags, position: position, into: &children)
            } else {
                try readPrimitive(
                    entry.name, typeCode: entry.typeCode, kind: entry.primitiveKind, flags: flags, position: position,
                    into: &children)
            }
        case .resource:
            if b == 0x7B {
                children.append(try parseResource(elementName: entry.name, flags: flags))
            } else {
                try readNonObject(
                    entry.name, typeCode: entry.typeCode, kind: "a resource object", flags: flags, into: &children)
            }
        case .complex:
            if b == 0x7B {
                let objectPosition = s.position
                try enter()
                s.offset += 1
                let typeName: String? = entry.typeCode.isEmpty ? nil : entry.typeCode
                let kids: [ElementNode]
                var nodeFlags = flags
                if entry.childType >= 0, let tables {
                    kids = try readMembers(
                        of: tables.types[Int(entry.childType)], isResource: false, at: objectPosition)
                } else {
                    nodeFlags.insert(.unknown)
                    kids = try readUntypedMembers(flags: .unknown, skipResourceType: false)
                }
                leave()
                children.append(
                    ElementNode(
                        name: entry.name, typeName: typeName, children: kids, position: position, flags: nodeFlags))
            } else {
                try readNonObject(
                    entry.name, typeCode: entry.typeCode, kind: "an object", flags: flags, into: &children)
            }
        case .resourceType:
            try readUntypedMember(name: entry.name, flags: .unknown, keyPosition: position, into: &children)
        }
    }

    /// Reads the `_name` object (id and extensions) of a primitive.
    mutating func readPrimitiveExtension(
        _ entry: WireEntry, flags: ElementNode.Flags, position: SourcePosition, into children: inout [ElementNode]
    ) throws(JSONFailure) {
        let b = s.peekNonSpace()
        if b == 0x7B {
            let objectPosition = s.position
            try enter()
            s.offset += 1
            let kids: [ElementNode]
            if let element = tables?.element {
                kids = try readMembers(of: element, isResource: false, at: objectPosition)
            } else {
                kids = try readUntypedMembers(flags: [], skipResourceType: false)
            }
            leave()
            if kids.isEmpty { pendingPlaceholders = true }
            let node = ElementNode(
                name: entry.name, typeName: entry.typeCode, children: kids, position: position,
                flags: flags.union(.primitive))
            children.append(node)
        } else if b == 0x6E {
            _ = try readLiteral()
            pendingPlaceholders = true
            let node = ElementNode(
                name: entry.name, typeName: entry.typeCode, position: position, flags: flags.union(.primitive))
            children.append(node)
        } else {
            reportHere(.jsonWrongType, "the '_' form of a primitive must be an object or null")
            try appendUnknownValue("_" + entry.name, typeCode: entry.typeCode, flags: flags, into: &children)
        }
    }

    /// Reports an issue at `position` for the child `name` of the current path.
    @inline(never)
    mutating func reportAt(_ name: String, _ code: IssueCode, _ message: String, _ position: SourcePosition) {
        path.append(PathComponent(name))
        report(code, message, at: position)
        path.removeLast()
    }

    /// Reports an issue at the current path and position.
    @inline(never)
    mutating func reportHere(_ code: IssueCode, _ message: String) {
        report(code, message, at: s.position)
    }

    /// Reports a primitive given as the wrong JSON kind.
    @inline(never)
    mutating func reportWrongKind(
        _ name: String, typeCode: String, kind: JSONPrimitiveKind, given: String?, at position: SourcePosition
    ) {
        let what = given.map { ", not a \($0)" } ?? ""
        report(.jsonWrongType, "'\(name)' is a \(typeCode) and must be a JSON \(kindName(kind))\(what)", at: position)
    }

    /// Handles a non-object where an object belongs: null is reported and dropped, anything else is
    /// reported and kept verbatim as an unknown node.
    @inline(never)
    mutating func readNonObject(
        _ name: String, typeCode: String, kind: String, flags: ElementNode.Flags, into children: inout [ElementNode]
    ) throws(JSONFailure) {
        let position = s.position
        if s.peekNonSpace() == 0x6E {
            _ = try readLiteral()
            report(.jsonNullValue, "null value is not allowed", at: position)
            return
        }
        if s.peekNonSpace() == 0 { throw failure(.jsonSyntax, "unexpected end of input") }
        report(.jsonWrongType, "element '\(name)' must be \(kind)", at: position)
        try appendUnknownValue(name, typeCode: typeCode, flags: flags, into: &children)
    }

    /// Keeps a value of the wrong JSON kind verbatim as an unknown node. A choice keeps its type
    /// so the writer restores the suffixed name.
    mutating func appendUnknownValue(
        _ name: String, typeCode: String, flags: ElementNode.Flags, into children: inout [ElementNode]
    ) throws(JSONFailure) {
        var node = try parseUntypedItem(name: name, flags: flags.union(.unknown))
        if flags.contains(.choice) && node.typeName == nil { node.typeName = typeCode }
        children.append(node)
    }

    /// Reads a primitive value (string, number, boolean or null) into a node.
    mutating func readPrimitive(
        _ name: String, typeCode: String, kind: JSONPrimitiveKind, flags: ElementNode.Flags, position: SourcePosition,
        into children: inout [ElementNode]
    ) throws(JSONFailure) {
        let valuePosition = s.position
        var flags = flags.union(.primitive)
        let value: String?
        switch s.peekNonSpace() {
        case 0x22:
            let text = try readString()
            if kind != .string {
                reportWrongKind(name, typeCode: typeCode, kind: kind, given: "string", at: valuePosition)
            } else if text.isEmpty {
                report(.jsonEmpty, "empty string", at: valuePosition)
            }
            value = text
        case 0x2D, 0x30...0x39:
            let lexeme = try readNumber()
            if kind != .number {
                reportWrongKind(name, typeCode: typeCode, kind: kind, given: "number", at: valuePosition)
            }
            flags.insert(.jsonNumber)
            value = lexeme
        case 0x7B, 0x5B:
            reportWrongKind(name, typeCode: typeCode, kind: kind, given: nil, at: valuePosition)
            try appendUnknownValue(name, typeCode: typeCode, flags: flags.subtracting(.primitive), into: &children)
            return
        case 0:
            throw failure(.jsonSyntax, "unexpected end of input")
        default:
            switch try readLiteral() {
            case .bool(let b):
                if kind != .boolean {
                    reportWrongKind(name, typeCode: typeCode, kind: kind, given: "boolean", at: valuePosition)
                }
                flags.insert(.jsonBoolean)
                value = b ? "true" : "false"
            default:
                pendingPlaceholders = true
                value = nil
            }
        }
        children.append(ElementNode(name: name, typeName: typeCode, value: value, position: position, flags: flags))
    }

    func kindName(_ kind: JSONPrimitiveKind) -> String {
        switch kind {
        case .boolean: "boolean"
        case .number: "number"
        case .string: "string"
        case .notPrimitive: "object"
        }
    }

    /// The nodes already read for a primitive element (from the other of `name` / `_name`).
    @inline(never)
    func findRun(_ name: String, typeCode: String, choice: Bool, in children: [ElementNode]) -> Range<Int>? {
        func matches(_ node: ElementNode) -> Bool {
            node.name == name && (!choice || node.typeName == typeCode || node.isUnknown)
        }
        guard let start = children.firstIndex(where: matches) else { return nil }
        var end = start + 1
        while end < children.count && matches(children[end]) { end += 1 }
        return start..<end
    }

    /// Merges the nodes of `name` into those of `_name` (or the reverse) by index.
    @inline(never)
    mutating func merge(
        _ fresh: [ElementNode], into children: inout [ElementNode], run: Range<Int>, underscore: Bool, name: String,
        at position: SourcePosition
    ) {
        if fresh.count != run.count {
            path.append(PathComponent(name))
            report(.primitiveMismatch, "'\(name)' and '_\(name)' have different numbers of items", at: position)
            path.removeLast()
        }
        var inserted = 0
        for (k, node) in fresh.enumerated() {
            if k < run.count {
                let target = run.lowerBound + k
                let existing = children[target]
                if existing.isPrimitive && !existing.isUnknown && node.isPrimitive && !node.isUnknown {
                    if underscore {
                        children[target].children = node.children
                    } else {
                        children[target].value = node.value
                        children[target].flags.formUnion(node.flags)
                    }
                    continue
                }
            }
            children.insert(node, at: run.upperBound + inserted)
            inserted += 1
        }
    }
}
