import CCurl

/// The transport thread's side: owns the multi handle and every easy handle, starts queued
/// requests, drives libcurl and resumes callers. Used only on that thread.
final class TransportLoop {
    private let shared: TransportShared
    private let configuration: TransportConfiguration
    private var transfers: [UnsafeMutableRawPointer: Transfer] = [:]
    private var handles: [UInt64: UnsafeMutableRawPointer] = [:]

    init(shared: TransportShared, configuration: TransportConfiguration) {
        self.shared = shared
        self.configuration = configuration
    }

    private var multi: UnsafeMutableRawPointer { shared.multi.raw }

    func run() {
        while true {
            let (submissions, cancellations, stopping) = shared.state.withLock { s in
                defer {
                    s.queue = []
                    s.cancelled = []
                }
                for submission in s.queue { s.inFlight.insert(submission.id) }
                return (s.queue, s.cancelled, s.shuttingDown)
            }
            if stopping {
                for submission in submissions { finish(submission.id, submission.continuation, .failure(.shutDown)) }
                break
            }
            for id in cancellations {
                if let handle = handles[id] { complete(handle, .failure(.taskCancelled)) }
            }
            for submission in submissions { start(submission) }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        for handle in Array(transfers.keys) { complete(handle, .failure(.shutDown)) }
        _ = curl_multi_cleanup(multi)
        let waiters = shared.state.withLock { s in
            s.finished = true
            defer { s.finishWaiters = [] }
            return s.finishWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func start(_ submission: TransportShared.Submission) {
        let made = Transfer.make(
            id: submission.id, request: submission.request, configuration: configuration,
            continuation: submission.continuation)
        switch made {
        case .failure(let error):
            finish(submission.id, submission.continuation, .failure(error))
        case .success(let transfer):
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                transfer.close()
                let message = String(cString: curl_multi_strerror(code))
                finish(submission.id, submission.continuation, .failure(TransportError(.other, message: message)))
                return
            }
            transfers[transfer.handle] = transfer
            handles[transfer.id] = transfer.handle
            shared.state.withLock { $0.statistics.openHandles += 1 }
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = transfers[handle]
            else { continue }
            complete(handle, transfer.outcome(fg_curl_msg_result(message)))
        }
    }

    /// Removes a transfer from the multi handle, frees it and resumes its caller with `result`.
    private func complete(_ handle: UnsafeMutableRawPointer, _ result: Result<HTTPResponse, TransportError>) {
        guard let transfer = transfers.removeValue(forKey: handle) else { return }
        handles[transfer.id] = nil
        _ = curl_multi_remove_handle(multi, handle)
        let connections = transfer.newConnections
        transfer.close()
        shared.state.withLock { s in
            s.statistics.openHandles -= 1
            s.statistics.connectionsOpened += connections
        }
        finish(transfer.id, transfer.continuation, result)
    }

    private func finish(
        _ id: UInt64, _ continuation: TransportShared.Continuation, _ result: Result<HTTPResponse, TransportError>
    ) {
        shared.state.withLock { s in
            s.inFlight.remove(id)
            s.statistics.pending -= 1
            s.statistics.completed += 1
        }
        continuation.resume(returning: result)
    }
}
