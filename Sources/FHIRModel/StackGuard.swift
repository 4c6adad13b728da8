#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lowest stack address recursive code (the JSON reader, the FHIRPath compiler) may reach on
/// the current thread, so deep input gives a clean depth error whatever depth limit is set and
/// however small the thread's stack is.
public enum StackGuard {
    /// The current thread's stack floor plus a safety margin, or 0 when it cannot be known.
    ///
    /// Kept per thread after the first call: finding the main thread's stack means reading
    /// `/proc/self/maps`, far too slow to repeat for every parse or compile.
    public static func floor() -> UInt {
        if let key = floorKey, let cached = pthread_getspecific(key) {
            let value = UInt(bitPattern: Int(bitPattern: cached))
            return value == unknownMarker ? 0 : value
        }
        let value = computeFloor()
        if let key = floorKey {
            _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: value == 0 ? unknownMarker : value))
        }
        return value
    }

    /// Stored for "cannot be known" (a real floor is never 1).
    private static let unknownMarker: UInt = 1

    private static let floorKey: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    private static func computeFloor() -> UInt {
        #if canImport(Darwin)
            let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
            let size = UInt(pthread_get_stacksize_np(pthread_self()))
            guard top > size else { return 0 }
            return top - size + margin(size)
        #else
            // pthread_getattr_np is a GNU extension the Glibc module does not import; look it up.
            typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
            guard let symbol = getAttrSymbol else { return 0 }
            let getattr = unsafeBitCast(symbol, to: GetAttr.self)
            var attr = pthread_attr_t()
            guard getattr(pthread_self(), &attr) == 0 else { return 0 }
            defer { pthread_attr_destroy(&attr) }
            var base: UnsafeMutableRawPointer? = nil
            var size = 0
            guard pthread_attr_getstack(&attr, &base, &size) == 0, let base, size > 0 else { return 0 }
            return UInt(bitPattern: base) + margin(UInt(size))
        #endif
    }

    #if !canImport(Darwin)
        private nonisolated(unsafe) static let getAttrSymbol: UnsafeMutableRawPointer? = {
            guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
            return dlsym(handle, "pthread_getattr_np")
        }()
    #endif

    /// The bytes of stack left above the floor at the caller's frame (0 when unknown or none).
    public static func remaining() -> UInt {
        let floor = floor()
        let here = currentAddress()
        guard floor > 0, here > floor else { return floor == 0 ? UInt.max : 0 }
        return here - floor
    }

    /// Room kept free below the reader: a quarter of the stack, between 64 KiB and 256 KiB.
    private static func margin(_ size: UInt) -> UInt {
        min(max(size / 4, 64 * 1024), 256 * 1024)
    }

    /// An address in the caller's frame.
    @inline(never)
    public static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
