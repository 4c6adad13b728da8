import ClinicMapping

/// One clinical-note DocumentReference made by ``ClinicalNoteFallback/fold(_:all:)`` and the
/// resources it carries instead of sending them.
public struct FoldedNote: Sendable {
    /// The DocumentReference (deterministic id; send it like any other resource).
    public var note: TranslatedResource
    /// `Type/id` of every resource folded into it, in input order.
    public var folded: [String]

    public init(note: TranslatedResource, folded: [String]) {
        self.note = note
        self.folded = folded
    }
}
