/// The two FHIR wire formats: in files (``sniff(_:)``) and in HTTP requests and responses (MIME types).
public enum FHIRFormat: String, Sendable, CaseIterable {
    case json
    case xml

    /// The FHIR MIME type (`application/fhir+json`, `application/fhir+xml`).
    public var mimeType: String { "application/fhir+" + rawValue }

    /// The `Accept` and `Content-Type` value, with the FHIR version parameter.
    public var headerValue: String { mimeType + "; fhirVersion=4.0" }

    /// The format a `Content-Type` value names, or nil when it is neither FHIR JSON nor XML
    /// (plain `application/json` and `application/xml` count, as servers send them).
    public init?(contentType: String) {
        let base = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map {
            String($0.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
                .lowercased()
        }
        switch base {
        case "application/fhir+json", "application/json", "application/json+fhir": self = .json
        case "application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir": self = .xml
        default: return nil
        }
    }

    /// Guesses the format from the first non-blank byte (`{` JSON, `<` XML), skipping a UTF-8 BOM.
    public static func sniff(_ bytes: [UInt8]) -> FHIRFormat? {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case 0x7B: return .json
            case 0x3C: return .xml
            default: return nil
            }
        }
        return nil
    }
}
