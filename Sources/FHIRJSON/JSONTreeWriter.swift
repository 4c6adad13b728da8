import FHIRModel

/// The members of one object that share a JSON key: a range of children, or a gathered list
/// when the same key occurs in separate places.
struct MemberRun {
    var start: Int
    var end: Int
    /// The element index in the parent summary, or -1 when the name is not an element.
    var element: Int
}

/// The recursive writer behind ``FHIRJSONWriter``.
struct JSONTreeWriter {
    let model: ModelInfo?
    let elementSummary: TypeSummary?
    var out: JSONOutput
    var runScratch: [MemberRun] = []

    init(model: ModelInfo?, pretty: Bool) {
        self.model = model
        elementSummary = model?.type(named: "Element")
        out = JSONOutput(pretty: pretty, capacity: 16 * 1024)
        runScratch.reserveCapacity(256)
    }

    mutating func writeRoot(_ node: ElementNode) {
        if node.isResource {
            writeResource(node)
        } else if node.isUnknown || node.isPrimitive || node.value != nil || node.typeName == nil {
            writeUntyped(node)
        } else {
            writeComplex(node, summary: model?.type(named: node.typeName ?? ""))
        }
    }

    // MARK: - Objects

    mutating func writeResource(_ node: ElementNode) {
        let summary = node.isUnknown ? nil : node.typeName.flatMap { model?.type(named: $0) }
        out.open(0x7B)
        var first = true
        if let type = node.typeName {
            out.separator(first: true)
            first = false
            out.key("resourceType")
            out.string(type)
        }
        writeMembers(node.children, summary: summary, first: &first)
        out.close(0x7D, empty: first)
    }

    mutating func writeComplex(_ node: ElementNode, summary: TypeSummary?) {
        out.open(0x7B)
        var first = true
        writeMembers(node.children, summary: summary, first: &first)
        out.close(0x7D, empty: first)
    }

    /// Whether two sibling nodes are written under the same JSON key.
    @inline(__always)
    static func sameKey(_ a: ElementNode, _ b: ElementNode) -> Bool {
        guard a.name == b.name, a.isChoice == b.isChoice else { return false }
        return !a.isChoice || a.typeName == b.typeName
    }

    /// Writes the children of an object as members, gathering each key's nodes into one member.
    mutating func writeMembers(_ children: [ElementNode], summary: TypeSummary?, first: inout Bool) {
        guard !children.isEmpty else { return }
        let base = runScratch.count
        var ordered = true
        var last = -1
        var unknownRuns = 0
        var i = 0
        while i < children.count {
            var j = i + 1
            while j < children.count && Self.sameKey(children[j], children[i]) { j += 1 }
            let index = summary?.elementIndex(named: children[i].name) ?? -1
            if index < 0 {
                unknownRuns += 1
                if unknownRuns > 1 { ordered = false }
            } else if index <= last {
                ordered = false
            } else {
                last = index
            }
            runScratch.append(MemberRun(start: i, end: j, element: index))
            i = j
        }
        if ordered {
            for r in base..<runScratch.count {
                let run = runScratch[r]
                writeRun(children[run.start..<run.end], element: run.element, summary: summary, first: &first)
            }
        } else {
            writeGrouped(children, runs: Array(runScratch[base...]), summary: summary, first: &first)
        }
        runScratch.removeSubrange(base...)
    }

    /// The slow path: a key occurs in more than one place; gather by key in first-seen order.
    mutating func writeGrouped(_ children: [ElementNode], runs: [MemberRun], summary: TypeSummary?, first: inout Bool) {
        struct Key: Hashable {
            var name: String
            var choiceType: String?
        }
        var groupOf: [Key: Int] = [:]
        var groups: [(element: Int, nodes: [ElementNode])] = []
        for run in runs {
            let node = children[run.start]
            let key = Key(name: node.name, choiceType: node.isChoice ? (node.typeName ?? "") : nil)
            if let g = groupOf[key] {
                groups[g].nodes.append(contentsOf: children[run.start..<run.end])
            } else {
                groupOf[key] = groups.count
                groups.append((run.element, Array(children[run.start..<run.end])))
            }
        }
        for group in groups {
            writeRun(group.nodes[...], element: group.element, summary: summary, first: &first)
        }
    }

    // MARK: - Members

    /// Writes the member (and `_` member) for the nodes of one key.
    mutating func writeRun(
        _ nodes: ArraySlice<ElementNode>, element index: Int, summary: TypeSummary?, first: inout Bool
    ) {
        guard let node0 = nodes.first else { return }
        let manyOrListed = nodes.count > 1 || nodes.contains { $0.isListItem }
        guard let summary, index >= 0, !nodes.allSatisfy({ $0.isUnknown }) else {
            out.separator(first: first)
            first = false
            writeKey(node0, underscore: false)
            writeUntypedItems(nodes, asArray: manyOrListed)
            return
        }
        let element = summary.elements[index]
        let isArray = element.isArray || manyOrListed
        let typeCode = node0.typeName ?? element.types.first ?? ""
        if element.holdsResource || node0.isResource {
            out.separator(first: first)
            first = false
            writeKey(node0, underscore: false)
            writeItems(nodes, asArray: isArray) { w, node in
                if node.isResource { w.writeResource(node) } else { w.writeUntyped(node) }
            }
            return
        }
        if JSONPrimitiveKind.of(typeCode) != .notPrimitive || node0.isPrimitive {
            writePrimitiveRun(nodes, element: element, isArray: isArray, first: &first)
            return
        }
        out.separator(first: first)
        first = false
        writeKey(node0, underscore: false)
        let model = self.model
        writeItems(nodes, asArray: isArray) { w, node in
            if node.isUnknown || node.isPrimitive {
                w.writeUntyped(node)
            } else {
                let code = node.typeName ?? element.types.first ?? ""
                w.writeComplex(node, summary: model?.childSummary(of: element, type: code))
            }
        }
    }

    /// Writes `name` with the values and `_name` with the ids and extensions of primitive nodes.
    mutating func writePrimitiveRun(
        _ nodes: ArraySlice<ElementNode>, element: ElementSummary, isArray: Bool, first: inout Bool
    ) {
        guard let node0 = nodes.first else { return }
        let hasValue = nodes.contains { $0.value != nil || $0.isUnknown || !$0.isPrimitive }
        let hasExtension = nodes.contains { $0.isPrimitive && !$0.isUnknown && !$0.children.isEmpty }
        let defaultType = element.types.first ?? "string"
        if hasValue {
            out.separator(first: first)
            first = false
            writeKey(node0, underscore: false)
            writeItems(nodes, asArray: isArray) { w, node in
                if node.isUnknown || !node.isPrimitive {
                    w.writeUntyped(node)
                } else {
                    w.writePrimitiveValue(node.value, kind: JSONPrimitiveKind.of(node.typeName ?? defaultType))
                }
            }
        }
        if hasExtension {
            out.separator(first: first)
            first = false
            writeKey(node0, underscore: true)
            let summary = elementSummary
            writeItems(nodes, asArray: isArray) { w, node in
                if node.isPrimitive && !node.isUnknown && !node.children.isEmpty {
                    w.writeComplex(node, summary: summary)
                } else {
                    w.out.null()
                }
            }
        }
    }

    /// Writes one item or an array of items with `body`.
    mutating func writeItems(
        _ nodes: ArraySlice<ElementNode>, asArray: Bool, _ body: (inout JSONTreeWriter, ElementNode) -> Void
    ) {
        guard asArray else {
            if let node = nodes.first { body(&self, node) }
            return
        }
        out.open(0x5B)
        var firstItem = true
        for node in nodes {
            out.separator(first: firstItem)
            firstItem = false
            body(&self, node)
        }
        out.close(0x5D, empty: firstItem)
    }

    mutating func writeKey(_ node: ElementNode, underscore: Bool) {
        if node.isChoice, let type = node.typeName, type != JSONSyntax.arrayMarker {
            out.choiceKey(node.name, type: type, underscore: underscore)
        } else if underscore {
            out.choiceKey("_" + node.name, type: "", underscore: false)
        } else {
            out.key(node.name)
        }
    }

    // MARK: - Values

    mutating func writePrimitiveValue(_ value: String?, kind: JSONPrimitiveKind) {
        guard let value else {
            out.null()
            return
        }
        switch kind {
        case .boolean where value == "true" || value == "false":
            out.raw(value)
        case .number where JSONSyntax.isNumber(value):
            out.raw(value)
        default:
            out.string(value)
        }
    }

    mutating func writeUntypedItems(_ nodes: ArraySlice<ElementNode>, asArray: Bool) {
        writeItems(nodes, asArray: asArray) { w, node in w.writeUntyped(node) }
    }

    /// Writes a node as the JSON it was read from, using only its flags.
    mutating func writeUntyped(_ node: ElementNode) {
        if node.isResource {
            writeResource(node)
        } else if node.typeName == JSONSyntax.arrayMarker && !node.isPrimitive {
            writeUntypedItems(node.children[...], asArray: true)
        } else if node.isPrimitive || node.value != nil {
            guard let value = node.value else {
                out.null()
                return
            }
            if node.flags.contains(.jsonNumber) && JSONSyntax.isNumber(value) {
                out.raw(value)
            } else if node.flags.contains(.jsonBoolean) && (value == "true" || value == "false") {
                out.raw(value)
            } else {
                out.string(value)
            }
        } else {
            writeComplex(node, summary: nil)
        }
    }
}
