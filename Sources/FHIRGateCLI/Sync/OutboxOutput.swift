import FHIRGate

/// Text and JSON renderings of the outbox commands.
enum OutboxOutput {
    /// Runs a store call; a store error is an input error (exit 2) with its message.
    static func checked<T>(_ body: () throws(StoreError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError("fhirgate outbox: \(error)")
            throw FHIRGateExit.inputError
        }
    }

    static func status(_ counts: OutboxCounts, targets: [String], format: GatewayOutputFormat) -> String {
        if format == .json {
            let rows: [JSONValue] = targets.map { target in
                .object(
                    JSONObject(
                        [("target", JSONValue.string(target))]
                            + OutboxState.allCases.map {
                                ($0.rawValue, .number(String(counts.count(target: target, state: $0))))
                            }))
            }
            return String(decoding: JSONValue.array(rows).serialized(), as: UTF8.self) + "\n"
        }
        var out = "target: " + OutboxState.allCases.map(\.rawValue).joined(separator: " / ") + "\n"
        for target in targets {
            out +=
                target + ": "
                + OutboxState.allCases.map { String(counts.count(target: target, state: $0)) }.joined(separator: " / ")
                + "\n"
        }
        return out
    }

    static func deadLetters(_ items: [OutboxItem], model: ModelInfo, details: Bool, format: GatewayOutputFormat)
        -> String
    {
        if format == .json {
            let rows: [JSONValue] = items.map { item in
                var members: [(String, JSONValue)] = [
                    ("id", .number(String(item.id))), ("target", .string(item.target)),
                    ("resource", .string(item.resourceType + "/" + item.resourceId)),
                    ("attempts", .number(String(item.attempts))),
                ]
                if let status = item.lastStatus { members.append(("status", .number(String(status)))) }
                if let error = item.lastError { members.append(("error", .string(error))) }
                if let hint = item.hint { members.append(("hint", .string(hint))) }
                if let outcome = OutcomeJSON.decode(item.lastOutcome, model: model) {
                    members.append(
                        ("outcome", .array(outcome.issues.map { .string(details ? $0.line : $0.codesLine) })))
                }
                return .object(JSONObject(members))
            }
            return String(decoding: JSONValue.array(rows).serialized(), as: UTF8.self) + "\n"
        }
        if items.isEmpty { return "no dead letters\n" }
        var out = ""
        for item in items {
            out += "#\(item.id) \(item.target) \(item.resourceType)/\(item.resourceId): "
            out += (item.lastStatus.map { "HTTP \($0), " } ?? "") + "after \(item.attempts) attempt(s)\n"
            if let error = item.lastError { out += "  error: \(error)\n" }
            if let outcome = OutcomeJSON.decode(item.lastOutcome, model: model) {
                for issue in outcome.issues { out += "  server: " + (details ? issue.line : issue.codesLine) + "\n" }
            }
            if let hint = item.hint { out += "  hint: \(hint)\n" }
        }
        return out
    }

    static func audit(_ events: [AuditEvent], format: GatewayOutputFormat) -> String {
        if format == .json {
            let rows: [JSONValue] = events.map { e in
                var members: [(String, JSONValue)] = [
                    ("time", .string(SyncTime.instant(fromMilliseconds: e.time))), ("target", .string(e.target)),
                    ("resource", .string(e.resourceType + "/" + e.resourceId)), ("action", .string(e.action)),
                    ("outcome", .string(e.outcome)), ("consentDecision", .string(e.consentDecision)),
                    ("runId", .string(e.runId)),
                ]
                if let status = e.status { members.append(("status", .number(String(status)))) }
                return .object(JSONObject(members))
            }
            return String(decoding: JSONValue.array(rows).serialized(), as: UTF8.self) + "\n"
        }
        return events.map { e in
            "\(SyncTime.instant(fromMilliseconds: e.time)) \(e.target) \(e.action) \(e.resourceType)/\(e.resourceId): \(e.outcome)"
                + (e.status.map { " (HTTP \($0))" } ?? "") + "; \(e.consentDecision)"
        }.joined(separator: "\n") + (events.isEmpty ? "" : "\n")
    }
}
