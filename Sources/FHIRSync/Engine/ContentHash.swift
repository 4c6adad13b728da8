import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// The fingerprint that decides whether a resource changed since it was last delivered: SHA-256
/// of its JSON without the parts that change on every translation and say nothing about the
/// content (`meta.lastUpdated`, and `Provenance.recorded`, the time of the translation run).
enum ContentHash {
    static func of(_ resource: ElementNode, json: [UInt8], writer: FHIRJSONWriter) -> String {
        let volatile =
            resource.resourceType == "Provenance" || resource.child(named: "meta")?.child(named: "lastUpdated") != nil
        let bytes = volatile ? writer.write(stable(resource)) : json
        return (try? SHA256Digest.hex(of: bytes)) ?? fallback(bytes)
    }

    private static func stable(_ resource: ElementNode) -> ElementNode {
        var copy = resource
        if copy.resourceType == "Provenance" { copy.children.removeAll { $0.name == "recorded" } }
        if let i = copy.children.firstIndex(where: { $0.name == "meta" }) {
            copy.children[i].children.removeAll { $0.name == "lastUpdated" }
            if copy.children[i].children.isEmpty { copy.children.remove(at: i) }
        }
        return copy
    }

    /// FNV-1a 64, only if OpenSSL cannot hash (it always can on a working system).
    private static func fallback(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return "fnv1a64:" + String(h, radix: 16)
    }
}
