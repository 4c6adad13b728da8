import FHIRModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a JSON key of a type stands for, resolved once per model so the reader never builds a
/// string or hashes with SipHash per key.
struct WireEntry: Sendable {
    enum Shape: UInt8, Sendable {
        case resource, boolean, number, string, complex
        /// The `resourceType` member of a resource.
        case resourceType
    }

    /// The key bytes live in ``CompiledType/keyBytes`` at `keyOffset..<keyOffset+keyLength`.
    let keyOffset: Int32
    let keyLength: Int32
    let hash: UInt32
    /// The element index in the type summary.
    let element: Int32
    /// The compiled type describing the children (complex and backbone elements), or -1.
    let childType: Int32
    let shape: Shape
    let isArray: Bool
    let isChoice: Bool
    /// The element base name (`value` for `valueQuantity`).
    let name: String
    /// The type code this key carries (`Quantity`, `string`, `BackboneElement`), or "" if none.
    let typeCode: String

    var isPrimitive: Bool { shape == .boolean || shape == .number || shape == .string }

    var primitiveKind: JSONPrimitiveKind {
        switch shape {
        case .boolean: .boolean
        case .number: .number
        case .string: .string
        default: .notPrimitive
        }
    }
}

/// One slot of a ``CompiledType`` hash table: enough to recognise a key without touching the
/// entry it leads to (the hash and where the key's bytes are).
struct KeySlot {
    var hash: UInt32 = 0
    /// The entry (or element) index, or -1 for an empty slot.
    var index: Int32 = -1
    var keyOffset: Int32 = 0
    var keyLength: Int32 = 0
}

/// The key table of one type or backbone element, as plain pointers into the buffers of the
/// ``CompiledType`` that owns them: the reader's hot loop passes it around and reads it without
/// any reference counting. Valid while its ``CompiledType`` (kept by ``JSONModelTables``) lives.
struct KeyTable {
    /// The wire keys (`valueString`, `name`, `resourceType`); see ``entry(_:)``.
    private let entryBase: UnsafePointer<WireEntry>
    let entryCount: Int
    /// The number of elements of the type (the size of the reader's per-object seen bits).
    let elementCount: Int
    /// The concatenated key bytes of the entries, then the element names.
    private let keyBytes: UnsafePointer<UInt8>
    /// The wire keys' hash table (open addressing). The count is a power of two.
    private let slots: UnsafePointer<KeySlot>
    private let slotMask: Int
    /// Element base names (`value`, not `valueString`) to element indices, same scheme.
    private let nameSlots: UnsafePointer<KeySlot>
    private let nameSlotMask: Int

    fileprivate init(
        entryBase: UnsafePointer<WireEntry>, entryCount: Int, elementCount: Int, keyBytes: UnsafePointer<UInt8>,
        slots: UnsafePointer<KeySlot>, slotMask: Int, nameSlots: UnsafePointer<KeySlot>, nameSlotMask: Int
    ) {
        self.entryBase = entryBase
        self.entryCount = entryCount
        self.elementCount = elementCount
        self.keyBytes = keyBytes
        self.slots = slots
        self.slotMask = slotMask
        self.nameSlots = nameSlots
        self.nameSlotMask = nameSlotMask
    }

    /// The entry at `index` (below ``entryCount``), in place: read its fields through the
    /// pointer so the entry and its strings are not copied.
    @inline(__always)
    func entry(_ index: Int) -> UnsafePointer<WireEntry> {
        assert(index >= 0 && index < entryCount)
        return entryBase + index
    }

    /// The entry for a key given as bytes, or nil.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int? {
        Self.find(key, hash: hash, in: slots, mask: slotMask, keyBytes: keyBytes)
    }

    /// The index of the element with this base name (as ``TypeSummary/elementIndex(named:)``).
    func elementIndex(named name: String) -> Int? {
        var name = name
        return name.withUTF8 { bytes -> Int? in
            Self.find(bytes, hash: CompiledType.hash(bytes), in: nameSlots, mask: nameSlotMask, keyBytes: keyBytes)
        }
    }

    @inline(__always)
    private static func find(
        _ key: UnsafeBufferPointer<UInt8>, hash: UInt32, in slots: UnsafePointer<KeySlot>, mask: Int,
        keyBytes: UnsafePointer<UInt8>
    ) -> Int? {
        var slot = Int(hash) & mask
        while true {
            let s = slots + slot
            let i = Int(s.pointee.index)
            if i < 0 { return nil }
            if s.pointee.hash == hash && Int(s.pointee.keyLength) == key.count
                && same(keyBytes + Int(s.pointee.keyOffset), key)
            {
                return i
            }
            slot = (slot + 1) & mask
        }
    }

    /// Whether `count` bytes at `a` equal `key` (compared a word at a time where possible).
    @inline(__always)
    static func same(_ a: UnsafePointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = key.count
        guard let b = key.baseAddress else { return n == 0 }
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
                    != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
                {
                    return false
                }
                i += 8
            }
            if i == n { return true }
            return UnsafeRawPointer(a + n - 8).loadUnaligned(as: UInt64.self)
                == UnsafeRawPointer(b + n - 8).loadUnaligned(as: UInt64.self)
        }
        if n >= 4 {
            return UnsafeRawPointer(a).loadUnaligned(as: UInt32.self)
                == UnsafeRawPointer(b).loadUnaligned(as: UInt32.self)
                && UnsafeRawPointer(a + n - 4).loadUnaligned(as: UInt32.self)
                    == UnsafeRawPointer(b + n - 4).loadUnaligned(as: UInt32.self)
        }
        for i in 0..<n where a[i] != b[i] { return false }
        return true
    }
}

/// One type or backbone element compiled for the reader: owns the buffers its ``KeyTable``
/// points into. Never changed after `init`, which is what makes sharing it across threads safe.
final class CompiledType: @unchecked Sendable {
    let summary: TypeSummary
    /// The key table (pointers into the buffers below).
    let table: KeyTable
    private let entryBase: UnsafeMutablePointer<WireEntry>
    private let entryCount: Int
    private let keyBytes: UnsafeMutablePointer<UInt8>
    private let slots: UnsafeMutablePointer<KeySlot>
    private let nameSlots: UnsafeMutablePointer<KeySlot>

    init(summary: TypeSummary, entries: [WireEntry], keyBytes: [UInt8]) {
        self.summary = summary
        entryBase = Self.copy(entries)
        entryCount = entries.count
        var bytes = keyBytes
        var slots = [KeySlot](repeating: KeySlot(), count: Self.tableSize(entries.count))
        for (i, e) in entries.enumerated() {
            var slot = Int(e.hash) & (slots.count - 1)
            while slots[slot].index >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = KeySlot(hash: e.hash, index: Int32(i), keyOffset: e.keyOffset, keyLength: e.keyLength)
        }
        var nameSlots = [KeySlot](repeating: KeySlot(), count: Self.tableSize(summary.elements.count))
        for (i, e) in summary.elements.enumerated() {
            let name = Array(e.name.utf8)
            let h = Self.hash(name)
            var slot = Int(h) & (nameSlots.count - 1)
            while nameSlots[slot].index >= 0 && summary.elements[Int(nameSlots[slot].index)].name != e.name {
                slot = (slot + 1) & (nameSlots.count - 1)
            }
            // A repeated name keeps the last index, as TypeSummary does.
            nameSlots[slot] = KeySlot(
                hash: h, index: Int32(i), keyOffset: Int32(bytes.count), keyLength: Int32(name.count))
            bytes += name
        }
        self.keyBytes = Self.copy(bytes)
        self.slots = Self.copy(slots)
        self.nameSlots = Self.copy(nameSlots)
        table = KeyTable(
            entryBase: entryBase, entryCount: entries.count, elementCount: summary.elements.count,
            keyBytes: self.keyBytes, slots: self.slots, slotMask: slots.count - 1, nameSlots: self.nameSlots,
            nameSlotMask: nameSlots.count - 1)
    }

    deinit {
        entryBase.deinitialize(count: entryCount)
        entryBase.deallocate()
        keyBytes.deallocate()
        slots.deallocate()
        nameSlots.deallocate()
    }

    private static func tableSize(_ count: Int) -> Int {
        var size = 8
        while size < count * 2 { size <<= 1 }
        return size
    }

    /// A copy of `array` in memory this object owns (never empty, so the pointer is never nil).
    private static func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        array.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
        }
        return pointer
    }

    /// The key hash (the reader computes the same while scanning a plain key).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return 0 }  // keyHash of no bytes
        return JSONScanner.keyHash(p, bytes.count)
    }

    static func hash(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { hash($0) }
    }
}

/// The compiled key tables of every type of a ``ModelInfo``, built once per model and shared.
final class JSONModelTables: @unchecked Sendable {
    let types: [CompiledType]
    /// The key tables of `types`, same order, for the reader to index without retaining.
    let keyTables: UnsafeMutablePointer<KeyTable>
    private let byName: [String: Int]
    /// The table of `Element` (`id`, `extension`): the content of `_name` objects.
    let element: CompiledType?

    func type(named name: String) -> CompiledType? {
        guard let i = byName[name] else { return nil }
        return types[i]
    }

    private init(model: ModelInfo) {
        var byName: [String: Int] = [:]
        for (i, t) in model.types.enumerated() { byName[t.name] = i }
        var compiled: [CompiledType] = []
        compiled.reserveCapacity(model.types.count)
        for t in model.types {
            compiled.append(Self.compile(t, model: model, index: byName))
        }
        self.types = compiled
        keyTables = .allocate(capacity: max(compiled.count, 1))
        for (i, t) in compiled.enumerated() { (keyTables + i).initialize(to: t.table) }
        self.byName = byName
        self.element = byName["Element"].map { compiled[$0] }
    }

    deinit {
        keyTables.deallocate()
    }

    private static func compile(_ t: TypeSummary, model: ModelInfo, index: [String: Int]) -> CompiledType {
        var entries: [WireEntry] = []
        var keyBytes: [UInt8] = []
        func add(_ key: String, element: Int, e: ElementSummary, typeCode: String, shape: WireEntry.Shape) {
            let bytes = Array(key.utf8)
            var childType: Int32 = -1
            if shape == .complex {
                if let backbone = e.backbonePath, let i = index[backbone] {
                    childType = Int32(i)
                } else if let i = index[typeCode] {
                    childType = Int32(i)
                }
            }
            let hash = bytes.withUnsafeBufferPointer { CompiledType.hash($0) }
            entries.append(
                WireEntry(
                    keyOffset: Int32(keyBytes.count), keyLength: Int32(bytes.count), hash: hash,
                    element: Int32(element), childType: childType, shape: shape, isArray: e.isArray,
                    isChoice: e.isChoice, name: e.name, typeCode: typeCode))
            keyBytes.append(contentsOf: bytes)
        }
        func shape(of e: ElementSummary, _ code: String) -> WireEntry.Shape {
            if e.holdsResource || code == "Resource" { return .resource }
            switch JSONPrimitiveKind.of(code) {
            case .boolean: return .boolean
            case .number: return .number
            case .string: return .string
            case .notPrimitive: return .complex
            }
        }
        for (i, e) in t.elements.enumerated() {
            if e.isChoice {
                for code in e.types {
                    guard let first = code.first else { continue }
                    add(
                        e.name + first.uppercased() + code.dropFirst(), element: i, e: e, typeCode: code,
                        shape: shape(of: e, code))
                }
            } else {
                let code = e.types.first ?? ""
                add(e.name, element: i, e: e, typeCode: code, shape: shape(of: e, code))
            }
        }
        if t.kind == .resource {
            let bytes = Array("resourceType".utf8)
            let hash = bytes.withUnsafeBufferPointer { CompiledType.hash($0) }
            entries.append(
                WireEntry(
                    keyOffset: Int32(keyBytes.count), keyLength: Int32(bytes.count), hash: hash, element: -1,
                    childType: -1, shape: .resourceType, isArray: false, isChoice: false, name: "resourceType",
                    typeCode: ""))
            keyBytes.append(contentsOf: bytes)
        }
        return CompiledType(summary: t, entries: entries, keyBytes: keyBytes)
    }

    // MARK: - Shared cache

    private final class WeakModel {
        weak var model: ModelInfo?
        let tables: JSONModelTables
        init(_ model: ModelInfo, _ tables: JSONModelTables) {
            self.model = model
            self.tables = tables
        }
    }

    private final class Cache: @unchecked Sendable {
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>
        private var entries: [WeakModel] = []

        init() {
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
        }

        func tables(for model: ModelInfo) -> JSONModelTables {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            entries.removeAll { $0.model == nil }
            if let hit = entries.first(where: { $0.model === model }) { return hit.tables }
            let tables = JSONModelTables(model: model)
            entries.append(WeakModel(model, tables))
            return tables
        }
    }

    private static let cache = Cache()

    /// The tables for `model`, compiled on first use and kept while the model lives.
    static func tables(for model: ModelInfo) -> JSONModelTables {
        cache.tables(for: model)
    }
}
