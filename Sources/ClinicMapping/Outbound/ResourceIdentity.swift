/// Deterministic resource ids: `UUIDv5(UUIDv5.fhirGateNamespace, "<type>|<business id>")`.
///
/// Business ids are the clinic record ids (`MRN-000123`, `SESS-2026-03-10`), or a record id with
/// the part it came from (`SESS-2026-03-10/segment-2`, `SESS-2026-03-10/vitals-1/bp`).
public enum ResourceIdentity {
    /// The id of a resource, or nil when SHA-1 is unavailable (``ClinicTranslator`` checks that
    /// first and translates nothing then).
    public static func uuid(_ type: String, _ businessId: String) -> String? {
        UUIDv5.make(namespace: UUIDv5.fhirGateNamespace, name: type + "|" + businessId)
    }

    /// The id of a resource (the nil UUID when SHA-1 is unavailable).
    public static func id(_ type: String, _ businessId: String) -> String {
        uuid(type, businessId) ?? "00000000-0000-0000-0000-000000000000"
    }

    /// `Type/<id>`.
    public static func reference(_ type: String, _ businessId: String) -> String {
        type + "/" + id(type, businessId)
    }
}
