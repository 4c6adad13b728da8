import FHIRModel

/// `"kind": "therapySession"`: a preparation or integration psychotherapy session with its notes.
/// Psychotherapy notes (45 CFR 164.501) are flagged and never leave the clinic.
public struct TherapySessionRecord: Sendable, Hashable {
    public enum SessionType: String, Sendable, CaseIterable { case preparation, integration }
    public enum Mode: String, Sendable, CaseIterable {
        case inPerson = "in-person"
        case telehealth
    }
    public enum Status: String, Sendable, CaseIterable {
        case completed, cancelled
        case noShow = "no-show"
    }

    public struct Note: Sendable, Hashable {
        /// `progress`: part of the record (labelled PSY/MH); `psychotherapy`: kept apart, never sent.
        public enum Kind: String, Sendable, CaseIterable { case progress, psychotherapy }
        public var kind: Kind
        public var text: String

        public init(kind: Kind, text: String) {
            self.kind = kind
            self.text = text
        }

        public var isPsychotherapyNote: Bool { kind == .psychotherapy }
    }

    public var id: String
    public var sessionType: SessionType
    public var patientId: String
    public var courseId: String
    public var therapistId: String
    public var start: FHIRDateTime
    public var end: FHIRDateTime
    public var mode: Mode
    public var status: Status
    public var notes: [Note]

    public init(
        id: String, sessionType: SessionType, patientId: String, courseId: String, therapistId: String,
        start: FHIRDateTime, end: FHIRDateTime, mode: Mode, status: Status, notes: [Note] = []
    ) {
        self.id = id
        self.sessionType = sessionType
        self.patientId = patientId
        self.courseId = courseId
        self.therapistId = therapistId
        self.start = start
        self.end = end
        self.mode = mode
        self.status = status
        self.notes = notes
    }

    /// Whether any note is a psychotherapy note.
    public var hasPsychotherapyNotes: Bool { notes.contains { $0.isPsychotherapyNote } }

    static func read(_ f: Fields) -> TherapySessionRecord? {
        let id = f.identifier("id", required: true)
        let sessionType = f.code("sessionType", SessionType.self, required: true)
        let patientId = f.identifier("patientId", required: true)
        let courseId = f.identifier("courseId", required: true)
        let therapistId = f.identifier("therapistId", required: true)
        let start = f.dateTime("start", required: true)
        let end = f.dateTime("end", required: true)
        f.checkOrder(start, end, laterKey: "end")
        let mode = f.code("mode", Mode.self, required: true)
        let status = f.code("status", Status.self, required: true)
        let notes = f.objects("notes") { g, _ -> Note? in
            let kind = g.code("kind", Note.Kind.self, required: true)
            let text = g.text("text", required: true)
            guard let kind, let text else { return nil }
            return Note(kind: kind, text: text)
        }
        guard let id, let sessionType, let patientId, let courseId, let therapistId, let start, let end, let mode,
            let status
        else { return nil }
        return TherapySessionRecord(
            id: id, sessionType: sessionType, patientId: patientId, courseId: courseId, therapistId: therapistId,
            start: start, end: end, mode: mode, status: status, notes: notes ?? [])
    }
}
