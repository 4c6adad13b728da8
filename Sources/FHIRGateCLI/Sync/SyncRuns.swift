import FHIRGate
import Foundation

/// The work behind `push`, `pull` and `sync`, shared by the three commands.
enum SyncRuns {
    /// A run id for the audit trail: the start time and a random suffix.
    static func newRunId() -> String {
        "run-" + String(SyncTime.nowMilliseconds()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Stages the records for every target, then delivers each target's open items (those of
    /// earlier, interrupted runs included).
    static func push(
        _ records: [LocatedRecord], runtime: GatewayRuntime, report: inout SyncRunReport, waitForRetries: Duration,
        quiet: Bool
    ) async {
        guard let translation = runtime.translationOptions() else {
            report.inputIssues.append(Issue(.fatal, .ioRead, "cannot read the clock"))
            return
        }
        let stager = OutboxStager(model: runtime.model, translation: translation)
        let waitMs = OutboxDeliverer.milliseconds(waitForRetries)
        let options = DeliveryOptions(
            concurrency: runtime.configuration.concurrency, retry: runtime.retryPolicy,
            waitForRetriesMilliseconds: waitMs)
        let progress: (@Sendable (DeliveryReport) -> Void)? =
            quiet ? nil : { @Sendable report in ProgressLine.shared.show(report) }
        let deliverer = OutboxDeliverer(
            model: runtime.model, store: runtime.store as any OutboxStore, options: options, progress: progress)
        do {
            let recovered = try deliverer.recover()
            if recovered > 0 && !quiet {
                printError("fhirgate: \(recovered) item(s) in flight when an earlier run stopped are sent again")
            }
        } catch {
            report.inputIssues.append(Issue(.fatal, .ioRead, "outbox: \(error)"))
            return
        }
        for (name, message) in runtime.failures {
            report.lines.append(SyncRunReport.TargetLine(name: name, error: message))
        }
        for target in runtime.targets {
            var line = SyncRunReport.TargetLine(name: target.name)
            do {
                let started = SyncTime.nowMilliseconds()
                if !records.isEmpty {
                    line.stage = try stager.stage(
                        records, for: target, into: runtime.store, runId: report.runId,
                        now: SyncTime.nowMilliseconds())
                }
                let staged = SyncTime.nowMilliseconds()
                line.delivery = try await deliverer.deliver(to: target, runId: report.runId)
                line.stageMilliseconds = staged - started
                line.deliveryMilliseconds = SyncTime.nowMilliseconds() - staged
            } catch {
                line.error = "outbox: \(error)"
            }
            report.lines.append(line)
        }
    }

    /// Pulls referrals from every target that pulls them (or every selected one when
    /// `onlyConfigured` is false), writes each target's records as NDJSON into `inbox`, and then
    /// stores the new watermark.
    static func pull(runtime: GatewayRuntime, inbox: String, onlyConfigured: Bool, report: inout SyncRunReport) async {
        let puller = ReferralPuller(model: runtime.model, store: runtime.store, clinicBase: runtime.clinicBase)
        for target in runtime.targets {
            if onlyConfigured && runtime.configuration.target(named: target.name)?.pull.referrals != true { continue }
            var line = SyncRunReport.TargetLine(name: target.name)
            do {
                let pulled = try await puller.pull(from: target)
                if !pulled.records.isEmpty {
                    let file =
                        inbox + "/referrals-" + target.name + "-" + String(SyncTime.nowMilliseconds()) + ".ndjson"
                    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
                    let bytes = ClinicRecordWriter().ndjson(pulled.records)
                    guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
                        throw GatewayRuntime.SetupError(description: "cannot write \(file)")
                    }
                    line.inboxFile = file
                }
                try puller.commit(pulled)
                try runtime.store.appendAudit(
                    pulled.referrals.map {
                        AuditEvent(
                            time: SyncTime.nowMilliseconds(), target: target.name, resourceType: "ServiceRequest",
                            resourceId: $0.referral.id, action: "pull", outcome: "received", status: 200,
                            consentDecision: "inbound referral", runId: report.runId)
                    })
                line.pull = pulled
            } catch {
                line.error = "pull: \(error)"
            }
            report.lines.append(line)
        }
    }

    /// The default inbox: `inbox/` beside the outbox store.
    static func defaultInbox(_ runtime: GatewayRuntime) -> String {
        let folder = (runtime.configuration.store.path as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/inbox"
    }
}

/// Delivery progress on standard error, at most once a second.
final class ProgressLine: @unchecked Sendable {
    static let shared = ProgressLine()
    private let lock = NSLock()
    private var last: Int64 = 0

    func show(_ report: DeliveryReport) {
        let now = SyncTime.nowMilliseconds()
        let due = lock.withLock {
            guard now - last >= 1000 else { return false }
            last = now
            return true
        }
        guard due else { return }
        let s = report.summary
        printError("fhirgate: \(report.target): sent \(s.sent), retried \(s.retried), dead-lettered \(s.deadLettered)")
    }
}
