import FHIRModel

/// Issue codes of the clinic record readers (`REC-*` for records, `CSV-*` for the referral
/// import). Messages name the field and the rule, never the value.
extension IssueCode {
    /// A field the format does not define for this record kind.
    public static let recordUnknownField: IssueCode = "REC-UNKNOWN-FIELD"
    /// A required field is absent.
    public static let recordMissingField: IssueCode = "REC-MISSING-FIELD"
    /// The JSON kind is wrong (a string where a number belongs, a bare number for a quantity).
    public static let recordWrongType: IssueCode = "REC-WRONG-TYPE"
    /// The text of a value does not have the required form (dates, NPI, ICD-10-CM, phone...).
    public static let recordInvalidValue: IssueCode = "REC-INVALID-VALUE"
    /// A code that is not one of the values the format allows for the field.
    public static let recordInvalidCode: IssueCode = "REC-INVALID-CODE"
    /// A value that cannot be true: a dose of zero, an end before its start, a weight of 0 kg.
    public static let recordImpossibleValue: IssueCode = "REC-IMPOSSIBLE-VALUE"
    /// A field given twice in one object.
    public static let recordDuplicateField: IssueCode = "REC-DUPLICATE-FIELD"
    /// Two records of the same kind with the same id in one file.
    public static let recordDuplicateId: IssueCode = "REC-DUPLICATE-ID"
    /// `kind` is missing or not one of the record kinds.
    public static let recordUnknownKind: IssueCode = "REC-UNKNOWN-KIND"
    /// `formatVersion` is not a version this build reads.
    public static let recordFormatVersion: IssueCode = "REC-FORMAT-VERSION"
    /// A record (or a file) is not a JSON object (or array of objects).
    public static let recordNotAnObject: IssueCode = "REC-NOT-AN-OBJECT"
    /// A reference to a record of the batch that has another kind or contradicts the record.
    public static let recordReference: IssueCode = "REC-REFERENCE"
    /// A reference to a record that is not in the batch (a warning: it may come in another).
    public static let recordReferenceOutsideBatch: IssueCode = "REC-REFERENCE-OUTSIDE-BATCH"

    /// CSV structure: unterminated quote, text after a closing quote.
    public static let csvSyntax: IssueCode = "CSV-SYNTAX"
    /// The header row: missing, unknown, duplicate or empty column names.
    public static let csvHeader: IssueCode = "CSV-HEADER"
    /// A row with more or fewer fields than the header.
    public static let csvFieldCount: IssueCode = "CSV-FIELD-COUNT"
}
