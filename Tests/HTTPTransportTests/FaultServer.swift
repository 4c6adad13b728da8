import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on a real socket of 127.0.0.1 for faults the FHIR server cannot produce.
/// One thread accepts and answers connections one after another; `stop()` closes everything and
/// waits for the thread.
final class FaultServer: @unchecked Sendable {
    // @unchecked Sendable: `stopping` and `held` are only touched under `lock`; the rest is immutable.
    enum Behaviour: Sendable {
        /// Answers every request with this status, headers and body, then closes the connection.
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Promises 1000 body bytes, sends 100, then closes the connection.
        case dropMidBody
        /// Answers 200 with the request's head (request line and headers) as the body.
        case echoHead
        /// Reads the request and never answers (keeps the connection open until `stop()`).
        case neverAnswer
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let behaviour: Behaviour
    private let listener: Int32
    private let lock = NSLock()
    private var stopping = false
    private var stopped = false
    private var held: [Int32] = []
    private var accepted = 0
    private let finished = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
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

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    var connections: Int { lock.withLock { accepted } }

    /// Closes the listener and every held connection and waits for the server thread. Idempotent.
    func stop() {
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
            handle(connection)
        }
        let open = lock.withLock { held }
        for fd in open { close(fd) }
        close(listener)
        finished.signal()
    }

    private func handle(_ fd: Int32) {
        let request = readRequest(fd)
        switch behaviour {
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            writeAll(fd, Array((head + "\r\n").utf8) + body)
            close(fd)
        case .dropMidBody:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n"
            writeAll(fd, Array(head.utf8) + [UInt8](repeating: 0x20, count: 100))
            usleep(50_000)
            close(fd)
        case .echoHead:
            let head = request.flatMap { data in headEnd(data).map { Array(data[0..<$0]) } } ?? []
            let start = "HTTP/1.1 200 OK\r\nContent-Length: \(head.count)\r\nConnection: close\r\n\r\n"
            writeAll(fd, Array(start.utf8) + head)
            close(fd)
        case .neverAnswer:
            lock.withLock { held.append(fd) }
        }
    }

    /// Reads the request head and any `Content-Length` body (so that closing does not reset the connection).
    @discardableResult
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
