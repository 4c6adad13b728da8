/// Canonical URLs of the clinic's FHIR package (`Profiles/`, `fhirgate.ketamine.clinic`).
public enum ClinicCanonical {
    /// The base of every canonical URL in the package.
    public static let base = "https://fhirgate.dev/fhir"

    /// The clinic base URL used when none is configured, for outbound identifier systems
    /// (`<base>/fhir/sid/<kind>`) and for recognising them on inbound referrals. A clinic sets its
    /// own; both directions must use the same one.
    public static let defaultClinicBase = "https://clinic.example.org"

    /// The URL of one of the package's StructureDefinitions (profile or extension).
    public static func structureDefinition(_ id: String) -> String {
        base + "/StructureDefinition/" + id
    }
}
