/// Canonical URLs of the clinic's FHIR package (`Profiles/`, `fhirgate.ketamine.clinic`).
public enum ClinicCanonical {
    /// The base of every canonical URL in the package.
    public static let base = "https://fhirgate.dev/fhir"

    /// The URL of one of the package's StructureDefinitions (profile or extension).
    public static func structureDefinition(_ id: String) -> String {
        base + "/StructureDefinition/" + id
    }
}
