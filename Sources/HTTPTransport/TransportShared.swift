import CCurl

/// A curl multi handle pointer that may cross threads.
///
/// `@unchecked Sendable` is safe because the transport thread is the only one that drives the
/// handle; other threads only call `curl_multi_wakeup`, which libcurl documents as callable from
/// any thread.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Counters of one transport.
public struct TransportStatistics: Sendable, Equatable {
    /// Requests that got a response or an error from libcurl.
    public var completed = 0
    /// Connections libcurl opened (the rest of the requests reused one).
    public var connectionsOpened = 0
    /// Easy handles that exist now (each in-flight request has one; 0 when idle).
    public var openHandles = 0
    /// Requests queued or in flight.
    public var pending = 0

    public init(completed: Int = 0, connectionsOpened: Int = 0, openHandles: Int = 0, pending: Int = 0) {
        self.completed = completed
        self.connectionsOpened = connectionsOpened
        self.openHandles = openHandles
        self.pending = pending
    }
}

/// What callers and the transport thread share: the submission queue, cancellations, the
/// shutdown flag and the statistics, under one lock, plus the multi handle for wakeups.
final class TransportShared: Sendable {
    typealias Continuation = CheckedContinuation<Result<HTTPResponse, TransportError>, Never>

    struct Submission: Sendable {
        let id: UInt64
        let request: HTTPRequest
        let continuation: Continuation
    }

    struct State: Sendable {
        var nextID: UInt64 = 1
        var queue: [Submission] = []
        var cancelled: [UInt64] = []
        var inFlight: Set<UInt64> = []
        var shuttingDown = false
        var finished = false
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
        var threadJoined = false
        var statistics = TransportStatistics()
    }

    let state = TransportLock(State())
    let multi: MultiHandle

    init(multi: MultiHandle) {
        self.multi = multi
    }

    func wakeup() {
        _ = curl_multi_wakeup(multi.raw)
    }

    /// Queues a request unless the transport is shutting down or the task was cancelled.
    func submit(_ request: HTTPRequest, id: UInt64, continuation: Continuation) {
        let refusal: TransportError? = state.withLock { s in
            if s.shuttingDown { return .shutDown }
            if Task.isCancelled { return .taskCancelled }
            s.queue.append(Submission(id: id, request: request, continuation: continuation))
            s.statistics.pending += 1
            return nil
        }
        if let refusal {
            continuation.resume(returning: .failure(refusal))
        } else {
            wakeup()
        }
    }

    /// Cancels request `id`: a queued one fails at once, one in flight is aborted by the thread.
    func cancel(_ id: UInt64) {
        let queued: Submission? = state.withLock { s in
            if let index = s.queue.firstIndex(where: { $0.id == id }) {
                s.statistics.pending -= 1
                return s.queue.remove(at: index)
            }
            if s.inFlight.contains(id) { s.cancelled.append(id) }
            return nil
        }
        if let queued {
            queued.continuation.resume(returning: .failure(.taskCancelled))
        } else {
            wakeup()
        }
    }
}
