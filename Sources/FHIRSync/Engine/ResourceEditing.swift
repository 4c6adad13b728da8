import FHIRModel

/// The edits a resource needs before it goes to a target that assigns its own ids.
enum ResourceEditing {
    /// The resource without its `id` (a plain or conditional create lets the server choose).
    static func withoutID(_ resource: ElementNode) -> ElementNode {
        var copy = resource
        copy.children.removeAll { $0.name == "id" }
        return copy
    }

    /// Rewrites every `reference` of the form `Type/id` for which `serverID` knows another id on
    /// the target. Contained resources and nested elements are included; depth is bounded by the
    /// tree, which the parser already limited.
    static func rewritingReferences(_ node: ElementNode, serverID: (String, String) -> String?) -> ElementNode {
        var copy = node
        if copy.typeName == "Reference",
            let i = copy.children.firstIndex(where: { $0.name == "reference" }),
            let value = copy.children[i].value
        {
            let parts = value.split(separator: "/")
            if parts.count == 2, let mapped = serverID(String(parts[0]), String(parts[1])), mapped != String(parts[1]) {
                copy.children[i].value = String(parts[0]) + "/" + mapped
            }
        }
        for j in copy.children.indices {
            copy.children[j] = rewritingReferences(copy.children[j], serverID: serverID)
        }
        return copy
    }

    /// The tag system that carries the gateway's own id of a resource without an identifier, so
    /// that a create on a target that assigns ids can still be made conditional (`_tag=`).
    static let gatewayIDTagSystem = "https://fhirgate.dev/fhir/sid/gateway-resource-id"

    /// The search that finds this resource again on a target that assigned its own id: its first
    /// identifier when the target can search on it, else a `meta.tag` with our id (added to the
    /// resource here).
    static func idempotencyKey(_ resource: ElementNode, ourID: String, identifierSearchable: Bool) -> (
        query: String, resource: ElementNode
    ) {
        if identifierSearchable, let query = identifierQuery(resource) { return (query, resource) }
        var copy = resource
        let tag = ElementNode(
            name: "tag", typeName: "Coding",
            children: [
                .primitive("system", type: "uri", value: gatewayIDTagSystem),
                .primitive("code", type: "code", value: ourID),
            ], flags: .listItem)
        if let i = copy.children.firstIndex(where: { $0.name == "meta" }) {
            let alreadyTagged = copy.children[i].children(named: "tag").contains {
                $0.childValue("system") == gatewayIDTagSystem && $0.childValue("code") == ourID
            }
            if !alreadyTagged { copy.children[i].children.append(tag) }
        } else {
            let at = copy.children.firstIndex(where: { $0.name == "id" }).map { $0 + 1 } ?? 0
            copy.children.insert(ElementNode(name: "meta", typeName: "Meta", children: [tag]), at: at)
        }
        return ("_tag=" + percentEncode(gatewayIDTagSystem + "|" + ourID), copy)
    }

    /// `identifier=system|value` for the resource's first identifier with both, percent-encoded for
    /// a query string or an `If-None-Exist` header; nil when it has none.
    static func identifierQuery(_ resource: ElementNode) -> String? {
        for identifier in resource.children(named: "identifier") {
            guard let system = identifier.childValue("system"), let value = identifier.childValue("value"),
                !system.isEmpty, !value.isEmpty
            else { continue }
            return "identifier=" + percentEncode(escapeSearch(system) + "|" + escapeSearch(value))
        }
        return nil
    }

    /// FHIR search escaping of `\`, `|`, `,` and `$` inside a token part.
    private static func escapeSearch(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "|" || c == "," || c == "$" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    private static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}
