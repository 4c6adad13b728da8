import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/HTTPS client on libcurl's multi interface.
///
/// One dedicated thread owns the curl multi handle and every transfer; ``send(_:)`` queues a
/// request to it and suspends (nothing blocks the Swift concurrency pool). The multi handle keeps a
/// connection cache, so requests to one host reuse connections (at most
/// ``TransportConfiguration/maxConnectionsPerHost``), HTTP/2 is used when the server offers it over
/// TLS, responses are decompressed (gzip, deflate, brotli, zstd as libcurl supports), and proxies
/// come from the environment (see ``TransportConfiguration``). TLS peer and host verification are
/// always on. Redirects are not followed: a 3xx is returned to the caller like any response.
///
/// Call ``shutdown()`` when done: it fails queued and in-flight requests and ends the thread
/// (releasing the transport without it does the same, waiting for the thread).
public final class HTTPTransport: Sendable {
    public let configuration: TransportConfiguration
    private let shared: TransportShared
    private let thread: pthread_t

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    public init(configuration: TransportConfiguration = TransportConfiguration()) throws(TransportError) {
        guard Self.globalInit == CURLE_OK else { throw TransportError(.other, message: "libcurl failed to initialise") }
        guard let raw = curl_multi_init() else {
            throw TransportError(.other, message: "libcurl could not create a multi handle")
        }
        _ = fg_curl_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, configuration.maxConnectionsPerHost))
        _ = fg_curl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, max(4, configuration.maxConnectionsPerHost * 4))
        _ = fg_curl_multi_setopt_long(raw, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        self.configuration = configuration
        let shared = TransportShared(multi: MultiHandle(raw: raw))
        self.shared = shared
        let loop = TransportLoop(shared: shared, configuration: configuration)
        let context = Unmanaged.passRetained(loop).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let loop = Unmanaged<TransportLoop>.fromOpaque(context).takeRetainedValue()
                loop.run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<TransportLoop>.fromOpaque(context).release()
            _ = curl_multi_cleanup(raw)
            throw TransportError(.other, message: "cannot start the transport thread (error \(rc))")
        }
        self.thread = thread
    }

    deinit {
        shared.state.withLock { $0.shuttingDown = true }
        shared.wakeup()
        join()
    }

    /// Sends `request` and returns the response (any HTTP status), or throws why there is none.
    /// Cancelling the calling task aborts the request with ``TransportError/Kind/cancelled``.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let shared = self.shared
        let id = shared.state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                shared.submit(request, id: id, continuation: continuation)
            }
        } onCancel: {
            shared.cancel(id)
        }
        return try result.get()
    }

    /// The transport's counters now.
    public var statistics: TransportStatistics {
        shared.state.withLock { $0.statistics }
    }

    /// Fails every queued and in-flight request with ``TransportError/Kind/cancelled``, frees all
    /// handles and ends the thread. Later ``send(_:)`` calls fail at once. Safe to call repeatedly.
    public func shutdown() async {
        let shared = self.shared
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = shared.state.withLock { s in
                s.shuttingDown = true
                if s.finished { return true }
                s.finishWaiters.append(waiter)
                return false
            }
            if done { waiter.resume() } else { shared.wakeup() }
        }
        join()
    }

    /// Waits for the thread to end (it is ending or has ended), once.
    private func join() {
        let first = shared.state.withLock { s in
            defer { s.threadJoined = true }
            return !s.threadJoined
        }
        if first { pthread_join(thread, nil) }
    }
}
