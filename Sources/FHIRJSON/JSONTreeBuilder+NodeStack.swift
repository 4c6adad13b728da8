import FHIRModel

/// The children of every object being read, as one stack: each object reads its children onto
/// the top and then moves them off into a single exactly sized array.
///
/// Compared with growing one array per object this saves the growth reallocations and the
/// unused capacity, and nodes are only ever moved (bitwise), never copied, so building the tree
/// costs no reference counting on the nodes' strings and arrays. Whatever is left when the
/// builder is dropped (after an error) is destroyed by `deinit`.
struct NodeStack: ~Copyable {
    private var storage: UnsafeMutablePointer<ElementNode>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 8)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inline(__always)
    mutating func push(_ node: consuming ElementNode) {
        if count == capacity { grow() }
        (storage + count).initialize(to: consume node)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = capacity * 2
        let fresh = UnsafeMutablePointer<ElementNode>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = fresh
        capacity = newCapacity
    }

    /// The node at `index` (which must be below ``count``), read or changed in place.
    subscript(index: Int) -> ElementNode {
        unsafeAddress {
            assert(index >= 0 && index < count)
            return UnsafePointer(storage + index)
        }
        unsafeMutableAddress {
            assert(index >= 0 && index < count)
            return storage + index
        }
    }

    /// Moves the nodes from `start` to the top into a new array, in order, and pops them.
    mutating func popArray(from start: Int) -> [ElementNode] {
        let n = count - start
        guard n > 0 else { return [] }
        var array: [ElementNode] = []
        array.reserveCapacity(n)
        for i in start..<count { array.append((storage + i).move()) }
        count = start
        return array
    }

    /// Moves the nodes from `start` to the top into a new array in the order given by `order`
    /// (a permutation of `0..<count - start`), and pops them.
    mutating func popArray(from start: Int, order: [Int]) -> [ElementNode] {
        let n = count - start
        guard n > 0 else { return [] }
        assert(order.count == n)
        var array: [ElementNode] = []
        array.reserveCapacity(n)
        for i in order { array.append((storage + start + i).move()) }
        count = start
        return array
    }

    /// Inserts `node` at `index` (at most ``count``), moving the nodes above it up by one.
    mutating func insert(_ node: consuming ElementNode, at index: Int) {
        assert(index >= 0 && index <= count)
        if count == capacity { grow() }
        (storage + index + 1).moveInitialize(from: storage + index, count: count - index)
        (storage + index).initialize(to: node)
        count += 1
    }

    /// Destroys the nodes at the given indices (ascending, all at least `start`) and closes
    /// the gaps, keeping the order of the others.
    mutating func remove(indices: [Int]) {
        guard let first = indices.first else { return }
        var write = first
        var next = 0
        for read in first..<count {
            if next < indices.count && indices[next] == read {
                (storage + read).deinitialize(count: 1)
                next += 1
            } else {
                (storage + write).moveInitialize(from: storage + read, count: 1)
                write += 1
            }
        }
        count = write
    }
}

/// A stack of bytes (per-object "seen" bits), pushed as zeroed segments.
struct ByteStack: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Pushes `n` zero bytes and returns where they start.
    @inline(__always)
    mutating func pushZeros(_ n: Int) -> Int {
        let start = count
        if count + n > capacity { grow(to: count + n) }
        (storage + start).initialize(repeating: 0, count: n)
        count += n
        return start
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.initialize(from: storage, count: count)
        storage.deallocate()
        storage = fresh
        capacity = newCapacity
    }

    /// Pops everything above `start`.
    @inline(__always)
    mutating func pop(to start: Int) { count = start }

    subscript(index: Int) -> UInt8 {
        get {
            assert(index >= 0 && index < count)
            return storage[index]
        }
        set {
            assert(index >= 0 && index < count)
            storage[index] = newValue
        }
    }
}
