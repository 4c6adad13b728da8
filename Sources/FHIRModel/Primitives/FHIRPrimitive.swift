/// Lexical validation of FHIR R4 primitive values, by hand-written checks that follow the
/// regexes in the R4 StructureDefinitions (no regex engine).
///
/// Rules beyond the regexes, all from the R4 datatypes page:
/// - no value may be empty (`""` is never a valid FHIR primitive, even where a regex allows it);
/// - `integer` is a 32-bit signed integer, `unsignedInt` 0…2³¹−1, `positiveInt` 1…2³¹−1;
/// - `date`, `dateTime` and `instant` must be real calendar dates (`2023-02-29` is rejected);
/// - `string` and `markdown` may not contain control characters other than tab, CR and LF, and
///   may not exceed 1 MiB (1,048,576 characters); whitespace-only strings match the regex and
///   are accepted here;
/// - `base64Binary` must also be well-formed base64: `=` padding only at the end.
///
/// `\s` in the regexes is taken as ASCII whitespace (space, tab, LF, VT, FF, CR).
/// Failure reasons name the rule, never the value.
public enum FHIRPrimitive {
    /// The R4 primitive types.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case boolean
        case integer
        case unsignedInt
        case positiveInt
        case decimal
        case string
        case uri
        case url
        case canonical
        case code
        case oid
        case id
        case uuid
        case base64Binary
        case markdown
        case date
        case dateTime
        case instant
        case time
        /// The narrative `div`; only non-emptiness is checked here (its XHTML rules belong to
        /// the narrative checker).
        case xhtml

        /// The kind for a FHIR type code (`"dateTime"`), or `nil` if it is not an R4 primitive.
        /// (Asked for every primitive validated: the candidates of the code's length are compared,
        /// not all twenty names.)
        public init?(typeCode: String) {
            let length = typeCode.utf8.count
            guard length < Self.byLength.count else { return nil }
            for kind in Self.byLength[length] where kind.rawValue == typeCode {
                self = kind
                return
            }
            return nil
        }

        /// The kinds by the length of their type code.
        private static let byLength: [[Kind]] = {
            var table = [[Kind]](repeating: [], count: 13)
            for kind in allCases { table[kind.rawValue.utf8.count].append(kind) }
            return table
        }()
    }

    /// Whether `lexeme` is a valid value of the primitive type `type` (a FHIR type code such as
    /// `"positiveInt"`). Unknown type codes are not valid.
    public static func isValid(_ lexeme: String, type: String) -> Bool {
        validationFailure(lexeme, type: type) == nil
    }

    /// Whether `lexeme` is a valid value of `kind`.
    public static func isValid(_ lexeme: String, kind: Kind) -> Bool {
        validationFailure(lexeme, kind: kind) == nil
    }

    /// Why `lexeme` is not a valid value of `type`, or `nil` when it is. The reason never
    /// contains the value.
    public static func validationFailure(_ lexeme: String, type: String) -> String? {
        guard let kind = Kind(typeCode: type) else { return "'\(type)' is not a FHIR R4 primitive type" }
        return validationFailure(lexeme, kind: kind)
    }

    /// Why `lexeme` is not a valid value of `kind`, or `nil` when it is.
    public static func validationFailure(_ lexeme: String, kind: Kind) -> String? {
        if lexeme.isEmpty { return "\(kind.rawValue) value must not be empty" }
        let failure: LexicalFailure?
        switch kind {
        case .boolean:
            failure = lexeme == "true" || lexeme == "false" ? nil : LexicalFailure("boolean must be true or false")
        case .integer:
            failure = LexicalChecks.integer(lexeme, minimum: Int(Int32.min))
        case .unsignedInt:
            failure = LexicalChecks.integer(lexeme, minimum: 0)
        case .positiveInt:
            failure = LexicalChecks.integer(lexeme, minimum: 1)
        case .decimal:
            failure = FHIRDecimal.lexicalFailure(lexeme)
        case .string, .markdown:
            failure = LexicalChecks.string(lexeme)
        case .uri, .url, .canonical:
            failure = LexicalChecks.noWhitespace(lexeme)
        case .code:
            failure = LexicalChecks.code(lexeme)
        case .oid:
            failure = LexicalChecks.oid(lexeme)
        case .id:
            failure = LexicalChecks.id(lexeme)
        case .uuid:
            failure = LexicalChecks.uuid(lexeme)
        case .base64Binary:
            failure = LexicalChecks.base64(lexeme)
        case .date:
            failure = calendarFailure(lexeme, form: .date)
        case .dateTime:
            failure = calendarFailure(lexeme, form: .dateTime)
        case .instant:
            failure = calendarFailure(lexeme, form: .instant)
        case .time:
            failure = withUTF8Bytes(lexeme) { b in
                if case .failure(let f) = TemporalParser.parseTime(b, lenient: false) { return f }
                return nil
            }
        case .xhtml:
            failure = nil
        }
        guard let failure else { return nil }
        return kind.rawValue + ": " + failure.reason
    }

    private static func calendarFailure(_ lexeme: String, form: TemporalParser.CalendarForm) -> LexicalFailure? {
        withUTF8Bytes(lexeme) { b in
            if case .failure(let f) = TemporalParser.parseCalendar(b, form: form) { return f }
            return nil
        }
    }
}
