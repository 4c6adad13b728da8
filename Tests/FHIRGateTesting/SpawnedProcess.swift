import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process (the reference EHR, the `fhirgate` binary under a crash test) started with `posix_spawn` and reaped with `waitpid` by its owner (not by
/// Foundation's `Process`, whose `waitUntilExit` can hang for a child that leaves a grandchild
/// behind). The child leads a process group of its own (so that everything it starts can be
/// stopped with it) and gets an empty signal mask and default SIGTERM/SIGINT/SIGPIPE handling (a test
/// thread may block signals, and a child would inherit that), stdin from /dev/null, stdout and
/// stderr appended to a log file (`scripts/ehr.sh --foreground` closes the other inherited descriptors).
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var reaped = false
    private var status: Int32?

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(executable: String, arguments: [String], logPath: String) throws {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(
            &attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var child: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return EINVAL }
            return posix_spawn(&child, executable, &actions, &attr, base, environ)
        }
        guard rc == 0 else {
            throw SpawnError(description: "posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    /// Whether the child is still running (reaps it when it has exited).
    public var isRunning: Bool {
        lock.withLock {
            if reaped { return false }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { self.status = status }
            if r == pid || (r == -1 && errno == ECHILD) { reaped = true }
            return !reaped
        }
    }

    /// Sends `signal` to the child and everything it started (its process group).
    public func signal(_ signal: Int32) {
        lock.withLock {
            if !reaped { _ = kill(-pid, signal) }
        }
    }

    /// Kills what is left of the child's process group (helpers it started) after it was reaped, and
    /// waits (at most `timeout` seconds) until their parent, now init, has reaped them too.
    public func killGroup(timeout: Double = 3) {
        guard kill(-pid, SIGKILL) == 0 else { return }
        var waited = 0.0
        while kill(-pid, 0) == 0 && waited < timeout {
            usleep(10_000)
            waited += 0.01
        }
    }

    /// Waits until the child has exited and reaps it.
    public func wait() {
        lock.withLock {
            guard !reaped else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            self.status = status
            reaped = true
        }
    }

    /// Waits for the child and returns its exit code (128 + the signal when a signal ended it;
    /// -1 when the status was collected elsewhere).
    public func exitCode() -> Int32 {
        wait()
        return lock.withLock {
            guard let status else { return -1 }
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
    }
}
