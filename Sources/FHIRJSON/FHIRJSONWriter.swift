import FHIRModel

/// Writes the ``ElementNode`` tree as FHIR R4 JSON (https://hl7.org/fhir/R4/json.html).
///
/// - `resourceType` first, then the children in tree order (definition order for trees from the
///   readers); repeats of one element are gathered into one array even if not adjacent.
/// - Arrays where the element repeats (the ``ElementSummary``), else where nodes carry
///   `.listItem` or an element occurs more than once.
/// - Primitives by FHIR type: `boolean` as a JSON boolean; `integer`, `positiveInt`,
///   `unsignedInt` and `decimal` as a JSON number written from the lexeme verbatim (`1.10`
///   stays `1.10`); everything else as a string. A value that is not a valid JSON literal of
///   that kind is written as a string so the output is always valid JSON. Untyped and unknown
///   nodes use the `.jsonNumber` / `.jsonBoolean` flags they were read with.
/// - Primitive `id` and extensions as `_name`, with `null` alignment in arrays; choice
///   elements under their suffixed name (`valueQuantity`).
///
/// Output is deterministic. Strings are escaped per RFC 8259 (`"`, `\` and control characters;
/// `/` and non-ASCII are left as UTF-8). The pretty form indents by two spaces.
public struct FHIRJSONWriter: Sendable {
    public let model: ModelInfo?
    public var pretty: Bool

    public init(model: ModelInfo?, pretty: Bool = false) {
        self.model = model
        self.pretty = pretty
    }

    /// The JSON for a resource (or any node) as UTF-8 bytes.
    public func write(_ node: ElementNode) -> [UInt8] {
        var writer = JSONTreeWriter(model: model, pretty: pretty)
        writer.writeRoot(node)
        return writer.out.bytes
    }

    /// The JSON for a resource (or any node) as a string.
    public func writeString(_ node: ElementNode) -> String {
        String(decoding: write(node), as: UTF8.self)
    }

    /// The JSON for a node as a raw ``JSONValue`` (handy for comparing documents).
    public func writeValue(_ node: ElementNode) -> JSONValue {
        let bytes = write(node)
        do {
            return try JSONValue.parse(bytes, limits: JSONLimits(maxDepth: Int.max >> 1, maxBytes: Int.max))
        } catch {
            // The writer only produces valid JSON; this cannot happen for trees of bounded depth.
            return .null
        }
    }

    /// Appends the compact or pretty JSON for `node` to `bytes`.
    package func append(_ node: ElementNode, to bytes: inout [UInt8]) {
        var writer = JSONTreeWriter(model: model, pretty: pretty)
        swap(&writer.out.bytes, &bytes)
        writer.writeRoot(node)
        swap(&writer.out.bytes, &bytes)
    }
}
