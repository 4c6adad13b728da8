#if canImport(Glibc)
    import Glibc
#endif

/// Loopback ports for test servers (127.0.0.1 only).
public enum LoopbackPorts {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A TCP port on 127.0.0.1 that is free right now (the kernel picks it).
    public static func freePort() throws -> Int {
        let (fd, port) = try boundSocket()
        close(fd)
        return port
    }

    /// A port on 127.0.0.1 that refuses connections for as long as the value lives: a socket is
    /// bound to it without listening, so no other server can take it meanwhile.
    public final class ClosedPort: @unchecked Sendable {
        public let port: Int
        private let fd: Int32

        public init() throws {
            (fd, port) = try LoopbackPorts.boundSocket()
        }

        deinit { close(fd) }
    }

    /// A TCP socket bound to a port of 127.0.0.1 the kernel picks (not listening), and the port.
    static func boundSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var addr = loopback(0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw Failure(description: "bind() on 127.0.0.1 failed")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard named == 0 else {
            close(fd)
            throw Failure(description: "getsockname() failed")
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = loopback(port)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }
}
