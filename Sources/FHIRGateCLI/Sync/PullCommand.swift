import ArgumentParser
import FHIRGate

/// `fhirgate pull`: referrals from the configured EHRs -> clinic referral records.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull referrals (ServiceRequest and Task with their references) from the EHRs into clinic records.",
        discussion: """
            For each target with `pull.referrals: true` (or each one named with --target), searches the \
            ServiceRequests changed since the stored watermark (following `next` links), reads the \
            Tasks on them and what they refer to, maps them to clinic referral records and writes those \
            as NDJSON into the inbox folder; the watermark moves only after the file is written. \
            ServiceRequests the clinic sent itself are skipped. Mapping problems name FHIRPath \
            locations, never values.

            Exit status: 0 when every referral mapped cleanly, 1 when a referral had errors or a \
            target failed, 2 for usage or configuration errors.

            Examples:
              fhirgate pull --config fhirgate.yaml
              fhirgate pull --target referrer-ehr --inbox incoming/ --format json
            """)

    @OptionGroup var gateway: GatewayOptions

    @Option(
        help: ArgumentHelp("Where the referral records go. Default: inbox/ beside the outbox store.", valueName: "dir"))
    var inbox: String?

    func run() async throws {
        var runtime = try SyncCommandSupport.openRuntime(gateway, command: "pull")
        await runtime.connect(runtime.selected(gateway))
        var report = SyncRunReport(command: "pull", runId: SyncRuns.newRunId())
        for (name, message) in runtime.failures {
            report.lines.append(SyncRunReport.TargetLine(name: name, error: message))
        }
        await SyncRuns.pull(
            runtime: runtime, inbox: inbox ?? SyncRuns.defaultInbox(runtime), onlyConfigured: gateway.targets.isEmpty,
            report: &report)
        await runtime.shutdown()
        try SyncCommandSupport.finish(report, format: gateway.format)
    }
}
