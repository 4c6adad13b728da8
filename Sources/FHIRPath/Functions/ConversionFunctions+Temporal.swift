import FHIRModel

/// `toDate`, `toDateTime`, `toTime` and their `convertsTo` forms.
extension FHIRPathFunctionLibrary {
    static let temporalConversionFunctions: [FHIRPathFunction] =
        conversionPair("Date") { v, _ in FHIRPathConversion.toDate(v) }
        + conversionPair("DateTime") { v, _ in FHIRPathConversion.toDateTime(v) }
        + conversionPair("Time") { v, _ in FHIRPathConversion.toTime(v) }
}

extension FHIRPathConversion {
    /// A Date stays itself; a DateTime keeps its date part; a string must be `YYYY`,
    /// `YYYY-MM` or `YYYY-MM-DD`.
    static func toDate(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .date: return v
        case .dateTime(let d): return datePart(of: d).map { .date($0) }
        case .string(let s):
            guard s.utf8.count <= 10, let d = FHIRDateTime(fhirPathLiteral: s), !d.hasTime, !s.hasSuffix("T") else {
                return nil
            }
            return .date(d)
        default: return nil
        }
    }

    /// A DateTime stays itself; a Date becomes a DateTime of the same precision; a string must be
    /// a date-time as FHIRPath writes one after `@` (`2015`, `2015-02-04T14:34`,
    /// `2015-02-04T14:34:28.123+10:00`).
    static func toDateTime(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .dateTime: return v
        case .date(let d): return .dateTime(d)
        case .string(let s):
            guard s.utf8.count <= 64, !s.hasSuffix("T"), let d = FHIRDateTime(fhirPathLiteral: s) else { return nil }
            return .dateTime(d)
        default: return nil
        }
    }

    /// A Time stays itself; a string must be `hh`, `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`.
    static func toTime(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .time: return v
        case .string(let s):
            guard s.utf8.count <= 32, let t = FHIRTime(fhirPathLiteral: s) else { return nil }
            return .time(t)
        default: return nil
        }
    }

    /// The date part of a date-time (`2015-02-04T14:34` -> `2015-02-04`).
    static func datePart(of d: FHIRDateTime) -> FHIRDateTime? {
        guard let t = d.lexeme.firstIndex(of: "T") else { return d }
        return FHIRDateTime(fhirPathLiteral: String(d.lexeme[..<t]))
    }
}
