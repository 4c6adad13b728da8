import FHIRModel

extension JSONTreeBuilder {
    /// Reads the value of a known element key (single value or array) onto the node stack; the
    /// current object's children start at `objectBase`.
    ///
    /// For primitives, `name` and `_name` are merged into the same nodes by index when the other
    /// key has already been read.
    mutating func readElement(
        _ entry: UnsafePointer<WireEntry>, underscore: Bool, mergeWithOtherSlot: Bool, keyPosition: SourcePosition,
        objectBase: Int
    ) throws(JSONFailure) {
        if mergeWithOtherSlot,
            let run = findRun(
                entry.pointee.name, typeCode: entry.pointee.typeCode, choice: entry.pointee.isChoice,
                from: objectBase)
        {
            let freshStart = nodes.count
            try readValues(entry, underscore: underscore, keyPosition: keyPosition)
            let fresh = nodes.popArray(from: freshStart)
            merge(fresh, run: run, underscore: underscore, name: entry.pointee.name, at: keyPosition)
        } else {
            try readValues(entry, underscore: underscore, keyPosition: keyPosition)
        }
    }

    /// Reads a single value or an array of values of one element.
    mutating func readValues(_ entry: UnsafePointer<WireEntry>, underscore: Bool, keyPosition: SourcePosition)
        throws(JSONFailure)
    {
        if s.peekNonSpace() == 0x5B {
            let arrayPosition = s.position
            try enter()
            s.offset += 1
            if !entry.pointee.isArray {
                reportAt(
                    entry.pointee.name, .jsonArrayUnexpected, "element does not repeat but an array was given",
                    arrayPosition)
            }
            if s.peekNonSpace() == 0x5D {
                s.offset += 1
                leave()
                reportAt(entry.pointee.name, .jsonEmpty, "empty array", arrayPosition)
                return
            }
            var index = 0
            while true {
                path.append(PathComponent(entry, index))
                let itemPosition = s.position
                try readItem(entry, underscore: underscore, listItem: true, position: itemPosition)
                popPath()
                index += 1
                guard try moreItems(closer: 0x5D) else { break }
            }
            leave()
        } else {
            // A null is reported as a null, not also as a missing array.
            let asList = entry.pointee.isArray && s.peekNonSpace() != 0x6E
            path.append(PathComponent(entry, asList ? 0 : -1))
            if asList { reportHere(.jsonArrayExpected, "element repeats and must be an array") }
            try readItem(entry, underscore: underscore, listItem: asList, position: keyPosition)
            popPath()
        }
    }

    /// Reads one value (not an array of this element) into a node pushed on the node stack.
    mutating func readItem(
        _ entry: UnsafePointer<WireEntry>, underscore: Bool, listItem: Bool, position: SourcePosition
    ) throws(JSONFailure) {
        var flags: ElementNode.Flags = listItem ? .listItem : []
        if entry.pointee.isChoice { flags.insert(.choice) }
        let b = s.peekNonSpace()
        switch entry.pointee.shape {
        case .boolean, .number, .string:
            if underscore {
                try readPrimitiveExtension(entry, flags: flags, position: position)
            } else {
                try readPrimitive(entry, flags: flags, position: position)
            }
        case .resource:
            if b == 0x7B {
                nodes.push(try parseResource(elementName: entry.pointee.name, flags: flags))
            } else {
                try readNonObject(
                    entry.pointee.name, typeCode: entry.pointee.typeCode, kind: "a resource object", flags: flags)
            }
        case .complex:
            if b == 0x7B {
                let objectPosition = s.position
                try enter()
                s.offset += 1
                let kids: [ElementNode]
                var nodeFlags = flags
                if entry.pointee.childType >= 0, let keyTables {
                    kids = try readMembers(
                        of: keyTables[Int(entry.pointee.childType)], isResource: false, at: objectPosition)
                } else {
                    nodeFlags.insert(.unknown)
                    kids = try readUntypedMembers(flags: .unknown, skipResourceType: false)
                }
                leave()
                nodes.push(
                    ElementNode(
                        name: entry.pointee.name,
                        typeName: entry.pointee.typeCode.isEmpty ? nil : entry.pointee.typeCode,
                        children: kids, position: position, flags: nodeFlags))
            } else {
                try readNonObject(entry.pointee.name, typeCode: entry.pointee.typeCode, kind: "an object", flags: flags)
            }
        case .resourceType:
            try readUntypedMember(name: entry.pointee.name, flags: .unknown, keyPosition: position)
        }
    }

    /// Reads the `_name` object (id and extensions) of a primitive.
    mutating func readPrimitiveExtension(
        _ entry: UnsafePointer<WireEntry>, flags: ElementNode.Flags, position: SourcePosition
    ) throws(JSONFailure) {
        let b = s.peekNonSpace()
        if b == 0x7B {
            let objectPosition = s.position
            try enter()
            s.offset += 1
            let kids: [ElementNode]
            if let element = elementTable {
                kids = try readMembers(of: element, isResource: false, at: objectPosition)
            } else {
                kids = try readUntypedMembers(flags: [], skipResourceType: false)
            }
            leave()
            if kids.isEmpty { pendingPlaceholders = true }
            nodes.push(
                ElementNode(
                    name: entry.pointee.name, typeName: entry.pointee.typeCode, children: kids, position: position,
                    flags: flags.union(.primitive)))
        } else if b == 0x6E {
            _ = try readLiteral()
            pendingPlaceholders = true
            nodes.push(
                ElementNode(
                    name: entry.pointee.name, typeName: entry.pointee.typeCode, position: position,
                    flags: flags.union(.primitive)))
        } else {
            reportHere(.jsonWrongType, "the '_' form of a primitive must be an object or null")
            try appendUnknownValue("_" + entry.pointee.name, typeCode: entry.pointee.typeCode, flags: flags)
        }
    }

    /// Reports an issue at `position` for the child `name` of the current path.
    @inline(never)
    mutating func reportAt(_ name: String, _ code: IssueCode, _ message: String, _ position: SourcePosition) {
        pushPath(name)
        report(code, message, at: position)
        popPath()
    }

    /// Reports an issue at the current path and position.
    @inline(never)
    mutating func reportHere(_ code: IssueCode, _ message: String) {
        report(code, message, at: s.position)
    }

    /// Reports a primitive given as the wrong JSON kind.
    @inline(never)
    mutating func reportWrongKind(_ entry: UnsafePointer<WireEntry>, given: String?, at position: SourcePosition) {
        let e = entry.pointee
        let what = given.map { ", not a \($0)" } ?? ""
        report(
            .jsonWrongType, "'\(e.name)' is a \(e.typeCode) and must be a JSON \(kindName(e.primitiveKind))\(what)",
            at: position)
    }

    /// Handles a non-object where an object belongs: null is reported and dropped, anything else is
    /// reported and kept verbatim as an unknown node.
    @inline(never)
    mutating func readNonObject(
        _ name: String, typeCode: String, kind: String, flags: ElementNode.Flags
    ) throws(JSONFailure) {
        let position = s.position
        if s.peekNonSpace() == 0x6E {
            _ = try readLiteral()
            report(.jsonNullValue, "null value is not allowed", at: position)
            return
        }
        if s.peekNonSpace() == 0 { throw failure(.jsonSyntax, "unexpected end of input") }
        report(.jsonWrongType, "element '\(name)' must be \(kind)", at: position)
        try appendUnknownValue(name, typeCode: typeCode, flags: flags)
    }

    /// Keeps a value of the wrong JSON kind verbatim as an unknown node. A choice keeps its type
    /// so the writer restores the suffixed name.
    mutating func appendUnknownValue(_ name: String, typeCode: String, flags: ElementNode.Flags)
        throws(JSONFailure)
    {
        var node = try parseUntypedItem(name: name, flags: flags.union(.unknown))
        if flags.contains(.choice) && node.typeName == nil { node.typeName = typeCode }
        nodes.push(node)
    }

    /// Reads a primitive value (string, number, boolean or null) into a node.
    ///
    /// The entry is passed by pointer and its strings are read where they are used, so the
    /// call costs no retains of the entry's name and type.
    mutating func readPrimitive(_ entry: UnsafePointer<WireEntry>, flags: ElementNode.Flags, position: SourcePosition)
        throws(JSONFailure)
    {
        let valuePosition = s.position
        let kind = entry.pointee.primitiveKind
        var flags = flags.union(.primitive)
        let value: String?
        switch s.peekNonSpace() {
        case 0x22:
            let text = try readString()
            if kind != .string {
                reportWrongKind(entry, given: "string", at: valuePosition)
            } else if text.isEmpty {
                report(.jsonEmpty, "empty string", at: valuePosition)
            }
            value = text
        case 0x2D, 0x30...0x39:
            let lexeme = try readNumber()
            if kind != .number {
                reportWrongKind(entry, given: "number", at: valuePosition)
            }
            flags.insert(.jsonNumber)
            value = lexeme
        case 0x7B, 0x5B:
            reportWrongKind(entry, given: nil, at: valuePosition)
            try appendUnknownValue(
                entry.pointee.name, typeCode: entry.pointee.typeCode, flags: flags.subtracting(.primitive))
            return
        case 0:
            throw failure(.jsonSyntax, "unexpected end of input")
        default:
            switch try readLiteral() {
            case .bool(let b):
                if kind != .boolean {
                    reportWrongKind(entry, given: "boolean", at: valuePosition)
                }
                flags.insert(.jsonBoolean)
                value = b ? "true" : "false"
            default:
                pendingPlaceholders = true
                value = nil
            }
        }
        nodes.push(
            ElementNode(
                name: entry.pointee.name, typeName: entry.pointee.typeCode, value: value, position: position,
                flags: flags))
    }

    func kindName(_ kind: JSONPrimitiveKind) -> String {
        switch kind {
        case .boolean: "boolean"
        case .number: "number"
        case .string: "string"
        case .notPrimitive: "object"
        }
    }

    /// The nodes already read for a primitive element (from the other of `name` / `_name`),
    /// among the current object's children (from `objectBase` to the top of the node stack).
    @inline(never)
    func findRun(_ name: String, typeCode: String, choice: Bool, from objectBase: Int) -> Range<Int>? {
        func matches(_ node: borrowing ElementNode) -> Bool {
            node.name == name && (!choice || node.typeName == typeCode || node.isUnknown)
        }
        var start = objectBase
        while start < nodes.count && !matches(nodes[start]) { start += 1 }
        guard start < nodes.count else { return nil }
        var end = start + 1
        while end < nodes.count && matches(nodes[end]) { end += 1 }
        return start..<end
    }

    /// Merges the nodes of `name` into those of `_name` (or the reverse) by index; `run` holds the
    /// nodes of the other form on the node stack.
    @inline(never)
    mutating func merge(
        _ fresh: [ElementNode], run: Range<Int>, underscore: Bool, name: String, at position: SourcePosition
    ) {
        if fresh.count != run.count {
            pushPath(name)
            report(.primitiveMismatch, "'\(name)' and '_\(name)' have different numbers of items", at: position)
            popPath()
        }
        var inserted = 0
        for (k, node) in fresh.enumerated() {
            if k < run.count {
                let target = run.lowerBound + k
                if nodes[target].isPrimitive && !nodes[target].isUnknown && node.isPrimitive && !node.isUnknown {
                    if underscore {
                        nodes[target].children = node.children
                    } else {
                        nodes[target].value = node.value
                        nodes[target].flags.formUnion(node.flags)
                    }
                    continue
                }
            }
            nodes.insert(node, at: run.upperBound + inserted)
            inserted += 1
        }
    }
}
