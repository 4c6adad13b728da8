import FHIRModel
import FHIRPath

/// Swift implementations of the core invariants that run on (nearly) every element, recognised
/// by their exact expression text. Each gives the answer the FHIRPath engine gives for the same
/// expression (`NativeInvariantEquivalenceTests` compares them on every node of the official
/// examples); where an input is unusual enough that matching the engine exactly would take more
/// than the common case (several values where one is expected, values of another type), a native
/// invariant says `undecided` and the expression is evaluated with FHIRPath.
enum NativeInvariant: Sendable, CaseIterable {
    /// ele-1: `hasValue() or (children().count() > id.count())`.
    case elementHasValueOrChildren
    /// ext-1: `extension.exists() != value.exists()`.
    case extensionOrValue
    /// dom-2: `contained.contained.empty()`.
    case containedNotNested
    /// dom-3: every contained resource is referenced (see `NativeInvariants+Contained.swift`).
    case containedReferenced
    /// dom-4: `contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()`.
    case containedNoVersion
    /// dom-5: `contained.meta.security.empty()`.
    case containedNoSecurity
    /// dom-6: ``text.`div`.exists()``.
    case hasNarrative
    /// ref-1: a local reference names a contained resource (see `NativeInvariants+References.swift`).
    case localReferenceContained
    /// bdl-3: entries have a `request` exactly when the Bundle is a batch, transaction or history
    /// (see `NativeInvariants+Bundle.swift`).
    case bundleRequests
    /// bdl-4: entries have a `response` exactly when the Bundle is a batch-response,
    /// transaction-response or history.
    case bundleResponses
    /// bdl-7: outside a history, `fullUrl` and `versionId` together are unique.
    case bundleVersionsDistinct
    /// eld-2: `min` is not above `max` (see `NativeInvariants+Definitions.swift`).
    case cardinalityOrdered
    /// eld-3: `max` is `*` or a non-negative integer.
    case maxIsStarOrNonNegative
    /// eld-11: a binding only on a coded type.
    case bindingOnCodedType
    /// eld-12: a binding's value set is an absolute URL.
    case valueSetURLScheme
    /// eld-16: the characters of a slice name.
    case sliceNameCharacters
    /// eld-19: the characters of an element path.
    case elementPathCharacters
    /// eld-20: the form of an element path.
    case elementPathForm
    /// nsd-1: a root NamingSystem has no uuid identifiers.
    case rootNotUUID
    /// nsd-2: one preferred identifier per type.
    case preferredTypesDistinct
    /// tim-4: `duration` is not negative (see `NativeInvariants+DataTypes.swift`).
    case durationNonNegative
    /// tim-5: `period` is not negative.
    case periodNonNegative
    /// tim-9: an offset only with a `when` that is not a meal.
    case offsetNotWithMeals
    /// per-1: start before end (decided natively only when one of them has no value).
    case periodOrdered
    /// obs-7: component codes differ from the observation code (decided natively only without a
    /// value or without components).
    case componentCodesDiffer
    /// sdf-3: snapshot elements have a definition, min and max (see
    /// `NativeInvariants+StructureDefinition.swift`).
    case snapshotElementsDefined
    /// sdf-8b: snapshot elements have a base.
    case snapshotElementsHaveBase
    /// sdf-8: snapshot paths start with the root path.
    case snapshotPathsNested
    /// sdf-8a: differential paths start with the root path.
    case differentialPathsNested
    /// sdf-9: root elements have no label, code or requirements.
    case rootUnlabelled
    /// sdf-14: every element has an id.
    case elementsHaveIDs
    /// sdf-16: snapshot element ids are unique.
    case snapshotIDsDistinct
    /// sdf-17: differential element ids are unique.
    case differentialIDsDistinct
    /// sdf-19: type codes of core definitions.
    case coreTypeCodes
    /// sdf-20: the root element of a differential is not sliced.
    case rootNotSliced
    /// sdf-23: root elements have no slice name.
    case rootNotSliceNamed

    /// The expression each case implements, exactly as the core definitions write it.
    var expression: String {
        switch self {
        case .elementHasValueOrChildren: "hasValue() or (children().count() > id.count())"
        case .extensionOrValue: "extension.exists() != value.exists()"
        case .containedNotNested: "contained.contained.empty()"
        case .containedReferenced:
            "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()"
        case .containedNoVersion: "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()"
        case .containedNoSecurity: "contained.meta.security.empty()"
        case .hasNarrative: "text.`div`.exists()"
        case .localReferenceContained:
            "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))"
        case .bundleRequests:
            "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))"
        case .bundleResponses:
            "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))"
        case .bundleVersionsDistinct:
            "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()"
        case .cardinalityOrdered:
            "min.empty() or max.empty() or (max = '*') or iif(max != '*', min <= max.toInteger())"
        case .maxIsStarOrNonNegative: "empty() or ($this = '*') or (toInteger() >= 0)"
        case .bindingOnCodedType:
            "binding.empty() or type.code.empty() or type.select((code = 'code') or (code = 'Coding') or (code='CodeableConcept') or (code = 'Quantity') or (code = 'string') or (code = 'uri')).exists()"
        case .valueSetURLScheme:
            "valueSet.exists() implies (valueSet.startsWith('http:') or valueSet.startsWith('https') or valueSet.startsWith('urn:'))"
        case .sliceNameCharacters: ##"sliceName.empty() or sliceName.matches('^[a-zA-Z0-9\\/\\-_\\[\\]\\@]+$')"##
        case .elementPathCharacters:
            ##"path.matches('[^\\s\\.,:;\\\'"\\/|?!@#$%&*()\\[\\]{}]{1,64}(\\.[^\\s\\.,:;\\\'"\\/|?!@#$%&*()\\[\\]{}]{1,64}(\\[x\\])?(\\:[^\\s\\.]+)?)*')"##
        case .elementPathForm: ##"path.matches('[A-Za-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*(\\[x])?)*')"##
        case .rootNotUUID: "kind != 'root' or uniqueId.all(type != 'uuid')"
        case .preferredTypesDistinct: "uniqueId.where(preferred = true).select(type).isDistinct()"
        case .durationNonNegative: "duration.exists() implies duration >= 0"
        case .periodNonNegative: "period.exists() implies period >= 0"
        case .offsetNotWithMeals:
            "offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))"
        case .periodOrdered: "start.hasValue().not() or end.hasValue().not() or (start <= end)"
        case .componentCodesDiffer:
            "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()"
        case .snapshotElementsDefined: "element.all(definition.exists() and min.exists() and max.exists())"
        case .snapshotElementsHaveBase: "element.all(base.exists())"
        case .snapshotPathsNested:
            "(%resource.kind = 'logical' or element.first().path = %resource.type) and element.tail().all(path.startsWith(%resource.snapshot.element.first().path&'.'))"
        case .differentialPathsNested:
            ##"(%resource.kind = 'logical' or element.first().path.startsWith(%resource.type)) and (element.tail().empty() or element.tail().all(path.startsWith(%resource.differential.element.first().path.replaceMatches('\\..*','')&'.')))"##
        case .rootUnlabelled:
            "children().element.where(path.contains('.').not()).label.empty() and children().element.where(path.contains('.').not()).code.empty() and children().element.where(path.contains('.').not()).requirements.empty()"
        case .elementsHaveIDs: "snapshot.element.all(id.exists()) and differential.element.all(id.exists())"
        case .snapshotIDsDistinct: "snapshot.element.all(id.exists()) and snapshot.element.id.trace('ids').isDistinct()"
        case .differentialIDsDistinct:
            "differential.element.all(id.exists()) and differential.element.id.trace('ids').isDistinct()"
        case .coreTypeCodes:
            ##"url.startsWith('http://hl7.org/fhir/StructureDefinition') implies (differential.element.type.code.all(matches('^[a-zA-Z0-9]+$') or matches('^http:\\/\\/hl7\\.org\\/fhirpath\\/System\\.[A-Z][A-Za-z]+$')) and snapshot.element.type.code.all(matches('^[a-zA-Z0-9\\.]+$') or matches('^http:\\/\\/hl7\\.org\\/fhirpath\\/System\\.[A-Z][A-Za-z]+$')))"##
        case .rootNotSliced: "element.where(path.contains('.').not()).slicing.empty()"
        case .rootNotSliceNamed:
            "(snapshot | differential).element.all(path.contains('.').not() implies sliceName.empty())"
        }
    }

    /// The native form of an invariant expression, when there is one.
    static func forExpression(_ expression: String) -> NativeInvariant? {
        byExpression[expression]
    }

    private static let byExpression: [String: NativeInvariant] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.expression, $0) })

    /// What a native evaluation found.
    enum Outcome: Equatable, Sendable {
        case pass
        case fail
        /// Not decided natively: evaluate the expression with FHIRPath.
        case undecided
    }

    /// Evaluates the invariant on `node` (the focus), inside the resources of `scope`, as
    /// `CompiledFHIRPath.evaluate(on: FHIRPathNode(element: node, scope: scope))` followed by the
    /// walker's pass rule (empty or `true` passes) would.
    func evaluate(_ node: ElementNode, scope: FHIRPathScope?) -> Outcome {
        switch self {
        case .elementHasValueOrChildren:
            return Self.elementHasValueOrChildren(node) ? .pass : .fail
        case .extensionOrValue:
            return Self.hasChild(node, "extension") != Self.hasChild(node, "value") ? .pass : .fail
        case .containedNotNested:
            return Self.exists(node, "contained", "contained") ? .fail : .pass
        case .containedReferenced:
            return Self.containedReferenced(node, scope: scope)
        case .containedNoVersion:
            guard Self.hasChild(node, "contained") else { return .pass }
            return Self.exists(node, "contained", "meta", "versionId")
                || Self.exists(node, "contained", "meta", "lastUpdated") ? .fail : .pass
        case .containedNoSecurity:
            return Self.exists(node, "contained", "meta", "security") ? .fail : .pass
        case .hasNarrative:
            return Self.exists(node, "text", "div") ? .pass : .fail
        case .localReferenceContained:
            return Self.localReferenceContained(node, scope: scope)
        case .bundleRequests:
            return Self.entriesMatchType(
                node, scope: scope, child: "request", types: ["batch", "transaction", "history"])
        case .bundleResponses:
            return Self.entriesMatchType(
                node, scope: scope, child: "response", types: ["batch-response", "transaction-response", "history"])
        case .bundleVersionsDistinct:
            return Self.versionsDistinct(node)
        case .cardinalityOrdered: return Self.cardinalityOrdered(node)
        case .maxIsStarOrNonNegative: return Self.maxIsStarOrNonNegative(node)
        case .bindingOnCodedType: return Self.bindingOnCodedType(node)
        case .valueSetURLScheme: return Self.valueSetURLScheme(node)
        case .sliceNameCharacters: return Self.matchesChild(node, "sliceName", Self.sliceNameMatches)
        case .elementPathCharacters: return Self.matchesChild(node, "path", Self.elementPathHasPlainCharacter)
        case .elementPathForm: return Self.matchesChild(node, "path", Self.hasASCIILetter)
        case .rootNotUUID: return Self.rootNotUUID(node)
        case .preferredTypesDistinct: return Self.preferredTypesDistinct(node)
        case .durationNonNegative: return Self.nonNegativeDecimal(node, "duration")
        case .periodNonNegative: return Self.nonNegativeDecimal(node, "period")
        case .offsetNotWithMeals: return Self.offsetNotWithMeals(node)
        case .periodOrdered: return Self.periodOrdered(node)
        case .componentCodesDiffer: return Self.componentCodesDiffer(node)
        case .snapshotElementsDefined: return Self.everyElementHas(node, ["definition", "min", "max"])
        case .snapshotElementsHaveBase: return Self.everyElementHas(node, ["base"])
        case .snapshotPathsNested: return Self.pathsNested(node, scope: scope, differential: false)
        case .differentialPathsNested: return Self.pathsNested(node, scope: scope, differential: true)
        case .rootUnlabelled: return Self.rootUnlabelled(node)
        case .elementsHaveIDs: return Self.elementsHaveIDs(node)
        case .snapshotIDsDistinct: return Self.elementIDsDistinct(node, "snapshot")
        case .differentialIDsDistinct: return Self.elementIDsDistinct(node, "differential")
        case .coreTypeCodes: return Self.coreTypeCodes(node)
        case .rootNotSliced: return Self.rootNotSliced(node)
        case .rootNotSliceNamed: return Self.rootNotSliceNamed(node)
        }
    }

    /// ele-1: a primitive with a value, or more children than `id` children (some child is not
    /// named `id`).
    @inline(__always)
    static func elementHasValueOrChildren(_ node: ElementNode) -> Bool {
        if node.isPrimitive && node.value != nil { return true }
        let kids = node.children
        for i in kids.indices where !InvariantLogic.sameName(kids[i].name, "id") { return true }
        return false
    }

    /// Whether `node` has a child with this name.
    static func hasChild(_ node: ElementNode, _ name: String) -> Bool {
        firstIndex(node.children, named: name) != nil
    }

    /// The index of the first of `kids` (from `start`) with this name.
    @inline(__always)
    static func firstIndex(_ kids: [ElementNode], named name: String, from start: Int = 0) -> Int? {
        let length = name.utf8.count
        var i = start
        while i < kids.count {
            if kids[i].name.utf8.count == length && kids[i].name == name { return i }
            i += 1
        }
        return nil
    }

    /// Whether `a.b` (or `a.b.c`) reaches any element from `node`: FHIRPath `a.b.c.exists()`
    /// for element names.
    static func exists(_ node: ElementNode, _ a: String, _ b: String, _ c: String? = nil) -> Bool {
        let kids = node.children
        var i = firstIndex(kids, named: a)
        while let found = i {
            let grandchildren = kids[found].children
            var j = firstIndex(grandchildren, named: b)
            while let middle = j {
                guard let c else { return true }
                if firstIndex(grandchildren[middle].children, named: c) != nil { return true }
                j = firstIndex(grandchildren, named: b, from: middle + 1)
            }
            i = firstIndex(kids, named: a, from: found + 1)
        }
        return false
    }

    /// The System value FHIRPath reads from a primitive element.
    static func systemValue(_ element: ElementNode) -> FHIRPathValue? {
        FHIRPathNode.systemValue(of: element)
    }

    /// Whether `element` is a primitive of type `string`, whose System value is its lexeme (a
    /// String) or nothing: its `value` can then be read without building a FHIRPath value.
    @inline(__always)
    static func isPlainString(_ element: ElementNode) -> Bool {
        guard element.isPrimitive, let type = element.typeName else { return false }
        return type.utf8.count == 6 && type == "string"
    }

    /// The string a primitive element holds for FHIRPath `=` with a string: `nil` when the
    /// element has no value or a value of another type (which never equals a string).
    static func stringValue(_ element: ElementNode) -> String? {
        if case .string(let s)? = systemValue(element) { return s }
        return nil
    }
}
