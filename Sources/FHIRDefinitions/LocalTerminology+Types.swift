/// The answers ``LocalTerminology`` gives: value set membership, code system status, concepts.
extension LocalTerminology {
    /// Whether a code is in a value set, decided from local definitions only.
    public enum Membership: Sendable, Hashable {
        /// The code is in the value set.
        case member
        /// The code is certainly not in the value set.
        case notMember
        /// The local definitions cannot decide (a code system that is not held, a filter that
        /// cannot be evaluated locally, a missing value set).
        case unknown(UnknownReason)

        /// `true`, `false`, or `nil` when unknown.
        public var isMember: Bool? {
            switch self {
            case .member: true
            case .notMember: false
            case .unknown: nil
            }
        }

        /// Kleene conjunction: not a member if any part says so; else unknown if any part is.
        static func all(_ parts: [Membership]) -> Membership {
            var unknown: UnknownReason?
            for part in parts {
                switch part {
                case .notMember: return .notMember
                case .unknown(let r): if unknown == nil { unknown = r }
                case .member: break
                }
            }
            return unknown.map(Membership.unknown) ?? .member
        }

        /// Kleene disjunction: a member if any part says so; else unknown if any part is.
        static func any(_ parts: [Membership]) -> Membership {
            var unknown: UnknownReason?
            for part in parts {
                switch part {
                case .member: return .member
                case .unknown(let r): if unknown == nil { unknown = r }
                case .notMember: break
                }
            }
            return unknown.map(Membership.unknown) ?? .notMember
        }
    }

    /// Why membership cannot be decided locally. Descriptions name definitions only (canonical
    /// URLs, filter properties and operators), never the code being checked.
    public enum UnknownReason: Sendable, Hashable, CustomStringConvertible {
        /// No ValueSet with this canonical URL is available.
        case valueSetNotFound(String)
        /// The ValueSet has neither a `compose` nor an `expansion` that can be read.
        case valueSetNotExpandable(String)
        /// The code system is not held locally with its content (SNOMED CT, LOINC, UCUM, ...).
        case codeSystemNotHeld(String)
        /// The code system is held only as a fragment and the code is not in it.
        case codeSystemFragment(String)
        /// A filter the local definitions cannot evaluate.
        case filterNotSupported(system: String, property: String, op: String)
        /// The value set's expansion is incomplete (paged or truncated).
        case expansionIncomplete(String)
        /// Value sets that import each other in a cycle, or nest too deeply.
        case nestingTooDeep(String)

        public var description: String {
            switch self {
            case .valueSetNotFound(let url): "value set \(url) is not available locally"
            case .valueSetNotExpandable(let url): "value set \(url) has no compose or expansion that can be read"
            case .codeSystemNotHeld(let url): "code system \(url) is not available offline"
            case .codeSystemFragment(let url): "code system \(url) is held only as a fragment"
            case .filterNotSupported(let system, let property, let op):
                "filter '\(property) \(op)' on code system \(system) cannot be evaluated locally"
            case .expansionIncomplete(let url): "the expansion of value set \(url) is incomplete"
            case .nestingTooDeep(let url): "value set \(url) imports value sets in a cycle or too deeply"
            }
        }
    }

    /// How much of a code system is held locally.
    public enum CodeSystemStatus: Sendable, Hashable {
        /// Every code is listed (`content` = `complete`): a code that is not listed is invalid.
        case complete
        /// Some codes are listed (`content` = `fragment`): listed codes are valid, others unknown.
        case fragment
        /// Not available, or without its codes (`not-present`, `example`, `supplement`).
        case notHeld
    }

    /// One concept of a locally held code system.
    public struct Concept: Sendable, Hashable {
        public var code: String
        public var display: String?
        public var definition: String?
        public var designations: [Designation]
        /// Concept properties as (property code, value lexeme) pairs, in definition order.
        public var properties: [Property]

        public init(
            code: String, display: String? = nil, definition: String? = nil, designations: [Designation] = [],
            properties: [Property] = []
        ) {
            self.code = code
            self.display = display
            self.definition = definition
            self.designations = designations
            self.properties = properties
        }

        /// Whether `text` is the display or any designation (ignoring case and runs of spaces).
        public func hasDisplay(_ text: String) -> Bool {
            // The usual case, the display itself byte for byte, needs no normal forms (equal
            // bytes have equal normal forms).
            if let display, display.utf8.elementsEqual(text.utf8) { return true }
            let wanted = Self.normalizedDisplay(text)
            if let display, Self.normalizedDisplay(display) == wanted { return true }
            return designations.contains { Self.normalizedDisplay($0.value) == wanted }
        }

        /// Lowercased, trimmed, with runs of white space collapsed to one space.
        public static func normalizedDisplay(_ text: String) -> String {
            text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
    }

    /// A `concept.designation`.
    public struct Designation: Sendable, Hashable {
        public var language: String?
        public var useSystem: String?
        public var useCode: String?
        public var value: String

        public init(language: String? = nil, useSystem: String? = nil, useCode: String? = nil, value: String) {
            self.language = language
            self.useSystem = useSystem
            self.useCode = useCode
            self.value = value
        }
    }

    /// A `concept.property`, its value as a lexeme (`valueCode`, `valueString`, `valueCoding.code`,
    /// `valueBoolean` as `true`/`false`, numbers and dates as written).
    public struct Property: Sendable, Hashable {
        public var code: String
        public var value: String

        public init(code: String, value: String) {
            self.code = code
            self.value = value
        }
    }
}
