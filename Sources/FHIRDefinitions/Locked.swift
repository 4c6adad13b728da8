import Foundation

/// A value guarded by a lock, for the definition store's caches.
///
/// `Synchronization.Mutex` needs macOS 15 and the package supports macOS 14, so this uses
/// `NSLock`. Every access goes through ``withLock(_:)``; the value never escapes unguarded.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
