/// SMART on FHIR resource scopes (`system/Patient.cruds`, `system/*.write`,
/// `patient/Observation.rs?category=laboratory`) in both notations: v1 (`read`, `write`, `*`) and
/// v2 (the letters `c r u d s`). Other scopes (`launch`, `openid`, `offline_access`) are kept in
/// ``otherScopes``.
///
/// Used to check, before sending, that a token's granted scopes allow an interaction (the server
/// has the last word; this avoids requests that are sure to get a 403).
public struct SMARTScopes: Sendable, Equatable, CustomStringConvertible {
    /// The interactions of SMART v2 permissions, by their letter.
    public enum Interaction: Character, Sendable, CaseIterable {
        case create = "c"
        case read = "r"
        case update = "u"
        case delete = "d"
        case search = "s"

        /// The interaction an HTTP method performs on a resource path (GET and HEAD read; a search
        /// is a GET on a type, which callers name themselves).
        public init(method: String) {
            switch method.uppercased() {
            case "POST": self = .create
            case "PUT", "PATCH": self = .update
            case "DELETE": self = .delete
            default: self = .read
            }
        }
    }

    /// One resource scope.
    public struct Scope: Sendable, Equatable, CustomStringConvertible {
        /// `system`, `user` or `patient`.
        public var context: String
        /// A resource type or `*`.
        public var resourceType: String
        /// The interactions allowed.
        public var interactions: Set<Interaction>
        /// Whether the scope was written in the v2 notation (letters).
        public var isV2: Bool
        /// A v2 granular restriction (`category=laboratory`), or nil. It narrows which resources the
        /// scope covers; ``SMARTScopes/allows(resourceType:interaction:)`` cannot evaluate it and
        /// counts the scope as allowing.
        public var query: String?
        /// The scope as written.
        public var text: String

        public var description: String { text }

        /// Parses one scope, or nil when it is not a resource scope.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1)
            guard parts.count == 2, ["system", "user", "patient"].contains(String(parts[0])) else { return nil }
            var rest = Substring(parts[1])
            var query: String?
            if let q = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: q)...])
                rest = rest[..<q]
            }
            guard let dot = rest.lastIndex(of: ".") else { return nil }
            let type = String(rest[..<dot])
            let permission = String(rest[rest.index(after: dot)...])
            guard type == "*" || (!type.isEmpty && type.allSatisfy({ $0.isASCII && $0.isLetter })) else { return nil }
            switch permission {
            case "read": interactions = [.read, .search]
            case "write": interactions = [.create, .update, .delete]
            case "*": interactions = Set(Interaction.allCases)
            default:
                var letters: Set<Interaction> = []
                for c in permission {
                    guard let i = Interaction(rawValue: c), !letters.contains(i) else { return nil }
                    letters.insert(i)
                }
                guard !letters.isEmpty else { return nil }
                interactions = letters
            }
            guard query == nil || !["read", "write", "*"].contains(permission) else { return nil }
            isV2 = !["read", "write", "*"].contains(permission)
            self.context = String(parts[0])
            self.resourceType = type
            self.query = query
            self.text = text
        }

        /// Whether this scope allows `interaction` on `resourceType`.
        public func allows(resourceType: String, interaction: Interaction) -> Bool {
            (self.resourceType == "*" || self.resourceType == resourceType) && interactions.contains(interaction)
        }
    }

    /// The resource scopes, in order.
    public var scopes: [Scope]
    /// Scopes that are not resource scopes (`launch`, `openid`...), and malformed ones.
    public var otherScopes: [String]

    /// Parses a space-separated scope string (as requested, or as granted by a token response).
    public init(_ text: String) {
        var scopes: [Scope] = []
        var others: [String] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            if let scope = Scope(String(item)) { scopes.append(scope) } else { others.append(String(item)) }
        }
        self.scopes = scopes
        self.otherScopes = others
    }

    /// Whether any scope allows `interaction` on `resourceType` (for any context).
    public func allows(resourceType: String, interaction: Interaction) -> Bool {
        scopes.contains { $0.allows(resourceType: resourceType, interaction: interaction) }
    }

    /// The interactions allowed on `resourceType` by all scopes together.
    public func interactions(on resourceType: String) -> Set<Interaction> {
        scopes.filter { $0.resourceType == "*" || $0.resourceType == resourceType }
            .reduce(into: Set<Interaction>()) { $0.formUnion($1.interactions) }
    }

    /// The scopes as a space-separated string (as given).
    public var description: String {
        (scopes.map(\.text) + otherScopes).joined(separator: " ")
    }
}
