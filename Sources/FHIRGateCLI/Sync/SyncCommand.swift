import ArgumentParser
import FHIRGate

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `fhirgate sync`: push then pull, once or continuously.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push clinic records and pull referrals, once or continuously (--watch).",
        discussion: """
            One round is `fhirgate push INPUTS...` followed by `fhirgate pull`. With --watch it repeats \
            every --interval seconds, reading the inputs again each time (unchanged records send \
            nothing), until interrupted (SIGINT or SIGTERM end it after the current round; a kill at any \
            moment loses nothing: the outbox is durable and every write idempotent).

            Exit status (one-shot): 0 when everything was delivered and pulled cleanly, 1 when \
            something was left or failed, 2 for usage or configuration errors.

            Examples:
              fhirgate sync Samples/records --config fhirgate.yaml
              fhirgate sync records/ --watch --interval 60
            """)

    @Argument(help: "Clinic record files or folders to push (none: deliver what the outbox holds, then pull).")
    var inputs: [String] = []

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "Keep syncing every --interval seconds until interrupted.")
    var watch = false

    @Option(help: ArgumentHelp("Seconds between rounds with --watch.", valueName: "seconds"))
    var interval: Int = 30

    @Option(
        help: ArgumentHelp(
            "Where pulled referral records go. Default: inbox/ beside the outbox store.", valueName: "dir"))
    var inbox: String?

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if interval < 1 { throw ValidationError("--interval must be at least 1 second") }
        if inputs.contains("-") { throw ValidationError("sync reads record files and folders, not standard input") }
    }

    func run() async throws {
        var runtime = try SyncCommandSupport.openRuntime(gateway, command: "sync")
        await runtime.connect(runtime.selected(gateway))
        let stop = StopSignal.install()
        var last = SyncRunReport(command: "sync", runId: "")
        repeat {
            var report = SyncRunReport(command: "sync", runId: SyncRuns.newRunId())
            let input = inputs.isEmpty ? nil : ClinicRecordInput.read(inputs) { [] }
            report.inputIssues = input?.issues.filter { $0.severity <= .error } ?? []
            await SyncRuns.push(
                input?.records ?? [], runtime: runtime, report: &report,
                waitForRetries: watch ? .zero : .seconds(60), quiet: quiet)
            var pulled = SyncRunReport(command: "sync", runId: report.runId)
            await SyncRuns.pull(
                runtime: runtime, inbox: inbox ?? SyncRuns.defaultInbox(runtime),
                onlyConfigured: gateway.targets.isEmpty, report: &pulled)
            report.lines += pulled.lines
            if watch {
                let rendered = gateway.format == .json ? report.json() : report.text()
                StandardStreams.writeStandardOutput(Array(rendered.utf8))
                var waited = 0
                while waited < interval * 10 && !stop.isSet {
                    try? await Task.sleep(for: .milliseconds(100))
                    waited += 1
                }
            }
            last = report
        } while watch && !stop.isSet
        await runtime.shutdown()
        if watch { return }
        try SyncCommandSupport.finish(last, format: gateway.format)
    }
}

/// SIGINT and SIGTERM end `sync --watch` after the current round.
final class StopSignal: @unchecked Sendable {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    var isSet: Bool { Self.flag != 0 }

    static func install() -> StopSignal {
        signal(SIGINT) { _ in StopSignal.flag = 1 }
        signal(SIGTERM) { _ in StopSignal.flag = 1 }
        return StopSignal()
    }
}
