import FHIRModel

/// Issue codes of the inbound referral mapping (`INB-*`). Messages name the FHIRPath location
/// and the rule, never a value from the input.
extension IssueCode {
    /// The input is not a referral FHIRGate can read (another resource type, Bundle type, or
    /// message event).
    public static let inboundUnsupported: IssueCode = "INB-UNSUPPORTED"
    /// A piece the referral needs is missing: patient, requester, organization, reason, date...
    public static let inboundMissing: IssueCode = "INB-MISSING"
    /// A reference that does not resolve inside the input, or resolves to the wrong type.
    public static let inboundReference: IssueCode = "INB-REFERENCE"
    /// A code of the wrong code system (a SNOMED CT reason where ICD-10-CM is needed).
    public static let inboundCodeSystem: IssueCode = "INB-CODE-SYSTEM"
    /// A code or value of the wrong form, or not one of the codes the clinic records allow.
    public static let inboundInvalidValue: IssueCode = "INB-INVALID-VALUE"
    /// A value that cannot be true (born after the referral, a birth date before 1900).
    public static let inboundImpossibleValue: IssueCode = "INB-IMPOSSIBLE-VALUE"
    /// A record the mapping made breaks a clinic record rule (the reader's check, as a backstop).
    public static let inboundRecordRule: IssueCode = "INB-RECORD-RULE"
    /// Two referrals of one input give the same record different details, or the same id.
    public static let inboundDuplicate: IssueCode = "INB-DUPLICATE"
}
