import FHIRJSON

/// What a slice requires of the values one discriminator path selects from an item, read from the
/// slice's definitions (see ``DiscriminatorResolver``).
enum DiscriminatorCriterion: Sendable {
    /// Every expectation must be met by some selected value (a CodeableConcept may carry other
    /// codings besides the one a slice asks for).
    case values([ExpectedValue])
    /// The path must select something (`true`) or nothing (`false`).
    case presence(mustExist: Bool)
    /// Every selected value must be of one of these types (or a specialisation of one).
    case types([String])
    /// Every selected value must conform to one of these profiles.
    case profiles([String])
    /// The slice's definitions do not say what the discriminator should be: the reason, for the
    /// message (the item does not match the slice).
    case undecidable(String)
}

/// One value a `value`/`pattern` discriminator asks for.
enum ExpectedValue: Sendable {
    case fixed(ElementDefinitionInfo.TypedValue)
    case pattern(ElementDefinitionInfo.TypedValue)
    /// A code in this value set (a required binding and no fixed value or pattern).
    case binding(String)

    /// How the expectation reads in a message: definition values only, never the instance's.
    var summary: String {
        switch self {
        case .fixed(let v): "the fixed value " + Self.describe(v)
        case .pattern(let v): "the pattern " + Self.describe(v)
        case .binding(let url): "a code from the value set " + url
        }
    }

    private static func describe(_ value: ElementDefinitionInfo.TypedValue) -> String {
        switch value.value {
        case .string(let s) where s.count <= 80: "'" + s + "'"
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: value.type.isEmpty ? "(complex)" : "(" + value.type + ")"
        }
    }
}
