import FHIRModel

/// Numeric helpers shared by operators and functions.
enum FHIRPathNumbers {
    /// The 32-bit range of System.Integer.
    static let integerRange = Int(Int32.min)...Int(Int32.max)

    /// The collection holding one Integer; small counts share preallocated collections.
    @inline(__always)
    static func collection(_ n: Int) -> [FHIRPathValue] {
        n >= 0 && n < smallIntegers.count ? smallIntegers[n] : [.integer(n)]
    }

    static let smallIntegers: [[FHIRPathValue]] = (0..<64).map { [.integer($0)] }

    /// An Integer, Long or Decimal System value as a decimal.
    static func decimal(_ v: FHIRPathValue) -> FHIRDecimal? {
        switch v {
        case .integer(let n), .long(let n): return FHIRDecimal(n)
        case .decimal(let d): return d
        default: return nil
        }
    }
}

extension FHIRDecimal {
    /// A division result without trailing zeros after the point (`0.50000000` -> `0.5`).
    var trimmedQuotient: FHIRDecimal {
        let text = plainString
        guard text.contains(".") else { return self }
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        if trimmed.last == "." { trimmed = trimmed.dropLast() }
        return FHIRDecimal(String(trimmed)) ?? self
    }
}
