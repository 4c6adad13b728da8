import FHIRGate

/// The summary a push, pull or sync prints: per target and in all, as text (stdout) or one JSON
/// object. It names counts, types and ids the gateway minted, never patient data.
struct SyncRunReport {
    struct TargetLine {
        var name: String
        var stage: StageReport?
        var delivery: DeliveryReport?
        var pull: PullReport?
        var inboxFile: String?
        var error: String?
        /// Wall time of staging (translate, fold, order, enqueue) and of delivery.
        var stageMilliseconds: Int64?
        var deliveryMilliseconds: Int64?
    }

    let command: String
    var runId: String
    var lines: [TargetLine] = []
    /// Problems before any target (records that could not be read).
    var inputIssues: [Issue] = []

    var total: SyncSummary {
        var sum = SyncSummary()
        for line in lines {
            if let d = line.delivery { sum.add(d.summary) }
            if let s = line.stage {
                sum.unchanged += s.unchanged
                sum.foldedIntoNotes += s.foldedResources
            }
            if let p = line.pull { sum.pulled += p.referrals.count }
        }
        return sum
    }

    var stillOpen: Int { lines.reduce(0) { $0 + ($1.delivery?.stillOpen ?? 0) } }
    var failedTargets: Int { lines.filter { $0.error != nil || $0.delivery?.targetFailure != nil }.count }
    var pullErrors: Int { lines.reduce(0) { $0 + ($1.pull?.issues.filter { $0.severity <= .error }.count ?? 0) } }

    /// 0 when everything was delivered (and pulled) cleanly, 1 when something is left or failed.
    var hasFindings: Bool {
        total.deadLettered > 0 || stillOpen > 0 || failedTargets > 0 || pullErrors > 0
            || inputIssues.contains { $0.severity <= .error }
    }

    func text() -> String {
        var out: [String] = []
        for issue in inputIssues { out.append("  " + issue.description) }
        for line in lines {
            var parts: [String] = []
            if let s = line.stage {
                parts.append("queued \(s.queued)")
                if s.alreadyQueued > 0 { parts.append("already queued \(s.alreadyQueued)") }
                if s.notes > 0 { parts.append("\(s.foldedResources) folded into \(s.notes) clinical notes") }
                if s.notSent > 0 { parts.append("not sent (type refused, no note) \(s.notSent)") }
                if !s.withheld.isEmpty { parts.append("withheld \(s.withheld.count)") }
            }
            if let d = line.delivery {
                parts.append("sent \(d.summary.sent)")
                parts.append("unchanged \(line.stage?.unchanged ?? 0)")
                parts.append("retried \(d.summary.retried)")
                parts.append("dead-lettered \(d.summary.deadLettered)")
                if d.stillOpen > 0 { parts.append("still open \(d.stillOpen)") }
            }
            if let p = line.pull {
                parts.append("pulled \(p.referrals.count) referrals (\(p.records.count) records)")
                if let file = line.inboxFile { parts.append("written to \(file)") }
            }
            out.append("\(line.name): " + parts.joined(separator: ", "))
            if let error = line.error { out.append("  error: " + error) }
            if let auth = line.delivery?.targetFailure { out.append("  target failed: " + auth) }
            for issue in line.pull?.issues ?? [] { out.append("  " + issue.description) }
        }
        let t = total
        if command == "pull" {
            out.append("pull: pulled \(t.pulled) referral(s)")
            return out.joined(separator: "\n") + "\n"
        }
        var summary =
            "\(command): sent \(t.sent), unchanged \(t.unchanged), retried \(t.retried), dead-lettered \(t.deadLettered)"
        if t.foldedIntoNotes > 0 { summary += ", folded into notes \(t.foldedIntoNotes)" }
        if command != "push" { summary += ", pulled \(t.pulled)" }
        if stillOpen > 0 { summary += "; \(stillOpen) still waiting for a retry (run again later)" }
        if t.deadLettered > 0 { summary += "; see `fhirgate outbox dead-letters`" }
        out.append(summary)
        return out.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let t = total
        var targets: [JSONValue] = []
        for line in lines {
            var members: [(String, JSONValue)] = [("target", .string(line.name))]
            if let s = line.stage {
                members += [
                    ("queued", Self.number(s.queued)), ("unchanged", Self.number(s.unchanged)),
                    ("alreadyQueued", Self.number(s.alreadyQueued)), ("notes", Self.number(s.notes)),
                    ("foldedIntoNotes", Self.number(s.foldedResources)), ("notSent", Self.number(s.notSent)),
                    ("withheld", Self.number(s.withheld.count)),
                ]
            }
            if let d = line.delivery {
                members += [
                    ("sent", Self.number(d.summary.sent)), ("retried", Self.number(d.summary.retried)),
                    ("deadLettered", Self.number(d.summary.deadLettered)), ("stillOpen", Self.number(d.stillOpen)),
                ]
                if let auth = d.targetFailure { members.append(("targetFailure", .string(auth))) }
                if let ms = line.stageMilliseconds { members.append(("stageSeconds", Self.seconds(ms))) }
                if let ms = line.deliveryMilliseconds { members.append(("deliverySeconds", Self.seconds(ms))) }
            }
            if let p = line.pull {
                members += [
                    ("pulledReferrals", Self.number(p.referrals.count)),
                    ("pulledRecords", Self.number(p.records.count)),
                    ("issues", .array(p.issues.map { .string($0.description) })),
                ]
                if let file = line.inboxFile { members.append(("inbox", .string(file))) }
            }
            if let error = line.error { members.append(("error", .string(error))) }
            targets.append(.object(JSONObject(members)))
        }
        let object: [(String, JSONValue)] = [
            ("command", .string(command)), ("runId", .string(runId)), ("sent", Self.number(t.sent)),
            ("unchanged", Self.number(t.unchanged)), ("retried", Self.number(t.retried)),
            ("deadLettered", Self.number(t.deadLettered)), ("foldedIntoNotes", Self.number(t.foldedIntoNotes)),
            ("pulled", Self.number(t.pulled)), ("stillOpen", Self.number(stillOpen)),
            ("inputIssues", .array(inputIssues.map { .string($0.description) })), ("targets", .array(targets)),
        ]
        return String(decoding: JSONValue.object(JSONObject(object)).serialized(), as: UTF8.self) + "\n"
    }

    static func number(_ n: Int) -> JSONValue { .number(String(n)) }

    static func seconds(_ ms: Int64) -> JSONValue {
        let tenths = ms % 1000
        return .number(
            String(ms / 1000) + "." + String(repeating: "0", count: 3 - String(tenths).count) + String(tenths))
    }
}
