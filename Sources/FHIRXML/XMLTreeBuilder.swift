import CLibXML2
import FHIRModel

/// Builds the element tree from libxml2 SAX2 events (see `XMLTreeBuilder+SAX.swift` for the
/// C callbacks and the parse loop). One builder serves one parse.
///
/// A struct held in one ``XMLParseSession`` box: each SAX callback then makes a single
/// exclusive access to the box instead of one per field.
struct XMLTreeBuilder {
    enum Mode {
        /// A FHIR resource document.
        case resource
        /// A standalone XHTML fragment (a narrative `div` string), serialised in the given mode.
        case xhtmlFragment(XHTMLSerializer.Mode)
    }

    enum FrameKind: UInt8 {
        case resource, complex, primitive, container, unknown, skip
    }

    struct Frame {
        var kind: FrameKind
        var node: ElementNode
        /// Index (into `summaries`) of the summary describing the children, or -1.
        var summaryID: Int32
        /// This node's sort key in its parent (element index; `Int.max` for unknown).
        var key: Int
        var lastKey = Int.min
        var needsSort = false
        var containerFilled = false
    }

    /// What a (summary, element name) pair resolves to; cached per parse.
    struct Resolved {
        enum Kind: UInt8 { case complex, primitive, container, xhtml, attributeOnly }
        let name: String
        let typeCode: String
        let index: Int
        let kind: Kind
        let flags: ElementNode.Flags
        let childSummaryID: Int32
    }

    let model: ModelInfo
    let limits: XMLLimits
    let mode: Mode
    var ctxt: xmlParserCtxtPtr?

    var stack: [Frame] = []
    var issues: [Issue] = []
    var root: ElementNode?
    var fragment: String?
    /// A problem that stopped the parse (DOCTYPE, entity, depth).
    var fatal: FHIRFormatError?
    /// The first error libxml2 reported.
    var syntaxError: FHIRFormatError?
    var depth = 0
    /// Whether the root element has started (for telling "no root" from "content after it").
    var rootStarted = false

    /// The narrative being captured, its depth and where it started.
    var xhtml: XHTMLSerializer?
    var xhtmlDepth = 0
    /// The resolution (index in ``resolved``) of the narrative element being captured, or -1.
    var xhtmlResolved: Int32 = -1
    var xhtmlPosition = SourcePosition.unknown

    private var summaries: [TypeSummary] = []
    /// The summary id for the children of primitives (`Element`), once looked up.
    private var primitiveSummaryID = Int32.min
    private var summaryIDs: [String: Int32] = [:]
    /// Resolutions, and the caches mapping (summary, name) to an index in it (-1: unknown).
    private(set) var resolved: [Resolved] = []
    private var elementCache = PointerKeyCache()
    private var attributeCache = PointerKeyCache(capacity: 16)
    /// libxml2 interns names in the parser dictionary, so one pointer is one name per parse.
    private var names: [UnsafeRawPointer: String] = [:]
    /// A root in the wrong namespace is reported once; its namespace is then accepted.
    var acceptedNamespace: String?
    /// Whether the current run of character data (one text node: the characters between two
    /// tags or comments, which libxml2 may deliver in several pieces) was already reported.
    var textRunReported = false

    init(model: ModelInfo, limits: XMLLimits, mode: Mode) {
        self.model = model
        self.limits = limits
        self.mode = mode
    }

    // MARK: - Names, summaries, resolution

    mutating func name(_ p: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(p)
        if let s = names[key] { return s }
        let s = saxString(p)
        names[key] = s
        return s
    }

    mutating func summaryID(_ summary: TypeSummary?) -> Int32 {
        guard let summary else { return -1 }
        if let id = summaryIDs[summary.name] { return id }
        let id = Int32(summaries.count)
        summaries.append(summary)
        summaryIDs[summary.name] = id
        return id
    }

    func summary(_ id: Int32) -> TypeSummary? { id >= 0 ? summaries[Int(id)] : nil }

    static func isPrimitive(_ model: ModelInfo, _ typeCode: String) -> Bool {
        // FHIR primitive type codes start with a lowercase letter, other types with a capital.
        guard let first = typeCode.utf8.first else { return false }
        return (first >= 0x61 && first <= 0x7A)
            && (model.isPrimitiveType(typeCode) || typeCode.hasPrefix("http://hl7.org/fhirpath/System."))
    }

    private mutating func resolve(in sid: Int32, wireName: String) -> Resolved? {
        guard let summary = summary(sid), let r = summary.resolve(wireName: wireName) else { return nil }
        let element = r.element
        var flags: ElementNode.Flags = []
        if element.isArray { flags.insert(.listItem) }
        if element.isChoice { flags.insert(.choice) }
        let kind: Resolved.Kind
        var child: Int32 = -1
        if element.isXMLAttribute {
            kind = .attributeOnly
            flags.insert(.primitive)
        } else if r.typeCode == "xhtml" {
            kind = .xhtml
            flags.insert(.primitive)
        } else if element.holdsResource || r.typeCode == "Resource" {
            kind = .container
        } else if Self.isPrimitive(model, r.typeCode) {
            kind = .primitive
            flags.insert(.primitive)
            // Every primitive holds what Element holds (id, extension): one shared summary.
            if primitiveSummaryID == Int32.min {
                primitiveSummaryID = summaryID(model.type(named: "Element") ?? model.type(named: r.typeCode))
            }
            child = primitiveSummaryID
        } else {
            kind = .complex
            child = summaryID(model.childSummary(of: element, type: r.typeCode))
        }
        return Resolved(
            name: element.name, typeCode: r.typeCode, index: r.index, kind: kind, flags: flags,
            childSummaryID: child)
    }

    /// The index in ``resolved`` of an element name in a summary, or -1 when unknown.
    mutating func resolveElement(in summaryID: Int32, _ p: UnsafePointer<xmlChar>) -> Int32 {
        if let cached = elementCache.value(summary: summaryID, name: p) { return cached }
        var index: Int32 = -1
        if let r = resolve(in: summaryID, wireName: name(p)) {
            index = Int32(resolved.count)
            resolved.append(r)
        }
        elementCache.set(summary: summaryID, name: p, index)
        return index
    }

    /// The index in ``resolved`` of an attribute name in a summary (only elements XML carries
    /// as attributes), or -1.
    mutating func resolveAttribute(in summaryID: Int32, _ p: UnsafePointer<xmlChar>) -> Int32 {
        if let cached = attributeCache.value(summary: summaryID, name: p) { return cached }
        var index: Int32 = -1
        if let r = resolve(in: summaryID, wireName: name(p)), r.kind == .attributeOnly {
            index = Int32(resolved.count)
            resolved.append(r)
        }
        attributeCache.set(summary: summaryID, name: p, index)
        return index
    }

    // MARK: - Positions, paths, issues

    var tagPosition: SourcePosition {
        var line: Int32 = 0
        var col: Int32 = 0
        fg_xml_tag_start(ctxt, &line, &col)
        return SourcePosition(line: Int(line), column: Int(col))
    }

    var currentPosition: SourcePosition {
        var line: Int32 = 0
        var col: Int32 = 0
        fg_xml_position(ctxt, &line, &col)
        return SourcePosition(line: Int(line), column: Int(col))
    }

    /// The FHIRPath-style location of the innermost open element (with `child` appended).
    func path(child: String? = nil, childIsListItem: Bool = false) -> String {
        var parts: [String] = []
        var parentIndex = -1
        for i in stack.indices {
            let frame = stack[i]
            if frame.kind == .container && i + 1 < stack.count { continue }
            if parentIndex < 0 {
                parts.append(frame.node.typeName ?? frame.node.name)
            } else {
                parts.append(
                    segment(frame.node.name, listItem: frame.node.isListItem, in: stack[parentIndex].node, extra: 0))
            }
            parentIndex = i
        }
        if let child {
            if parentIndex >= 0 {
                parts.append(segment(child, listItem: childIsListItem, in: stack[parentIndex].node, extra: 0))
            } else {
                parts.append(child)
            }
        }
        return parts.joined(separator: ".")
    }

    private func segment(_ name: String, listItem: Bool, in parent: ElementNode, extra: Int) -> String {
        guard listItem else { return name }
        let index = parent.children.reduce(extra) { $0 + ($1.name == name && $1.isListItem ? 1 : 0) }
        return "\(name)[\(index)]"
    }

    mutating func report(
        _ severity: Issue.Severity, _ code: IssueCode, _ message: String, path: String?, at position: SourcePosition
    ) {
        issues.append(Issue(severity, code, message, path: path, position: position))
    }

    /// Stops the parse with a fatal problem.
    mutating func stop(_ code: IssueCode, _ message: String, at position: SourcePosition? = nil) {
        if fatal == nil {
            fatal = FHIRFormatError(code, message, position: position ?? currentPosition)
        }
        if let ctxt { xmlStopParser(ctxt) }
    }

    // MARK: - Tree assembly

    mutating func push(_ frame: Frame) {
        stack.append(frame)
    }

    /// Adds a finished node to the innermost frame (or makes it the root).
    mutating func attach(_ node: ElementNode, key: Int) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let last = stack.count - 1
        if !node.isListItem && !node.isUnknown && stack[last].kind != .container
            && stack[last].node.children.contains(where: { $0.name == node.name && !$0.isUnknown })
        {
            let choice = node.isChoice ? " (a choice element takes one type only)" : ""
            report(
                .error, node.isChoice ? .choiceConflict : .elementRepeated,
                "element '\(node.name)' does not repeat but appears more than once\(choice)",
                path: path(child: node.name), at: node.position)
        }
        if key < stack[last].lastKey { stack[last].needsSort = true } else { stack[last].lastKey = key }
        stack[last].node.children.append(node)
    }

    /// Sorts a finished frame's children into definition order (stable; unknown ones last).
    func finish(_ frame: inout Frame) {
        guard frame.needsSort else { return }
        let summary = summary(frame.summaryID)
        let keyed = frame.node.children.enumerated().map { (i, child) -> (Int, Int, ElementNode) in
            let key = child.isUnknown ? Int.max : (summary?.elementIndex(named: child.name) ?? Int.max)
            return (key, i, child)
        }
        frame.node.children = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { $0.2 }
    }
}
