import ArgumentParser
import FHIRGate

/// `fhirgate outbox`: look into the durable outbox and act on its dead letters.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect the outbox: counts, dead letters, retries, the audit trail.",
        subcommands: [
            OutboxStatusCommand.self, OutboxDeadLettersCommand.self, OutboxRetryCommand.self,
            OutboxAuditCommand.self,
        ])
}

struct OutboxStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "How many outbox items each target has, by state (pending, in-flight, delivered, unchanged, dead-letter).",
        discussion: "Exit status: 0, or 1 when there are dead letters, 2 for configuration errors.")

    @OptionGroup var gateway: GatewayOptions

    func run() throws {
        let runtime = try SyncCommandSupport.openRuntime(gateway, command: "outbox status")
        let counts = try OutboxOutput.checked { () throws(StoreError) in try runtime.store.counts() }
        let names =
            gateway.targets.isEmpty
            ? Array(Set(counts.targets + runtime.configuration.targets.map(\.name))).sorted() : gateway.targets
        StandardStreams.writeStandardOutput(
            Array(OutboxOutput.status(counts, targets: names, format: gateway.format).utf8))
        if names.contains(where: { counts.count(target: $0, state: .deadLetter) > 0 }) { throw FHIRGateExit.findings }
    }
}

struct OutboxDeadLettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "The items set aside: what, where, the server's status and answer, and a hint.",
        discussion: """
            The server's OperationOutcome is shown as issue severity, code and location; its free text \
            (which a server may fill with values from the resource) only with --details.
            Exit status: 0 when there are none, 1 when there are, 2 for configuration errors.
            """)

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "Also show the server's diagnostics text.")
    var details = false

    func run() throws {
        let runtime = try SyncCommandSupport.openRuntime(gateway, command: "outbox dead-letters")
        var items: [OutboxItem] = []
        for target in gateway.targets.isEmpty ? [nil] : gateway.targets.map(Optional.some) {
            items += try OutboxOutput.checked { () throws(StoreError) in try runtime.store.deadLetters(target: target) }
        }
        StandardStreams.writeStandardOutput(
            Array(OutboxOutput.deadLetters(items, model: runtime.model, details: details, format: gateway.format).utf8))
        if !items.isEmpty { throw FHIRGateExit.findings }
    }
}

struct OutboxRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract:
            "Put dead letters back in the queue (all, a target's, or the ids given); the next push or sync sends them.",
        discussion: """
            Examples:
              fhirgate outbox retry                      (every dead letter)
              fhirgate outbox retry --target referrer-ehr --id 12 --id 15
            """)

    @OptionGroup var gateway: GatewayOptions

    @Option(name: .customLong("id"), help: ArgumentHelp("Only this outbox item (repeatable).", valueName: "n"))
    var ids: [Int64] = []

    func run() throws {
        let runtime = try SyncCommandSupport.openRuntime(gateway, command: "outbox retry")
        var requeued = 0
        for target in gateway.targets.isEmpty ? [nil] : gateway.targets.map(Optional.some) {
            requeued += try OutboxOutput.checked { () throws(StoreError) in
                try runtime.store.retryDeadLetters(
                    target: target, ids: ids.isEmpty ? nil : ids, now: SyncTime.nowMilliseconds())
            }
        }
        let text =
            gateway.format == .json
            ? "{\"requeued\":\(requeued)}\n"
            : "requeued \(requeued) item(s); `fhirgate push` or `fhirgate sync` sends them\n"
        StandardStreams.writeStandardOutput(Array(text.utf8))
    }
}

struct OutboxAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract:
            "The audit trail of disclosures: what went to which target, when, the outcome and the consent decision.",
        discussion: "Entries name resource types and the gateway's ids, never patient data. Newest first.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "At most this many entries.")
    var limit: Int = 100

    func run() throws {
        let runtime = try SyncCommandSupport.openRuntime(gateway, command: "outbox audit")
        var events: [AuditEvent] = []
        for target in gateway.targets.isEmpty ? [nil] : gateway.targets.map(Optional.some) {
            events += try OutboxOutput.checked { () throws(StoreError) in
                try runtime.store.auditEvents(target: target, limit: max(1, limit))
            }
        }
        StandardStreams.writeStandardOutput(Array(OutboxOutput.audit(events, format: gateway.format).utf8))
    }
}
