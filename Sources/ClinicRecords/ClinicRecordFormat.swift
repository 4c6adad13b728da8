/// The clinic record format read by this module (see `docs/clinic-records.md`).
public enum ClinicRecordFormat {
    /// The format version this build reads and writes (`"formatVersion"` in every record).
    public static let version = 1
}
