import FHIRJSON
import FHIRModel
import FHIRXML

/// The two wire formats of the translator's output.
public enum ClinicOutputFormat: String, Sendable, CaseIterable {
    case json, xml

    public var fileExtension: String { rawValue }
}

/// Serialises translated resources and Bundles with the FHIR JSON and XML writers.
public struct ClinicOutputWriter: Sendable {
    public let model: ModelInfo
    public let pretty: Bool

    public init(model: ModelInfo, pretty: Bool = true) {
        self.model = model
        self.pretty = pretty
    }

    /// One resource or Bundle in a format.
    public func write(_ node: ElementNode, as format: ClinicOutputFormat) throws(FHIRFormatError) -> [UInt8] {
        switch format {
        case .json: FHIRJSONWriter(model: model, pretty: pretty).write(node)
        case .xml: try FHIRXMLWriter(model: model, pretty: pretty).write(node)
        }
    }

    /// One file per resource (the Provenance last): `<Type>-<id>.<json|xml>` and its bytes.
    public func files(_ translation: ClinicTranslation, as format: ClinicOutputFormat) throws(FHIRFormatError)
        -> [(name: String, bytes: [UInt8])]
    {
        var out: [(name: String, bytes: [UInt8])] = []
        for r in translation.allResources {
            out.append((r.resourceType + "-" + r.id + "." + format.fileExtension, try write(r.resource, as: format)))
        }
        return out
    }
}
