/// The result of ordering two FHIR values whose order is known.
///
/// Comparisons that can be unknown (dates and times written to different precisions) return
/// `FHIRComparison?`, with `nil` meaning "unknown", as FHIRPath's empty result does.
public enum FHIRComparison: Sendable, Hashable {
    case less
    case equal
    case greater

    /// The order with the operands swapped.
    public var reversed: FHIRComparison {
        switch self {
        case .less: .greater
        case .equal: .equal
        case .greater: .less
        }
    }

    @inline(__always)
    static func of<T: Comparable>(_ a: T, _ b: T) -> FHIRComparison {
        a < b ? .less : (a == b ? .equal : .greater)
    }
}

/// Runs `body` over the UTF-8 bytes of `text` without copying when the string is native.
@inline(__always)
func withUTF8Bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    let copy = Array(text.utf8)
    return copy.withUnsafeBufferPointer(body)
}

/// ASCII byte classes used by the hand-written lexical checks.
enum ASCII {
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let upperT: UInt8 = 0x54
    static let upperZ: UInt8 = 0x5A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }

    /// The regex class `\s` as FHIR's regexes use it: space, tab, LF, VT, FF, CR.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == space || (b >= 0x09 && b <= 0x0D)
    }

    @inline(__always) static func isLowerHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x61 && b <= 0x66)
    }

    @inline(__always) static func isAlphaNumeric(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }
}

/// Why a lexeme does not match its type's lexical form. The reason names the rule that failed,
/// never the value (no patient data in messages).
struct LexicalFailure: Error, Sendable, Hashable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
