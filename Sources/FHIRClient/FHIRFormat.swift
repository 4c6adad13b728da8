import Foundation

/// The wire format of FHIR resources in requests and responses.
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
        let base = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch base {
        case "application/fhir+json", "application/json", "application/json+fhir": self = .json
        case "application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir": self = .xml
        default: return nil
        }
    }
}
