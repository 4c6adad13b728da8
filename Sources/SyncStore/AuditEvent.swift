/// One entry of the disclosure audit trail: what happened to which resource for which target. It
/// holds names, ids we minted, statuses and decisions, never patient data.
public struct AuditEvent: Sendable, Equatable {
    /// Unix time in milliseconds.
    public var time: Int64
    public var target: String
    public var resourceType: String
    public var resourceId: String
    /// `disclose`, `withhold`, `fold-into-note`, `pull`, ...
    public var action: String
    /// `delivered`, `unchanged`, `dead-letter`, `retry`, ...
    public var outcome: String
    /// The HTTP status, when there was an exchange.
    public var status: Int?
    /// The consent decision behind the action.
    public var consentDecision: String
    /// The run that recorded the event.
    public var runId: String

    public init(
        time: Int64, target: String, resourceType: String, resourceId: String, action: String, outcome: String,
        status: Int?, consentDecision: String, runId: String
    ) {
        self.time = time
        self.target = target
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.action = action
        self.outcome = outcome
        self.status = status
        self.consentDecision = consentDecision
        self.runId = runId
    }
}
