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

/// The key table of one type or backbone element: open addressing over byte hashes.
final class CompiledType: Sendable {
    let summary: TypeSummary
    let entries: [WireEntry]
    let keyBytes: [UInt8]
    /// Slots holding an entry index, or -1. The count is a power of two.
    let slots: [Int32]

    init(summary: TypeSummary, entries: [WireEntry], keyBytes: [UInt8]) {
        self.summary = summary
        self.entries = entries
        self.keyBytes = keyBytes
        var size = 8
        while size < entries.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for (i, e) in entries.enumerated() {
            var slot = Int(e.hash) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(i)
        }
        self.slots = slots
    }

    var elementCount: Int { summary.elements.count }

    /// The entry for a key given as bytes, or nil.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(hash) & mask
            while true {
                let i = Int(slots[slot])
                if i < 0 { return nil }
                let e = entries[i]
                if e.hash == hash && Int(e.keyLength) == key.count {
                    let same = keyBytes.withUnsafeBufferPointer { kb -> Bool in
                        guard let a = kb.baseAddress, let b = key.baseAddress else { return key.isEmpty }
                        return memcmp(a + Int(e.keyOffset), b, key.count) == 0
                    }
                    if same { return i }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// FNV-1a over the key bytes (the reader computes the same while scanning the key).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }
}

/// The compiled key tables of every type of a ``ModelInfo``, built once per model and shared.
final class JSONModelTables: Sendable {
    let types: [CompiledType]
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
        self.byName = byName
        self.element = byName["Element"].map { compiled[$0] }
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
