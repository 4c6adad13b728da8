import ArgumentParser
import FHIRGate

/// `fhirgate push`: clinic records -> every target's outbox -> delivered.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Translate clinic records and deliver them to the configured EHRs, through the durable outbox.",
        discussion: """
            Every resource is first written to the outbox (SQLite, `store.path` of the configuration), \
            then sent: PUT with the gateway's deterministic ids where the target accepts client ids, \
            else a conditional create on the identifier. Resources the target does not accept are folded \
            into a clinical-note DocumentReference. Items left in flight by an interrupted run are sent \
            again first. Content the target already holds is not sent again.

            Failures that may pass (network errors, 5xx, 429, 503) are retried with exponential backoff \
            and jitter, honouring Retry-After; those that will not change go to the dead letters \
            (`fhirgate outbox dead-letters`). Progress goes to standard error, the summary to standard \
            output (sent, unchanged, retried, dead-lettered).

            Exit status: 0 when everything was delivered, 1 when something is dead-lettered, still \
            waiting for a retry, or a target failed, 2 for usage, configuration or input errors.

            Examples:
              fhirgate push Samples/records --config fhirgate.yaml
              fhirgate push records.ndjson --target referrer-ehr --format json
            """)

    @Argument(
        help:
            "Clinic record files or folders (.json, .ndjson, .jsonl, referral .csv). None: only deliver what the outbox holds."
    )
    var inputs: [String] = []

    @OptionGroup var gateway: GatewayOptions

    @Option(
        name: .customLong("wait-retries"),
        help: ArgumentHelp(
            "Wait for retries that fall due within this many seconds (0: leave them for the next run).",
            valueName: "seconds"))
    var waitRetries: Int = 60

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if waitRetries < 0 { throw ValidationError("--wait-retries must be 0 or more") }
        if inputs.contains("-") { throw ValidationError("push reads record files and folders, not standard input") }
    }

    func run() async throws {
        var runtime = try SyncCommandSupport.openRuntime(gateway, command: "push")
        let input = inputs.isEmpty ? nil : ClinicRecordInput.read(inputs) { [] }
        if let input, input.unreadable > 0 && input.records.isEmpty {
            for issue in input.issues { printError(issue.description) }
            throw FHIRGateExit.inputError
        }
        await runtime.connect(runtime.selected(gateway))
        var report = SyncRunReport(command: "push", runId: SyncRuns.newRunId())
        report.inputIssues = input?.issues.filter { $0.severity <= .error } ?? []
        await SyncRuns.push(
            input?.records ?? [], runtime: runtime, report: &report, waitForRetries: .seconds(waitRetries),
            quiet: quiet)
        await runtime.shutdown()
        try SyncCommandSupport.finish(report, format: gateway.format)
    }
}

/// Set-up and ending shared by the sync commands.
enum SyncCommandSupport {
    /// Reads the configuration and opens the store; a problem is a usage error (exit 2).
    static func openRuntime(_ options: GatewayOptions, command: String) throws -> GatewayRuntime {
        do {
            return try GatewayRuntime.open(options)
        } catch {
            printError("fhirgate \(command): \(error)")
            throw FHIRGateExit.inputError
        }
    }

    /// Prints the summary and exits 0, or 1 when something was left or failed.
    static func finish(_ report: SyncRunReport, format: GatewayOutputFormat) throws {
        StandardStreams.writeStandardOutput(Array((format == .json ? report.json() : report.text()).utf8))
        if report.hasFindings { throw FHIRGateExit.findings }
    }
}
