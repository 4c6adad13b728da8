import FHIRJSON

/// An ElementDefinition being built: an ordered JSON object that can be edited in place. New keys
/// go where the ElementDefinition's property order puts them, so the output reads like a
/// published snapshot.
struct ElementJSON: Sendable, Equatable {
    private(set) var keys: [String] = []
    private(set) var values: [JSONValue] = []

    init() {}

    init(_ object: JSONObject) {
        keys = object.keys
        values = object.values
    }

    init?(_ value: JSONValue) {
        guard let object = value.objectValue else { return nil }
        self.init(object)
    }

    subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue {
                    values[i] = newValue
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                let rank = Self.rank(key)
                let at = keys.firstIndex { Self.rank($0) > rank } ?? keys.count
                keys.insert(key, at: at)
                values.insert(newValue, at: at)
            }
        }
    }

    /// Removes every key for which `predicate` holds.
    mutating func removeKeys(where predicate: (String) -> Bool) {
        var i = 0
        while i < keys.count {
            if predicate(keys[i]) {
                keys.remove(at: i)
                values.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    var pairs: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }

    var value: JSONValue { .object(JSONObject(Array(zip(keys, values)))) }

    /// `min` as a number, when present and well formed.
    var min: Int? {
        if case .number(let n)? = self["min"] { return Int(n) }
        return nil
    }

    /// `max` as a count (`nil` for `*`), or `.none` when absent or malformed.
    var max: Cardinality? { self["max"]?.stringValue.flatMap(Cardinality.init) }

    /// The type codes, read as ``ElementDefinitionInfo`` reads them (System types mapped through
    /// the `structuredefinition-fhir-type` extension).
    var typeCodes: [String] { (self["type"]?.arrayValue ?? []).compactMap(ElementDefinitionInfo.typeCode) }

    /// The ElementDefinition properties in their FHIR order (typed properties by prefix).
    private static let order: [String: Int] = {
        let names = [
            "id", "extension", "modifierExtension", "path", "representation", "sliceName", "sliceIsConstraining",
            "label", "code", "slicing", "short", "definition", "comment", "requirements", "alias", "min", "max",
            "base", "contentReference", "type", "defaultValue", "meaningWhenMissing", "orderMeaning", "fixed",
            "pattern", "example", "minValue", "maxValue", "maxLength", "condition", "constraint", "mustSupport",
            "isModifier", "isModifierReason", "isSummary", "binding", "mapping",
        ]
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }()

    private static let typedPrefixes = ["defaultValue", "fixed", "pattern", "minValue", "maxValue"]

    static func rank(_ key: String) -> Int {
        let bare = key.hasPrefix("_") ? String(key.dropFirst()) : key
        if let r = order[bare] { return r }
        for p in typedPrefixes where bare.hasPrefix(p) { return order[p] ?? Int.max }
        return Int.max
    }
}

/// A maximum cardinality: a count, or unbounded (`*`).
struct Cardinality: Sendable, Equatable, Comparable {
    /// `nil` for `*`.
    var count: Int?

    init(count: Int?) { self.count = count }

    init?(_ text: String) {
        if text == "*" {
            count = nil
        } else if let n = Int(text), n >= 0 {
            count = n
        } else {
            return nil
        }
    }

    static func < (lhs: Cardinality, rhs: Cardinality) -> Bool {
        switch (lhs.count, rhs.count) {
        case (let a?, let b?): a < b
        case (.some, nil): true
        default: false
        }
    }
}

/// One element of the snapshot being built.
struct WorkElement: Sendable {
    /// The element's id in its standard form (`Observation.component:systolic.code`).
    var id: String
    var path: String
    var json: ElementJSON
    /// The element as it was before this profile changed it (what new slices are cloned from).
    var original: ElementJSON
    var origin: Origin
    /// A slice this profile adds: its `min` may go below the sliced element's.
    var isNewSlice: Bool = false
    /// Changed by a differential element (its `min`/`max` and types were checked).
    var constrained: Bool = false

    /// Where an element comes from. New slices copy only the sliced element's `base` children:
    /// children expanded from a type are expanded again when a slice needs them, and slices this
    /// profile adds belong to the element they slice.
    enum Origin: Sendable {
        /// The base definition's snapshot (or a copy of such an element in a new slice).
        case base
        /// Expanded from the element's type (diving into a datatype).
        case expanded
        /// Added by this profile: a new slice or a new element.
        case added
    }

    init(id: String, path: String, json: ElementJSON, origin: Origin) {
        var json = json
        json["id"] = .string(id)
        self.id = id
        self.path = path
        self.json = json
        self.original = json
        self.origin = origin
    }
}

/// Element ids: `name(:slice)?` segments joined by dots.
enum ElementID {
    struct Segment: Sendable, Equatable {
        var name: String
        var slice: String?
    }

    static func segments(_ id: String) -> [Segment] {
        id.split(separator: ".", omittingEmptySubsequences: false).map { part in
            if let colon = part.firstIndex(of: ":") {
                return Segment(name: String(part[..<colon]), slice: String(part[part.index(after: colon)...]))
            }
            return Segment(name: String(part), slice: nil)
        }
    }

    /// The path an id names (slice names dropped).
    static func path(of id: String) -> String {
        segments(id).map(\.name).joined(separator: ".")
    }

    /// Standard ids for a list of elements in snapshot order: each element's id is its parent's id
    /// (the nearest earlier element with the parent path, which is a slice when the element is
    /// inside one) plus its name and slice name.
    static func standardIDs(_ elements: [(path: String, sliceName: String?)]) -> [String] {
        var latest: [String: String] = [:]
        var ids: [String] = []
        ids.reserveCapacity(elements.count)
        for (path, sliceName) in elements {
            let suffix = sliceName.map { ":" + $0 } ?? ""
            let id: String
            if let dot = path.lastIndex(of: ".") {
                let parentPath = String(path[..<dot])
                let parentID = latest[parentPath] ?? parentPath
                id = parentID + "." + path[path.index(after: dot)...] + suffix
            } else {
                id = path + suffix
            }
            latest[path] = id
            ids.append(id)
        }
        return ids
    }

    /// `prefix` + the rest of `id` after `oldPrefix` (ids and paths of copied subtrees).
    static func rebase(_ value: String, from oldPrefix: String, to newPrefix: String) -> String {
        guard value.hasPrefix(oldPrefix) else { return value }
        return newPrefix + value.dropFirst(oldPrefix.count)
    }
}
