import FHIRJSON
import FHIRModel

/// Builds a snapshot from a differential and the base definition's snapshot.
/// (Placeholder being replaced this session by the snapshot generator.)
public struct SnapshotGenerator: Sendable {
    public let catalog: ProfileCatalog

    public init(catalog: ProfileCatalog) {
        self.catalog = catalog
    }

    public struct Result: Sendable {
        public var elements: [JSONValue]
        public var issues: [Issue]
    }

    public func generate(_ definition: StructureDefinitionInfo) -> Result {
        Result(
            elements: [],
            issues: [Issue(.error, "VAL-SNAPSHOT", "snapshot generation is not available yet for \(definition.url)")])
    }
}
