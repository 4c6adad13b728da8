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
        key: IdempotencyKey, resource: ElementNode
    ) {
        if identifierSearchable, let key = firstIdentifier(resource) { return (key, resource) }
        var copy = resource
        let tag = ElementNode(
            name: "tag", typeName: "Coding",
            children: [
                .primitive("system", type: "uri", value: gatewayIDTagSystem),
                .primitive("code", type: "code", value: ourID),
            ], flags: .listItem)
        let key = IdempotencyKey(parameter: "_tag", system: gatewayIDTagSystem, value: ourID)
        if let i = copy.children.firstIndex(where: { $0.name == "meta" }) {
            if !key.matches(copy) { copy.children[i].children.append(tag) }
        } else {
            let at = copy.children.firstIndex(where: { $0.name == "id" }).map { $0 + 1 } ?? 0
            copy.children.insert(ElementNode(name: "meta", typeName: "Meta", children: [tag]), at: at)
        }
        return (key, copy)
    }

    private static func firstIdentifier(_ resource: ElementNode) -> IdempotencyKey? {
        for identifier in resource.children(named: "identifier") {
            if let system = identifier.childValue("system"), let value = identifier.childValue("value"),
                !system.isEmpty, !value.isEmpty
            {
                return IdempotencyKey(parameter: "identifier", system: system, value: value)
            }
        }
        return nil
    }

    /// FHIR search escaping of `\`, `|`, `,` and `$` inside a token part.
    static func escapeSearch(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "|" || c == "," || c == "$" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func percentEncode(_ s: String) -> String {
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

/// What makes a create on a target with its own ids idempotent: a token search (`identifier` or
/// `_tag`) that finds the resource again.
struct IdempotencyKey: Sendable, Equatable {
    var parameter: String
    var system: String
    var value: String

    /// `identifier=system|value` (or `_tag=...`), escaped and percent-encoded for a query string or
    /// an `If-None-Exist` header.
    var query: String {
        parameter + "="
            + ResourceEditing.percentEncode(
                ResourceEditing.escapeSearch(system) + "|" + ResourceEditing.escapeSearch(value))
    }

    /// Whether a resource carries this identifier or tag (a server that ignores a search parameter
    /// it does not know returns everything: every match is checked).
    func matches(_ resource: ElementNode) -> Bool {
        let codings =
            parameter == "_tag"
            ? resource.child(named: "meta")?.children(named: "tag") ?? [] : resource.children(named: "identifier")
        let valueName = parameter == "_tag" ? "code" : "value"
        return codings.contains { $0.childValue("system") == system && $0.childValue(valueName) == value }
    }
}
