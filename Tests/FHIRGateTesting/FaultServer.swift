import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on a real socket of 127.0.0.1 for faults a real FHIR server cannot
/// produce (dropped connections, scripted 401/503 sequences, Retry-After, delays). One thread
/// accepts and answers connections one after another (each answer closes its connection);
/// `stop()` closes everything and waits for the thread. Every request is recorded.
public final class FaultServer: @unchecked Sendable {
    // @unchecked Sendable: the mutable state is only touched under `lock`; the rest is immutable.

    /// One scripted answer.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Waits this long before answering.
        public var delay: Duration
        /// Promises the whole body but sends only this many bytes, then closes the connection.
        public var dropAfter: Int?

        public init(
            status: Int, headers: [(String, String)] = [], body: [UInt8] = [], delay: Duration = .zero,
            dropAfter: Int? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.dropAfter = dropAfter
        }

        /// A FHIR JSON answer.
        public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Reply {
            Reply(
                status: status, headers: [("Content-Type", "application/fhir+json")] + headers, body: Array(text.utf8))
        }
    }

    public enum Behaviour: Sendable {
        /// Answers every request with this status, headers and body, then closes the connection.
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Promises 1000 body bytes, sends 100, then closes the connection.
        case dropMidBody
        /// Answers 200 with the request's head (request line and headers) as the body.
        case echoHead
        /// Reads the request and never answers (keeps the connection open until `stop()`).
        case neverAnswer
        /// Answers the n-th request with the n-th reply; after the last, the last one again.
        case script([Reply])
    }

    /// A request as received.
    public struct Request: Sendable {
        public let method: String
        /// The request target (path and query).
        public let target: String
        public let headers: [(String, String)]
        public let body: [UInt8]

        /// The first value of a header (name compared case-insensitively).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    private let behaviour: Behaviour
    private let listener: Int32
    private let lock = NSLock()
    private var stopping = false
    private var stopped = false
    private var held: [Int32] = []
    private var accepted = 0
    private var received: [Request] = []
    private let finished = DispatchSemaphore(value: 0)

    public init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    deinit {
        stop()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted } }

    /// The requests received so far, in order.
    public var requests: [Request] { lock.withLock { received } }

    /// Closes the listener and every held connection and waits for the server thread. Idempotent.
    public func stop() {
        let first = lock.withLock {
            defer {
                stopping = true
                stopped = true
            }
            return !stopped
        }
        if first { finished.wait() }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func serve() {
        while !isStopping {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            lock.withLock { accepted += 1 }
            // One thread per connection: a delayed answer does not hold back the next request.
            Thread.detachNewThread { [self] in handle(connection) }
        }
        let open = lock.withLock { held }
        for fd in open { close(fd) }
        close(listener)
        finished.signal()
    }

    private func handle(_ fd: Int32) {
        let data = readRequest(fd)
        let index = data.map { record($0) } ?? 0
        switch behaviour {
        case .respond(let status, let headers, let body):
            answer(fd, Reply(status: status, headers: headers, body: body))
        case .dropMidBody:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n"
            writeAll(fd, Array(head.utf8) + [UInt8](repeating: 0x20, count: 100))
            usleep(50_000)
            close(fd)
        case .echoHead:
            let head = data.flatMap { data in headEnd(data).map { Array(data[0..<$0]) } } ?? []
            let start = "HTTP/1.1 200 OK\r\nContent-Length: \(head.count)\r\nConnection: close\r\n\r\n"
            writeAll(fd, Array(start.utf8) + head)
            close(fd)
        case .neverAnswer:
            lock.withLock { held.append(fd) }
        case .script(let replies):
            guard let last = replies.last else {
                close(fd)
                return
            }
            answer(fd, index < replies.count ? replies[index] : last)
        }
    }

    private func answer(_ fd: Int32, _ reply: Reply) {
        if reply.delay > .zero {
            let c = reply.delay.components
            usleep(UInt32(clamping: c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000))
        }
        var head = "HTTP/1.1 \(reply.status) Status\r\nContent-Length: \(reply.body.count)\r\nConnection: close\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        let body = reply.dropAfter.map { Array(reply.body.prefix($0)) } ?? reply.body
        writeAll(fd, Array((head + "\r\n").utf8) + body)
        if reply.dropAfter != nil { usleep(50_000) }
        close(fd)
    }

    /// Records a request; returns its index (0 for the first).
    private func record(_ data: [UInt8]) -> Int {
        let end = headEnd(data) ?? data.count
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ").map(String.init) ?? []
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let body = end + 4 <= data.count ? Array(data[(end + 4)...]) : []
        let request = Request(
            method: requestLine.first ?? "", target: requestLine.count > 1 ? requestLine[1] : "", headers: headers,
            body: body)
        return lock.withLock {
            received.append(request)
            return received.count - 1
        }
    }

    /// Reads the request head and any `Content-Length` body (so that closing does not reset the connection).
    private func readRequest(_ fd: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var expected: Int?
        while true {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 2000) > 0 else { return nil }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            data += buffer[0..<n]
            if expected == nil, let end = headEnd(data) {
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                expected = end + 4 + (length ?? 0)
            }
            if let expected, data.count >= expected { return data }
        }
    }

    private func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10
        {
            return i
        }
        return nil
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }
}
