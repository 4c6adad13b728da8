import FHIRDefinitions
import FHIRJSON

/// Reads what a slice requires for one discriminator: walks the discriminator path through the
/// slice's snapshot elements (from the slice entry, by path segment), following the element's
/// type profile or base type when the slice's subtree stops short, and the target profile after
/// `resolve()`.
///
/// Where the path crosses an element that is itself sliced (bp's `code.coding.code` crosses
/// `coding:SBPCode`), the base entry and every required slice (min >= 1) are followed, and what
/// each of them fixes is required. Where it crosses an element with a fixed value or pattern
/// before its end (`code` with a patternCodeableConcept, path `code.coding.code`), the rest of the
/// path is read inside that value.
struct DiscriminatorResolver {
    let context: ValidationContext

    /// A place in a profile's snapshot.
    struct Location {
        var profile: ResolvedProfile
        var index: Int
        /// The element whose children hold this one and its slices (`nil` at a root).
        var parent: Int?
        /// Set by `ofType(T)`: only this type of the element counts.
        var typeFilter: String?

        var element: ElementDefinitionInfo { profile.elements[index] }

        /// The element's types, restricted by `ofType`.
        var types: [ElementDefinitionInfo.TypeRef] {
            guard let filter = typeFilter else { return element.types }
            return element.types.filter { $0.code == filter }
        }
    }

    /// Part of a fixed value or pattern, reached by reading the rest of a path inside it.
    struct ValuePart {
        var isPattern: Bool
        var json: JSONValue
        var type: String
    }

    /// Where the walk got to.
    struct Targets {
        /// Elements reached; the first is the path's own element (no slice branching).
        var locations: [Location] = []
        /// Values reached inside an ancestor's fixed value or pattern.
        var parts: [ValuePart] = []
        /// The Reference element of a final `resolve()`.
        var resolvedFrom: Location?
    }

    func criterion(
        profile: ResolvedProfile, slice: Int, parent: Int?, discriminator: ElementDefinitionInfo.Slicing.Discriminator
    ) -> DiscriminatorCriterion {
        let sliceName = profile.elements[slice].sliceName ?? profile.elements[slice].id
        guard let steps = DiscriminatorStep.parse(discriminator.path) else {
            return .undecidable("the discriminator path '\(discriminator.path)' is not supported")
        }
        let targets = walk(steps, from: Location(profile: profile, index: slice, parent: parent))
        switch discriminator.type {
        case "value", "pattern":
            var expected: [ExpectedValue] = targets.parts.map { part in
                let value = ElementDefinitionInfo.TypedValue(type: part.type, value: part.json)
                return part.isPattern ? .pattern(value) : .fixed(value)
            }
            for location in targets.locations {
                let e = location.element
                if let fixed = e.fixed {
                    expected.append(.fixed(fixed))
                } else if let pattern = e.pattern {
                    expected.append(.pattern(pattern))
                } else if let binding = e.binding, binding.strength == .required, let valueSet = binding.valueSet {
                    expected.append(.binding(valueSet))
                }
            }
            guard !expected.isEmpty else {
                return .undecidable(
                    "slice \(sliceName) states no fixed value, pattern or required binding at '\(discriminator.path)'")
            }
            return .values(expected)
        case "exists":
            guard let e = targets.locations.first?.element else { return notFound(sliceName, discriminator) }
            if e.min >= 1 { return .presence(mustExist: true) }
            if e.maxCount == 0 { return .presence(mustExist: false) }
            return .undecidable("slice \(sliceName) neither requires nor forbids '\(discriminator.path)'")
        case "type":
            if let reference = targets.resolvedFrom {
                let types = reference.types.flatMap(\.targetProfiles).compactMap(resourceType(of:))
                return types.isEmpty ? notFound(sliceName, discriminator) : .types(types)
            }
            guard let location = targets.locations.first else { return notFound(sliceName, discriminator) }
            let types = location.types.map(\.code)
            return types.isEmpty ? notFound(sliceName, discriminator) : .types(types)
        case "profile":
            let urls: [String]
            if let reference = targets.resolvedFrom {
                urls = reference.types.flatMap(\.targetProfiles)
            } else if let location = targets.locations.first {
                urls = location.types.flatMap(\.profiles)
            } else {
                return notFound(sliceName, discriminator)
            }
            guard !urls.isEmpty else {
                return .undecidable("slice \(sliceName) names no profile at '\(discriminator.path)'")
            }
            return .profiles(urls)
        default:
            return .undecidable("the discriminator type '\(discriminator.type)' is not supported")
        }
    }

    private func notFound(_ sliceName: String, _ d: ElementDefinitionInfo.Slicing.Discriminator)
        -> DiscriminatorCriterion
    {
        .undecidable("'\(d.path)' is not found in the definition of slice \(sliceName)")
    }

    /// The resource type a target profile constrains (`.../Observation` or a profile on it).
    private func resourceType(of url: String) -> String? {
        if let type = context.profiles.profile(url: url)?.type, !type.isEmpty { return type }
        guard url.hasPrefix(DefinitionStore.coreStructureDefinitionBase) else { return nil }
        return String(url.dropFirst(DefinitionStore.coreStructureDefinitionBase.count))
    }

    // MARK: Walking

    func walk(_ steps: [DiscriminatorStep], from start: Location) -> Targets {
        var locations = [start]
        var parts: [ValuePart] = []
        var resolvedFrom: Location?
        for (n, step) in steps.enumerated() {
            let isLast = n == steps.count - 1
            var nextLocations: [Location] = []
            var nextParts = parts.flatMap { navigate($0, step) }
            resolvedFrom = nil
            for location in locations {
                // A fixed value or pattern on the way holds the rest of the path too.
                if step != .this, let held = heldValue(location.element) {
                    nextParts += navigate(held, step)
                }
                switch step {
                case .this:
                    nextLocations.append(location)
                case .name(let name):
                    if name == "url", let url = extensionProfile(location) {
                        nextParts.append(ValuePart(isPattern: false, json: .string(url), type: "uri"))
                    } else {
                        nextLocations += child(name, of: location)
                    }
                case .extensionURL(let url):
                    nextLocations += extensionSlice(url, in: location)
                case .resolve:
                    if isLast {
                        resolvedFrom = location
                        nextLocations.append(location)
                    } else if let target = location.types.flatMap(\.targetProfiles).lazy.compactMap({
                        context.profiles.profile(url: $0)
                    }).first {
                        nextLocations.append(Location(profile: target, index: 0, parent: nil))
                    }
                case .ofType(let type):
                    nextLocations.append(typeSlice(type, of: location))
                }
            }
            locations = nextLocations
            parts = nextParts
            if locations.isEmpty && parts.isEmpty { break }
        }
        return Targets(locations: locations, parts: parts, resolvedFrom: resolvedFrom)
    }

    /// The element's fixed value or pattern, as a part to read the rest of the path in.
    private func heldValue(_ e: ElementDefinitionInfo) -> ValuePart? {
        if let v = e.fixed { return ValuePart(isPattern: false, json: v.value, type: v.type) }
        if let v = e.pattern { return ValuePart(isPattern: true, json: v.value, type: v.type) }
        return nil
    }

    /// The base entry of child `name` (and the required slices of it, when it is sliced and
    /// fixes nothing itself), looking in the element's type definition when the subtree lacks it.
    private func child(_ name: String, of location: Location) -> [Location] {
        var scope = location
        var kids = scope.profile.children(of: scope.index)
        var base = kids.first { isNamed(scope.profile.elements[$0], name) }
        if base == nil, let typeRoot = typeDefinition(of: location) {
            scope = typeRoot
            kids = scope.profile.children(of: scope.index)
            base = kids.first { isNamed(scope.profile.elements[$0], name) }
        }
        guard let base else { return [] }
        let found = Location(profile: scope.profile, index: base, parent: scope.index)
        let e = found.element
        guard e.fixed == nil, e.pattern == nil, e.slicing != nil else { return [found] }
        let required = kids.filter { k in
            let s = scope.profile.elements[k]
            return s.path == e.path && s.min >= 1 && s.sliceName.map { !$0.contains("/") } == true
        }
        return [found] + required.map { Location(profile: scope.profile, index: $0, parent: scope.index) }
    }

    private func isNamed(_ e: ElementDefinitionInfo, _ name: String) -> Bool {
        guard e.sliceName == nil else { return false }
        let last = e.name
        return last == name || (last.hasSuffix("[x]") && last.dropLast(3) == name)
    }

    /// The root of the element's type profile (its single type's profile, or the base definition
    /// of the type), for children the snapshot does not list under the element.
    private func typeDefinition(of location: Location) -> Location? {
        let types = location.types
        guard let type = types.first, types.allSatisfy({ $0.code == type.code }) else { return nil }
        if let url = type.profiles.first, let profile = context.profiles.profile(url: url) {
            return Location(profile: profile, index: 0, parent: nil)
        }
        guard !type.code.contains(":"), type.code != "BackboneElement", type.code != "Element",
            let profile = context.profiles.base(type: type.code), !profile.elements.isEmpty
        else { return nil }
        return Location(profile: profile, index: 0, parent: nil)
    }

    /// For an element of type Extension with a profile: the extension's URL (what its `url` is).
    private func extensionProfile(_ location: Location) -> String? {
        let types = location.types
        guard types.count == 1, types[0].code == "Extension", let url = types[0].profiles.first else { return nil }
        return url.split(separator: "|", maxSplits: 1).first.map(String.init)
    }

    /// `extension('url')`: the slice of `extension` for that URL (by its profile or its fixed
    /// `url`), else the extension's own definition.
    private func extensionSlice(_ url: String, in location: Location) -> [Location] {
        for scope in [location] + (typeDefinition(of: location).map { [$0] } ?? []) {
            let kids = scope.profile.children(of: scope.index)
            for k in kids {
                let e = scope.profile.elements[k]
                guard let sliceName = e.sliceName, e.name == "extension" else { continue }
                let candidate = Location(profile: scope.profile, index: k, parent: scope.index)
                let fixedURL = scope.profile.children(of: k).lazy.map { scope.profile.elements[$0] }
                    .first { $0.name == "url" }?.fixed?.value.stringValue
                guard extensionProfile(candidate) == url || fixedURL == url else { continue }
                // A required reslice (`slice/reslice`, min >= 1) narrows the slice for every item
                // here (e.g. fixes the extension's value): the discriminator reads it, not the slice.
                let reslices = kids.filter { r in
                    let re = scope.profile.elements[r]
                    return re.name == "extension" && re.min >= 1 && re.sliceName?.hasPrefix(sliceName + "/") == true
                }
                guard !reslices.isEmpty else { return [candidate] }
                return reslices.map { Location(profile: scope.profile, index: $0, parent: scope.index) }
            }
        }
        if let definition = context.profiles.profile(url: url), !definition.elements.isEmpty {
            return [Location(profile: definition, index: 0, parent: nil)]
        }
        return []
    }

    /// `ofType(T)` on a choice element: its type slice for T when there is one (it holds the
    /// constraints on that type), else the element restricted to T.
    private func typeSlice(_ type: String, of location: Location) -> Location {
        var restricted = location
        restricted.typeFilter = type
        guard location.element.isChoice, let parent = location.parent else { return restricted }
        let path = location.element.path
        for k in location.profile.children(of: parent) {
            let e = location.profile.elements[k]
            if e.path == path, e.sliceName != nil, e.types.count == 1, e.types[0].code == type {
                return Location(profile: location.profile, index: k, parent: parent, typeFilter: type)
            }
        }
        return restricted
    }

    /// Reads one step inside a fixed value or pattern.
    private func navigate(_ part: ValuePart, _ step: DiscriminatorStep) -> [ValuePart] {
        switch step {
        case .this:
            return [part]
        case .ofType(let type):
            guard part.type == type || part.type.isEmpty else { return [] }
            return [ValuePart(isPattern: part.isPattern, json: part.json, type: type)]
        case .resolve:
            return []
        case .name, .extensionURL:
            break
        }
        var out: [ValuePart] = []
        for item in part.json.arrayValue ?? [part.json] {
            guard let object = item.objectValue else { continue }
            if case .extensionURL(let url) = step {
                for ext in object["extension"]?.arrayValue ?? [] where ext["url"]?.stringValue == url {
                    out.append(ValuePart(isPattern: part.isPattern, json: ext, type: "Extension"))
                }
                continue
            }
            guard case .name(let name) = step else { continue }
            for (key, value) in object.pairs {
                let type: String
                if key == name {
                    type = ""
                } else if let t = ElementDefinitionInfo.suffix(key, name) {
                    type = t
                } else {
                    continue
                }
                for v in value.arrayValue ?? [value] {
                    out.append(ValuePart(isPattern: part.isPattern, json: v, type: type))
                }
            }
        }
        return out
    }
}
