import FHIRGate
import FHIRGateTesting
import Foundation
import Testing

/// The deliverer against faults the real server cannot produce, from a real socket on 127.0.0.1:
/// 503 and 429 with Retry-After, 500, a connection dropped mid-body, a 400 with an
/// OperationOutcome, a 401 the credentials cannot fix.
@Suite("delivery under faults (real socket)", .serialized)
struct DeliveryFaultTests {
    static let patient = #"{"resourceType":"Patient","id":"p1","active":true}"#
    static let observation =
        #"{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}"#

    static func capabilities(transactions: Bool = false) -> TargetCapabilities {
        var capabilities = TargetCapabilities(
            resources: ["Patient", "Observation"].map {
                ResourceCapability(type: $0, interactions: ["create", "update", "read"], updateCreate: true)
            }, systemInteractions: transactions ? ["transaction"] : [])
        if transactions { capabilities.maxBundleEntries = 10 }
        return capabilities
    }

    static func item(_ group: String, _ sequence: Int, _ type: String, _ id: String, _ json: String) -> NewOutboxItem {
        NewOutboxItem(
            target: "fault", group: group, sequence: sequence, resourceType: type, resourceId: id,
            content: Array(json.utf8), contentHash: "h-" + id, disclosure: "test")
    }

    /// Runs one delivery against the scripted server with a fast retry policy.
    static func deliver(
        _ replies: [FaultServer.Reply], items: [NewOutboxItem], auth: any AuthProvider = NoAuth(),
        transactions: Bool = false, requestTimeout: Duration = .seconds(60),
        check: (DeliveryReport, SQLiteOutboxStore, FaultServer) throws -> Void
    ) async throws {
        let model = try TestSupport.coreModel()
        let server = try FaultServer(.script(replies))
        defer { server.stop() }
        let (store, dir) = try SyncTestSupport.makeStore()
        defer { TestSupport.removeTree(dir) }
        let transport = try HTTPTransport(configuration: TransportConfiguration(requestTimeout: requestTimeout))
        let client = FHIRClient(baseURL: server.baseURL + "/fhir", transport: transport, auth: auth, model: model)
        let target = SyncTarget(
            name: "fault", client: client, capabilities: capabilities(transactions: transactions), recipient: nil)
        _ = try store.enqueue(items, now: SyncTime.nowMilliseconds())
        let deliverer = OutboxDeliverer(
            model: model, store: store,
            options: DeliveryOptions(
                concurrency: 1,
                retry: RetryPolicy(maxAttempts: 10, initialDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
                waitForRetriesMilliseconds: 600_000))
        let report = try await deliverer.deliver(to: target, runId: "fault-run")
        await transport.shutdown()
        try check(report, store, server)
    }

    @Test("503 and 429 with Retry-After, 500 and a dropped connection are retried until delivered")
    func transientFaultsAreRetried() async throws {
        let created = FaultServer.Reply.json(
            201, Self.patient, headers: [("ETag", "W/\"1\""), ("Location", "/fhir/Patient/p1/_history/1")])
        try await Self.deliver(
            [
                .json(
                    503, #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}"#,
                    headers: [("Retry-After", "1")]),
                .json(429, "{}", headers: [("Retry-After", "0")]),
                .json(500, "{}"),
                FaultServer.Reply(
                    status: 200, headers: [("Content-Type", "application/fhir+json")],
                    body: Array(repeating: 0x20, count: 1000), dropAfter: 100),
                created,
                .json(201, Self.observation, headers: [("ETag", "W/\"1\"")]),
            ],
            items: [
                Self.item("p1", 0, "Patient", "p1", Self.patient),
                Self.item("p1", 1, "Observation", "o1", Self.observation),
            ]
        ) { report, store, server in
            #expect(report.summary.sent == 2, "\(report)")
            #expect(report.summary.retried == 4)
            #expect(report.summary.deadLettered == 0)
            #expect(report.stillOpen == 0)
            let record = try #require(try store.delivered(target: "fault", resourceType: "Patient", resourceId: "p1"))
            #expect(record.etag == "W/\"1\"")
            let requests = server.requests
            #expect(requests.count == 6)
            // The same PUT every time (idempotent), and the Observation only after the Patient.
            #expect(requests.prefix(5).allSatisfy { $0.method == "PUT" && $0.target == "/fhir/Patient/p1" })
            #expect(requests.last?.target == "/fhir/Observation/o1")
        }
    }

    @Test("a 400 with an OperationOutcome is a dead letter with a hint; another patient's group goes on")
    func rejectedContentIsDeadLettered() async throws {
        let outcome =
            #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","expression":["Patient.birthDate"]}]}"#
        try await Self.deliver(
            [.json(400, outcome), .json(201, #"{"resourceType":"Patient","id":"p2"}"#)],
            items: [
                Self.item("a", 0, "Patient", "p1", Self.patient),
                Self.item("a", 1, "Observation", "o1", Self.observation),
                Self.item("b", 0, "Patient", "p2", #"{"resourceType":"Patient","id":"p2"}"#),
            ]
        ) { report, store, _ in
            #expect(report.summary.deadLettered == 1)
            #expect(report.summary.sent == 1)
            #expect(report.stillOpen == 1, "the Observation waits behind its patient's dead letter")
            let dead = try #require(try store.deadLetters(target: "fault").first)
            #expect(dead.resourceId == "p1")
            #expect(dead.lastStatus == 400)
            #expect(dead.hint?.contains("rejected the content") == true)
            let summary = try #require(OutcomeJSON.decode(dead.lastOutcome, model: try TestSupport.coreModel()))
            #expect(summary.issues.first?.code == "invalid")
            #expect(summary.issues.first?.expression == ["Patient.birthDate"])
        }
    }

    @Test("a 401 that new credentials cannot fix stops the run; the item waits for the next one")
    func refusedCredentialsStopTheRun() async throws {
        try await Self.deliver(
            [.json(401, "{}")], items: [Self.item("a", 0, "Patient", "p1", Self.patient)],
            auth: BearerTokenAuth(token: "expired-token")
        ) { report, store, server in
            #expect(report.targetFailure?.contains("credentials refused") == true)
            #expect(report.summary.deadLettered == 0)
            let open = try store.openItemCount(target: "fault")
            #expect(open == 1)
            #expect(server.requests.first?.header("Authorization") == "Bearer expired-token")
            #expect(!(report.targetFailure ?? "").contains("expired-token"), "the token never appears in messages")
        }
    }

    @Test("a transaction refused for its content is sent again item by item; the bad item alone is a dead letter")
    func refusedTransactionFallsBackToSingleItems() async throws {
        let outcome = #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"}]}"#
        let third = #"{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"y"}}"#
        try await Self.deliver(
            [.json(400, outcome), .json(201, Self.patient), .json(422, outcome)],
            items: [
                Self.item("a", 0, "Patient", "p1", Self.patient),
                Self.item("a", 1, "Observation", "o1", Self.observation),
                Self.item("a", 2, "Observation", "o2", third),
            ], transactions: true
        ) { report, store, server in
            let requests = server.requests
            #expect(requests.first?.method == "POST" && requests.first?.target == "/fhir")
            #expect(requests.first?.header("Prefer") == "return=minimal")
            #expect(requests.dropFirst().map(\.target) == ["/fhir/Patient/p1", "/fhir/Observation/o1"])
            #expect(report.summary.sent == 1)
            #expect(report.summary.deadLettered == 1)
            #expect(try store.deadLetters(target: "fault").map(\.resourceId) == ["o1"])
            let open = try store.openItemCount(target: "fault")
            #expect(open == 1, "o2 was released, not attempted, and waits behind the dead letter")
        }
    }

    @Test("a response slower than the request timeout is retried, and the next attempt delivers")
    func slowResponseIsRetried() async throws {
        var slow = FaultServer.Reply.json(201, Self.patient)
        slow.delay = .seconds(10)
        try await Self.deliver(
            [slow, .json(201, Self.patient, headers: [("ETag", "W/\"2\"")])],
            items: [Self.item("a", 0, "Patient", "p1", Self.patient)], requestTimeout: .seconds(3)
        ) { report, store, _ in
            #expect(report.summary.retried == 1)
            #expect(report.summary.sent == 1)
            let record = try store.delivered(target: "fault", resourceType: "Patient", resourceId: "p1")
            #expect(record?.etag == "W/\"2\"")
        }
    }
}
