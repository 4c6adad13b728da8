import FHIRModel

/// One factor of a unit expression: a prefixed atom with an exponent (`mg`, `m2`, `h-1`), or an
/// integer factor (`24` in `/24.h`).
struct UCUMTerm: Hashable, Sendable {
    var prefix: String
    /// The atom symbol, or the digits of an integer factor.
    var atom: String
    var exponent: Int
    var isFactor = false

    init(prefix: String, atom: String, exponent: Int) {
        self.prefix = prefix
        self.atom = atom
        self.exponent = exponent
    }

    init(factor digits: String, exponent: Int) {
        self.prefix = ""
        self.atom = digits
        self.exponent = exponent
        self.isFactor = true
    }

    var symbol: String { prefix + atom }
}

/// A unit's size in base units as an exact fraction, and its dimension.
///
/// Conversions multiply and divide by these, so `1 'g' = 1000 'mg'` and `1 '/min' = 60 '/h'`
/// are exact, with no rounding anywhere.
struct UCUMMagnitude: Sendable {
    var numerator: FHIRDecimal
    var denominator: FHIRDecimal
    var dimension: UCUMDimension
}

/// A parsed UCUM unit: its terms in written order.
struct UCUMUnit: Sendable {
    var terms: [UCUMTerm]

    static let unity = UCUMUnit(terms: [])

    init(terms: [UCUMTerm]) {
        self.terms = terms
    }

    /// Parses a UCUM code; `nil` for units the table does not know.
    init?(_ code: String) {
        guard let terms = UCUMParser.parse(code) else { return nil }
        self.terms = terms
    }

    /// The exact size and dimension; `nil` for non-ratio units (`Cel`), which convert to nothing
    /// else, and when the factors would grow past decimal limits.
    var magnitude: UCUMMagnitude? {
        var numerator = FHIRDecimal(1)
        var denominator = FHIRDecimal(1)
        var dimension = UCUMDimension.none
        for term in terms {
            let factor: FHIRDecimal
            if term.isFactor {
                guard let n = FHIRDecimal(term.atom) else { return nil }
                factor = n
            } else {
                guard let atom = UCUMTable.atoms[term.atom], !atom.isSpecial,
                    let prefix = term.prefix.isEmpty ? FHIRDecimal(1) : UCUMTable.prefixes[term.prefix],
                    let f = prefix.multiplied(by: atom.factor)
                else { return nil }
                factor = f
                dimension.add(atom.dimension, times: term.exponent)
            }
            for _ in 0..<abs(term.exponent) {
                if term.exponent > 0 {
                    guard let n = numerator.multiplied(by: factor) else { return nil }
                    numerator = n
                } else {
                    guard let n = denominator.multiplied(by: factor) else { return nil }
                    denominator = n
                }
            }
        }
        guard !numerator.isZero, !denominator.isZero else { return nil }
        return UCUMMagnitude(numerator: numerator, denominator: denominator, dimension: dimension)
    }

    /// The unit written out: numerator terms joined by `.`, then each denominator term after a
    /// `/` (`mg/kg/h`, `m2`, `/min`); `1` when nothing is left.
    var code: String {
        var out = ""
        for term in terms where term.exponent > 0 && !(term.isFactor && term.atom == "1") {
            if !out.isEmpty { out += "." }
            out += term.symbol + (term.exponent == 1 ? "" : String(term.exponent))
        }
        for term in terms where term.exponent < 0 && !(term.isFactor && term.atom == "1") {
            out += "/" + term.symbol + (term.exponent == -1 ? "" : String(-term.exponent))
        }
        return out.isEmpty ? "1" : out
    }

    /// The product of two units (`other` raised to `power`, 1 or -1) and the factor the value
    /// must be multiplied by.
    ///
    /// A term of `other` with the same symbol as a term of `self` is merged into it (`mg/kg`
    /// times `kg` is `mg`, `cm` times `cm` is `cm2`). A term on the same atom with another prefix
    /// is merged when the exponents have the same sign, converted to the finer prefix (`cm`
    /// times `m` is `cm2`; the factor is then a power of ten, so values stay exact), but not when
    /// it would cancel: `mg` divided by `kg` stays `mg/kg`. Other terms are kept side by side
    /// (`mL/h` times `min` is `mL.min/h`). `nil` when an exponent would leave the bounds.
    func multiplied(by other: UCUMUnit, power: Int) -> (unit: UCUMUnit, factor: FHIRDecimal)? {
        var result = terms
        var powerOfTen = 0
        for var term in other.terms {
            term.exponent *= power
            if term.isFactor {
                result.append(term)
                continue
            }
            let sameAtom = result.indices.filter { !result[$0].isFactor && result[$0].atom == term.atom }
            let index: Int
            if let same = sameAtom.first(where: { result[$0].prefix == term.prefix }) {
                index = same
            } else if let first = sameAtom.first,
                sameAtom.allSatisfy({ (result[$0].exponent > 0) == (term.exponent > 0) })
            {
                index = first
            } else {
                result.append(term)
                continue
            }
            guard let here = UCUMTable.prefixExponents[result[index].prefix],
                let there = UCUMTable.prefixExponents[term.prefix]
            else { return nil }
            let finer = min(here, there)
            powerOfTen += (here - finer) * result[index].exponent + (there - finer) * term.exponent
            if here != finer { result[index].prefix = term.prefix }
            result[index].exponent += term.exponent
            guard abs(result[index].exponent) <= 2 * UCUMParser.maxExponent else { return nil }
        }
        result.removeAll { $0.exponent == 0 }
        guard abs(powerOfTen) <= 10 * UCUMParser.maxExponent, let factor = FHIRDecimal("1e\(powerOfTen)") else {
            return nil
        }
        return (UCUMUnit(terms: result), factor)
    }
}
