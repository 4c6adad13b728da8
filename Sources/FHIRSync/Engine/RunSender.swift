import FHIRClient
import FHIRJSON
import FHIRModel
import HTTPTransport
import SyncStore

/// Sends a run of one group's items (in sequence order) to a target that accepts transaction
/// Bundles: all of them in one `transaction` of PUTs with our ids (`Prefer: return=minimal`), so
/// the server resolves the references inside and commits them together. When the transaction is
/// refused for its content (a 4xx), the items go one by one to find the one at fault; a run that
/// cannot go as a transaction (another write mode, an XML target, one item) goes one by one too,
/// stopping at the first item that is not delivered (the rest are released, not attempted).
struct RunSender: Sendable {
    let sender: ItemSender

    var target: SyncTarget { sender.target }

    func send(_ run: [OutboxItem]) async -> [(OutboxItem, DeliveryOutcome?)] {
        let transactional =
            run.count > 1 && target.format == .json
            && run.allSatisfy { target.capabilities.writeMode(for: $0.resourceType) == .put }
        if transactional {
            switch await sendTransaction(run) {
            case .success(let outcomes): return outcomes
            case .failure(let error):
                if let outcome = Self.sharedOutcome(error) { return run.map { ($0, outcome) } }
            }
        }
        return await oneByOne(run)
    }

    /// Each item alone, in order; after one that is not delivered, the rest get no outcome (released).
    private func oneByOne(_ run: [OutboxItem]) async -> [(OutboxItem, DeliveryOutcome?)] {
        var results: [(OutboxItem, DeliveryOutcome?)] = []
        var stopped = false
        for item in run {
            if stopped {
                results.append((item, nil))
                continue
            }
            let outcome = await sender.send(item)
            if case .delivered = outcome {} else { stopped = true }
            results.append((item, outcome))
        }
        return results
    }

    /// The outcome every item of a failed transaction shares, or nil when the items should be
    /// tried one by one (the content was refused).
    static func sharedOutcome(_ error: FHIRClientError) -> DeliveryOutcome? {
        let outcome = ItemSender.outcome(of: error)
        if case .deadLetter = outcome { return nil }
        return outcome
    }

    private func sendTransaction(_ run: [OutboxItem]) async -> Result<[(OutboxItem, DeliveryOutcome?)], FHIRClientError>
    {
        var body: [UInt8] = Array(#"{"resourceType":"Bundle","type":"transaction","entry":["#.utf8)
        for (i, item) in run.enumerated() {
            let url = item.resourceType + "/" + item.resourceId
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += Array(#"{"fullUrl":"#.utf8) + Self.jsonString(target.client.baseURL + "/" + url)
            body += Array(#","resource":"#.utf8) + item.content
            body += Array(#","request":{"method":"PUT","url":"#.utf8) + Self.jsonString(url) + Array("}}".utf8)
        }
        body += Array("]}".utf8)
        let response: FHIRResponse
        do {
            response = try await target.client.send(
                .post, target.client.baseURL, body: body, headers: ["Prefer": "return=minimal"])
        } catch {
            return .failure(error)
        }
        // The transaction committed: every entry is on the server. Its response entries (in
        // order) give the status, location and version of each.
        let entries = response.resource?.children(named: "entry") ?? []
        var results: [(OutboxItem, DeliveryOutcome?)] = []
        for (i, item) in run.enumerated() {
            let answer = i < entries.count ? entries[i].child(named: "response") : nil
            let status = answer?.childValue("status").flatMap { Int($0.prefix(3)) } ?? response.status
            let serverId = answer?.childValue("location").flatMap { Self.id(fromLocation: $0, type: item.resourceType) }
            results.append(
                (
                    item,
                    .delivered(status: status, serverId: serverId ?? item.resourceId, etag: answer?.childValue("etag"))
                ))
        }
        return .success(results)
    }

    /// The id in `[base/]Type/id[/_history/v]`.
    static func id(fromLocation location: String, type: String) -> String? {
        let parts = location.split(separator: "/").map(String.init)
        guard let i = parts.lastIndex(of: type), i + 1 < parts.count else { return nil }
        return parts[i + 1]
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> [UInt8] {
        JSONValue.string(s).serialized()
    }
}
