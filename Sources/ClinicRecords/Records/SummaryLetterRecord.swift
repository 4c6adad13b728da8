import FHIRModel

/// `"kind": "summaryLetter"`: the letter back to the referring psychiatrist (DocumentReference).
public struct SummaryLetterRecord: Sendable, Hashable {
    /// The document type (LOINC 11488-4 consult note, 18842-5 discharge summary, 11506-3 progress note).
    public enum DocumentType: String, Sendable, CaseIterable {
        case consultNote = "consult-note"
        case dischargeSummary = "discharge-summary"
        case progressNote = "progress-note"
    }

    /// A PDF of the letter: a path relative to the record file, or the bytes as base64.
    public enum Attachment: Sendable, Hashable {
        case path(String)
        case base64(String)
    }

    public var id: String
    public var patientId: String
    public var courseId: String
    /// The `practitioner` the letter is addressed to.
    public var recipientId: String
    /// The clinic `practitioner` who signed it.
    public var authorId: String
    public var date: FHIRDate
    public var documentType: DocumentType
    public var title: String?
    public var text: String
    public var attachment: Attachment?

    public init(
        id: String, patientId: String, courseId: String, recipientId: String, authorId: String, date: FHIRDate,
        documentType: DocumentType, title: String? = nil, text: String, attachment: Attachment? = nil
    ) {
        self.id = id
        self.patientId = patientId
        self.courseId = courseId
        self.recipientId = recipientId
        self.authorId = authorId
        self.date = date
        self.documentType = documentType
        self.title = title
        self.text = text
        self.attachment = attachment
    }

    static func read(_ f: Fields) -> SummaryLetterRecord? {
        let id = f.identifier("id", required: true)
        let patientId = f.identifier("patientId", required: true)
        let courseId = f.identifier("courseId", required: true)
        let recipientId = f.identifier("recipientId", required: true)
        let authorId = f.identifier("authorId", required: true)
        let date = f.date("date", required: true)
        let documentType = f.code("documentType", DocumentType.self, required: true)
        let title = f.string("title")
        let text = f.text("text", required: true)
        let attachment = f.object("pdf") { g -> Attachment? in
            let path = g.formatted("path", .relativePath)
            let data = g.formatted("base64", .base64)
            switch (g.has("path"), g.has("base64")) {
            case (true, true):
                g.fail("base64", .recordInvalidValue, "give the PDF as a path or as base64, not both")
                return nil
            case (false, false):
                g.diagnostics.error(
                    .recordMissingField, "the PDF needs a path or base64", path: g.childPath("path"), at: g.position)
                return nil
            default:
                if let path { return .path(path) }
                if let data { return .base64(data) }
                return nil
            }
        }
        guard let id, let patientId, let courseId, let recipientId, let authorId, let date, let documentType,
            let text
        else { return nil }
        return SummaryLetterRecord(
            id: id, patientId: patientId, courseId: courseId, recipientId: recipientId, authorId: authorId,
            date: date, documentType: documentType, title: title, text: text, attachment: attachment)
    }
}
