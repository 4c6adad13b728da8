import FHIRDefinitions
import FHIRJSON
import FHIRModel

/// Builds a snapshot from a differential and the base definition's snapshot.
///
/// The differential is applied in order to a copy of the base snapshot: each differential element
/// is located by its id (or its path, in the context of the elements before it), creating what it
/// needs on the way (slices cloned from the sliced element, children expanded from the element's
/// type when the differential dives into a datatype, choice elements narrowed for renamed choices
/// such as `valueQuantity`), and is then merged into the element it constrains. Problems are
/// reported as `VAL-SNAPSHOT` issues naming the profile and the element; the generator never stops
/// at the first one and never traps on malformed definitions.
public struct SnapshotGenerator: Sendable {
    public let catalog: ProfileCatalog

    public init(catalog: ProfileCatalog) {
        self.catalog = catalog
    }

    public struct Result: Sendable {
        public var elements: [JSONValue]
        public var issues: [Issue]

        public init(elements: [JSONValue], issues: [Issue]) {
            self.elements = elements
            self.issues = issues
        }
    }

    /// How many generations may nest (a profile whose base or type profiles need a snapshot
    /// generated first, and so on).
    static let maxDepth = 24
    /// The most elements a generated snapshot may have.
    static let maxElements = 20_000
    /// The most levels a differential element's path may have.
    static let maxPathDepth = 64

    public func generate(_ definition: StructureDefinitionInfo) -> Result {
        let depth = GenerationDepth.current
        guard depth < Self.maxDepth else {
            return Result(
                elements: [],
                issues: [
                    Self.issue(
                        .error, definition.url, nil,
                        "the chain of base definitions and type profiles is deeper than \(Self.maxDepth)")
                ])
        }
        return GenerationDepth.$current.withValue(depth + 1) { run(definition) }
    }

    private func run(_ definition: StructureDefinitionInfo) -> Result {
        guard let baseURL = definition.baseDefinition, !baseURL.isEmpty else {
            return Result(
                elements: [],
                issues: [Self.issue(.error, definition.url, nil, "has no baseDefinition to build a snapshot from")])
        }
        guard let base = catalog.profile(url: baseURL) else {
            return Result(
                elements: [],
                issues: [
                    Self.issue(
                        .error, definition.url, nil,
                        "its base definition \(baseURL) cannot be found (or its chain of bases leads back to it)")
                ])
        }
        guard !base.elements.isEmpty else {
            return Result(
                elements: [],
                issues: [
                    Self.issue(
                        .error, definition.url, nil,
                        "its base definition \(baseURL) has no snapshot and none could be generated (see its issues)")
                ])
        }
        var builder = Builder(catalog: catalog, definition: definition, base: base)
        builder.applyDifferential()
        return Result(elements: builder.elements.map(\.json.value), issues: builder.issues)
    }

    /// An issue about `profile` (and an element of it): the message names both, never instance data.
    static func issue(_ severity: Issue.Severity, _ profile: String, _ element: String?, _ message: String) -> Issue {
        let name = profile.isEmpty ? "a profile without url" : "profile " + profile
        if let element {
            return Issue(severity, .snapshot, "\(name), element \(element): \(message)", path: element)
        }
        return Issue(severity, .snapshot, "\(name): \(message)")
    }
}

/// The nesting of snapshot generations on the current task.
enum GenerationDepth {
    @TaskLocal static var current = 0
}

extension SnapshotGenerator {
    /// The snapshot being built for one definition.
    struct Builder {
        let catalog: ProfileCatalog
        let definition: StructureDefinitionInfo
        let url: String
        let baseURL: String
        /// New elements are allowed (a specialization or a logical model), not errors.
        let addsElements: Bool
        var elements: [WorkElement]
        var issues: [Issue] = []
        /// The root name (the profile's type) and the base's root name it replaced.
        let rootName: String
        let baseRootName: String
        /// The differential's paths, for deciding how renamed choices are represented.
        let differentialPaths: [String]
        /// Target ids (in the differential's terms) of the differential elements applied so far.
        var placed: [String] = []
        /// Target ids that could not be located (their descendants are skipped silently).
        var failed: [String] = []
        private var idIndexCache: [String: Int]?

        init(catalog: ProfileCatalog, definition: StructureDefinitionInfo, base: ResolvedProfile) {
            self.catalog = catalog
            self.definition = definition
            self.url = definition.url
            self.baseURL = base.url
            self.addsElements = definition.derivation == "specialization" || definition.kind == "logical"
            differentialPaths = definition.differential.compactMap { $0["path"]?.stringValue }
            let baseRoot = base.elements.first.map { String($0.path.prefix { $0 != "." }) } ?? ""
            var root = definition.type
            if definition.kind == "logical" || root.isEmpty || root.contains("/") {
                root = differentialPaths.first.map { String($0.prefix { $0 != "." }) } ?? baseRoot
            }
            rootName = root.isEmpty ? baseRoot : root
            baseRootName = baseRoot
            let ids = ElementID.standardIDs(base.elements.map { ($0.path, $0.sliceName) })
            var list: [WorkElement] = []
            list.reserveCapacity(base.elements.count + definition.differential.count * 2)
            for (k, e) in base.elements.enumerated() {
                var json = ElementJSON(e.raw) ?? ElementJSON()
                var path = e.path
                var id = ids[k]
                if rootName != baseRoot {
                    path = ElementID.rebase(path, from: baseRoot, to: rootName)
                    id = ElementID.rebase(id, from: baseRoot, to: rootName)
                    json["path"] = .string(path)
                }
                list.append(WorkElement(id: id, path: path, json: json, origin: .base))
            }
            elements = list
        }

        // MARK: Applying the differential

        mutating func applyDifferential() {
            for (n, raw) in definition.differential.enumerated() {
                guard let diff = ElementJSON(raw), let path = diff["path"]?.stringValue, !path.isEmpty else {
                    report(.error, nil, "differential element \(n + 1) has no path")
                    continue
                }
                let target = targetID(of: diff, path: path)
                defer { placed.append(target) }
                if failed.contains(where: { target == $0 || Self.isWithin(target, $0) }) { continue }
                guard let index = locate(target, differential: diff) else {
                    failed.append(target)
                    continue
                }
                merge(diff, into: index, element: target)
                if elements[index].origin == .added && elements[index].json["base"] == nil {
                    // A new element (specialization, logical model) is its own base.
                    let e = elements[index].json
                    elements[index].json["base"] = .object(
                        JSONObject([
                            ("path", .string(elements[index].path)), ("min", e["min"] ?? .number("0")),
                            ("max", e["max"] ?? .string("*")),
                        ]))
                }
                if elements.count > SnapshotGenerator.maxElements {
                    report(.error, target, "the snapshot grows beyond \(SnapshotGenerator.maxElements) elements")
                    return
                }
            }
        }

        /// Whether `id` lies inside the element (or slice) `ancestor`.
        static func isWithin(_ id: String, _ ancestor: String) -> Bool {
            id.hasPrefix(ancestor + ".") || id.hasPrefix(ancestor + ":") || id.hasPrefix(ancestor + "/")
        }

        /// The id a differential element addresses: its own `id` when that agrees with its path and
        /// slice name, else its path placed under the latest earlier element that is an ancestor
        /// (so elements following a slice belong to that slice, as path-only differentials mean).
        func targetID(of diff: ElementJSON, path: String) -> String {
            let sliceName = diff["sliceName"]?.stringValue
            if let id = diff["id"]?.stringValue, !id.isEmpty, ElementID.path(of: id) == path,
                ElementID.segments(id).last?.slice == sliceName
            {
                return id
            }
            let suffix = sliceName.map { ":" + $0 } ?? ""
            for previous in placed.reversed() {
                let previousPath = ElementID.path(of: previous)
                if path.hasPrefix(previousPath + ".") {
                    return previous + path.dropFirst(previousPath.count) + suffix
                }
            }
            return path + suffix
        }

        // MARK: Element lookup

        mutating func index(ofID id: String) -> Int? {
            if idIndexCache == nil {
                var map: [String: Int] = [:]
                map.reserveCapacity(elements.count)
                for (i, e) in elements.enumerated() where map[e.id] == nil { map[e.id] = i }
                idIndexCache = map
            }
            return idIndexCache?[id]
        }

        mutating func insert(_ new: [WorkElement], at position: Int) {
            elements.insert(contentsOf: new, at: position)
            idIndexCache = nil
        }

        /// The index after the last descendant of element `i` (its slices excluded).
        func subtreeEnd(_ i: Int) -> Int {
            let prefix = elements[i].id + "."
            var j = i + 1
            while j < elements.count, elements[j].id.hasPrefix(prefix) { j += 1 }
            return j
        }

        func hasChildren(_ i: Int) -> Bool { subtreeEnd(i) > i + 1 }

        /// The direct children of element `i`.
        func children(of i: Int) -> [Int] {
            let prefix = elements[i].id + "."
            return (i + 1..<subtreeEnd(i)).filter { j in
                let rest = elements[j].id.dropFirst(prefix.count)
                return !rest.contains(".") && !rest.contains(":")
            }
        }

        mutating func report(_ severity: Issue.Severity, _ element: String?, _ message: String) {
            issues.append(SnapshotGenerator.issue(severity, url, element, message))
        }
    }
}
