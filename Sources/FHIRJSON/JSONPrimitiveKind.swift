/// How a FHIR primitive type is represented in JSON.
enum JSONPrimitiveKind: UInt8, Sendable {
    /// `boolean`: a JSON `true`/`false`.
    case boolean
    /// `integer`, `positiveInt`, `unsignedInt`, `decimal` (and `integer64`): a JSON number.
    case number
    /// Every other primitive (`string`, `date`, `code`, `xhtml`, ...): a JSON string.
    case string
    /// Not a primitive type (complex types, resources, backbone elements).
    case notPrimitive

    /// Classifies a type code. FHIR primitive type codes start with a lowercase letter and
    /// complex types and resources with an uppercase one, so no model lookup is needed. The
    /// FHIRPath system types that R4 uses for `Element.id` and `Extension.url` are handled too.
    @inline(__always)
    static func of(_ code: String) -> JSONPrimitiveKind {
        guard let first = code.utf8.first, first >= 0x61 && first <= 0x7A else { return .notPrimitive }
        switch code {
        case "boolean", "http://hl7.org/fhirpath/System.Boolean":
            return .boolean
        case "integer", "positiveInt", "unsignedInt", "decimal", "integer64",
            "http://hl7.org/fhirpath/System.Integer", "http://hl7.org/fhirpath/System.Decimal":
            return .number
        default:
            return .string
        }
    }
}

/// Helpers shared by the reader and the writer.
enum JSONSyntax {
    /// The `typeName` of a node that stands for a JSON array that cannot be expressed as
    /// repeated siblings (an empty array or an array nested directly in an array). It only
    /// appears in untyped subtrees (unknown elements, untyped reading).
    static let arrayMarker = "json:array"

    /// Whether `text` is a number as JSON's grammar defines it (`-0.5e2`, not `+1`, `.5` or `1.`).
    static func isNumber(_ text: String) -> Bool {
        var it = text.utf8.makeIterator()
        var c = it.next()
        if c == 0x2D { c = it.next() }
        guard let d0 = c, isDigit(d0) else { return false }
        c = it.next()
        if d0 != 0x30 {
            while let d = c, isDigit(d) { c = it.next() }
        }
        if c == 0x2E {
            c = it.next()
            guard let d = c, isDigit(d) else { return false }
            while let d = c, isDigit(d) { c = it.next() }
        }
        if c == 0x65 || c == 0x45 {
            c = it.next()
            if c == 0x2B || c == 0x2D { c = it.next() }
            guard let d = c, isDigit(d) else { return false }
            while let d = c, isDigit(d) { c = it.next() }
        }
        return c == nil
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
