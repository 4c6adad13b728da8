import FHIRModel

/// The physical dimension of a unit: exponents of UCUM's base units (`m`, `s`, `g`, `rad`, `K`,
/// `C`, `cd`) and of the arbitrary units (`[IU]`, `[arb'U]`...), which UCUM treats as
/// dimensions of their own because they cannot be converted to anything else.
///
/// Calendar years and months (FHIRPath keywords, not UCUM) use the base ``calendarMonth``,
/// which no UCUM unit has, so `1 year = 1 'a'` is unknown while `1 year = 12 months` holds.
struct UCUMDimension: Hashable, Sendable {
    /// Base name to exponent; never holds a zero exponent.
    private(set) var exponents: [String: Int] = [:]

    static let none = UCUMDimension()
    static let calendarMonth = "calendar-month"

    init() {}

    init(_ pairs: [(String, Int)]) {
        for (base, exponent) in pairs { add(base, exponent) }
    }

    var isDimensionless: Bool { exponents.isEmpty }

    mutating func add(_ base: String, _ exponent: Int) {
        let sum = (exponents[base] ?? 0) + exponent
        exponents[base] = sum == 0 ? nil : sum
    }

    /// `self` times `other` raised to `power`.
    mutating func add(_ other: UCUMDimension, times power: Int) {
        for (base, exponent) in other.exponents { add(base, exponent * power) }
    }
}

/// One UCUM unit atom (`g`, `L`, `mm[Hg]` is the prefix `m` on the atom `m[Hg]`).
struct UCUMAtom: Sendable {
    /// The size of the atom in base units (`[lb_av]` is 453.59237 g), exact.
    let factor: FHIRDecimal
    let dimension: UCUMDimension
    /// Whether prefixes may be put on it (`mg`, `kL`; not `k[lb_av]`).
    let isMetric: Bool
    /// Units whose conversion is not a plain factor (`Cel`, `[degF]`): they are only ever
    /// compared with the very same unit.
    let isSpecial: Bool
}

/// The UCUM atoms and prefixes FHIRGate knows: the base units, the SI units clinical data uses,
/// time, customary US lengths, masses and volumes, pressure in mercury and water columns,
/// amounts of substance, and the common arbitrary units. Anything else is an unknown unit and
/// equals only the identical unit.
enum UCUMTable {
    /// An exact decimal from a literal in this file (every literal is a valid lexeme, which the
    /// unit tests check; zero stands for a typo and makes the atom unusable, never a crash).
    static func d(_ literal: String) -> FHIRDecimal { FHIRDecimal(literal) ?? FHIRDecimal(0) }

    /// SI prefixes and their factors (`da` is the only two-letter one).
    static let prefixes: [String: FHIRDecimal] = [
        "Y": d("1e24"), "Z": d("1e21"), "E": d("1e18"), "P": d("1e15"), "T": d("1e12"), "G": d("1e9"),
        "M": d("1e6"), "k": d("1e3"), "h": d("1e2"), "da": d("1e1"), "d": d("1e-1"), "c": d("1e-2"),
        "m": d("1e-3"), "u": d("1e-6"), "n": d("1e-9"), "p": d("1e-12"), "f": d("1e-15"), "a": d("1e-18"),
        "z": d("1e-21"), "y": d("1e-24"),
    ]

    /// The power of ten of a prefix (`k` → 3, `m` → -3), for exact prefix changes.
    static let prefixExponents: [String: Int] = [
        "": 0, "Y": 24, "Z": 21, "E": 18, "P": 15, "T": 12, "G": 9, "M": 6, "k": 3, "h": 2, "da": 1, "d": -1,
        "c": -2, "m": -3, "u": -6, "n": -9, "p": -12, "f": -15, "a": -18, "z": -21, "y": -24,
    ]

    private static func atom(
        _ factor: String, _ dims: [(String, Int)], metric: Bool, special: Bool = false
    ) -> UCUMAtom {
        UCUMAtom(factor: d(factor), dimension: UCUMDimension(dims), isMetric: metric, isSpecial: special)
    }

    // Dimension shorthands.
    private static let length = "m"
    private static let time = "s"
    private static let mass = "g"
    /// Amount of substance: UCUM defines the mole as a pure number (6.0221367e23).
    private static let avogadro = "6.0221367e23"

    /// The pseudo-atoms for the calendar keywords `year` and `month`.
    static let calendarYear = "year(calendar)"
    static let calendarMonth = "month(calendar)"

    static let atoms: [String: UCUMAtom] = {
        var t: [String: UCUMAtom] = [:]
        // Base units.
        t["m"] = atom("1", [(length, 1)], metric: true)
        t["s"] = atom("1", [(time, 1)], metric: true)
        t["g"] = atom("1", [(mass, 1)], metric: true)
        t["rad"] = atom("1", [("rad", 1)], metric: true)
        t["K"] = atom("1", [("K", 1)], metric: true)
        t["C"] = atom("1", [("C", 1)], metric: true)
        t["cd"] = atom("1", [("cd", 1)], metric: true)
        // Dimensionless numbers.
        t["10*"] = atom("10", [], metric: false)
        t["10^"] = atom("10", [], metric: false)
        t["%"] = atom("0.01", [], metric: false)
        t["[ppth]"] = atom("1e-3", [], metric: false)
        t["[ppm]"] = atom("1e-6", [], metric: false)
        t["[ppb]"] = atom("1e-9", [], metric: false)
        t["mol"] = atom(avogadro, [], metric: true)
        t["eq"] = atom(avogadro, [], metric: true)
        t["osm"] = atom(avogadro, [], metric: true)
        t["sr"] = atom("1", [("rad", 2)], metric: true)
        // Time.
        t["min"] = atom("60", [(time, 1)], metric: false)
        t["h"] = atom("3600", [(time, 1)], metric: false)
        t["d"] = atom("86400", [(time, 1)], metric: false)
        t["wk"] = atom("604800", [(time, 1)], metric: false)
        t["a"] = atom("31557600", [(time, 1)], metric: false)  // Julian year, 365.25 d
        t["a_j"] = atom("31557600", [(time, 1)], metric: false)
        t["a_g"] = atom("31556952", [(time, 1)], metric: false)  // Gregorian year, 365.2425 d
        t["mo"] = atom("2629800", [(time, 1)], metric: false)  // a_j / 12
        t["mo_j"] = atom("2629800", [(time, 1)], metric: false)
        t["mo_g"] = atom("2629746", [(time, 1)], metric: false)
        t["mo_s"] = atom("2551442.976", [(time, 1)], metric: false)  // synodal month, 29.53059 d
        // Derived SI units (mass in grams: 1 N = 1000 g.m/s2).
        t["Hz"] = atom("1", [(time, -1)], metric: true)
        t["N"] = atom("1000", [(mass, 1), (length, 1), (time, -2)], metric: true)
        t["Pa"] = atom("1000", [(mass, 1), (length, -1), (time, -2)], metric: true)
        t["J"] = atom("1000", [(mass, 1), (length, 2), (time, -2)], metric: true)
        t["W"] = atom("1000", [(mass, 1), (length, 2), (time, -3)], metric: true)
        t["A"] = atom("1", [("C", 1), (time, -1)], metric: true)
        t["V"] = atom("1000", [(mass, 1), (length, 2), (time, -2), ("C", -1)], metric: true)
        t["Gy"] = atom("1", [(length, 2), (time, -2)], metric: true)
        t["Sv"] = atom("1", [(length, 2), (time, -2)], metric: true)
        t["Bq"] = atom("1", [(time, -1)], metric: true)
        t["Ci"] = atom("3.7e10", [(time, -1)], metric: true)
        t["kat"] = atom(avogadro, [(time, -1)], metric: true)
        t["U"] = atom("1.00368945e16", [(time, -1)], metric: true)  // umol/min
        t["cal"] = atom("4184", [(mass, 1), (length, 2), (time, -2)], metric: true)
        t["[Cal]"] = atom("4184000", [(mass, 1), (length, 2), (time, -2)], metric: false)  // nutrition kcal
        t["bar"] = atom("1e8", [(mass, 1), (length, -1), (time, -2)], metric: true)
        t["atm"] = atom("101325000", [(mass, 1), (length, -1), (time, -2)], metric: false)
        t["m[Hg]"] = atom("133322000", [(mass, 1), (length, -1), (time, -2)], metric: true)  // 133.3220 kPa
        t["m[H2O]"] = atom("9806650", [(mass, 1), (length, -1), (time, -2)], metric: true)  // 9.80665 kPa
        t["t"] = atom("1e6", [(mass, 1)], metric: true)
        // Volume.
        t["L"] = atom("0.001", [(length, 3)], metric: true)
        t["l"] = atom("0.001", [(length, 3)], metric: true)
        t["[gal_us]"] = atom("0.003785411784", [(length, 3)], metric: false)
        t["[qt_us]"] = atom("0.000946352946", [(length, 3)], metric: false)
        t["[pt_us]"] = atom("0.000473176473", [(length, 3)], metric: false)
        t["[cup_us]"] = atom("0.0002365882365", [(length, 3)], metric: false)
        t["[foz_us]"] = atom("0.0000295735295625", [(length, 3)], metric: false)
        t["[tbs_us]"] = atom("0.00001478676478125", [(length, 3)], metric: false)
        t["[tsp_us]"] = atom("0.00000492892159375", [(length, 3)], metric: false)
        t["[drp]"] = atom("5e-8", [(length, 3)], metric: false)  // 1/20 mL
        // Customary lengths and masses.
        t["[in_i]"] = atom("0.0254", [(length, 1)], metric: false)
        t["[ft_i]"] = atom("0.3048", [(length, 1)], metric: false)
        t["[yd_i]"] = atom("0.9144", [(length, 1)], metric: false)
        t["[mi_i]"] = atom("1609.344", [(length, 1)], metric: false)
        t["[lb_av]"] = atom("453.59237", [(mass, 1)], metric: false)
        t["[oz_av]"] = atom("28.349523125", [(mass, 1)], metric: false)
        t["[gr]"] = atom("0.06479891", [(mass, 1)], metric: false)
        t["[stone_av]"] = atom("6350.29318", [(mass, 1)], metric: false)
        // Arbitrary units: commensurable only with themselves ([iU] is [IU]).
        t["[IU]"] = atom("1", [("[IU]", 1)], metric: true)
        t["[iU]"] = atom("1", [("[IU]", 1)], metric: true)
        t["[arb'U]"] = atom("1", [("[arb'U]", 1)], metric: false)
        t["[USP'U]"] = atom("1", [("[USP'U]", 1)], metric: false)
        t["[CFU]"] = atom("1", [("[CFU]", 1)], metric: false)
        // FHIRPath calendar years and months (not UCUM; the parser never produces these symbols
        // because it stops at parentheses): commensurable with each other only.
        t[calendarYear] = atom("12", [(UCUMDimension.calendarMonth, 1)], metric: false)
        t[calendarMonth] = atom("1", [(UCUMDimension.calendarMonth, 1)], metric: false)
        // Non-ratio scales.
        t["Cel"] = atom("1", [("K", 1)], metric: true, special: true)
        t["[degF]"] = atom("1", [("K", 1)], metric: false, special: true)
        return t
    }()

    /// Splits a unit symbol into prefix and atom: the whole symbol when it is an atom (`min`,
    /// `cd`, `Pa`), else a prefix on a metric atom (`mg`, `dL`, `mm[Hg]`, `dam`).
    static func resolve(_ symbol: String) -> (prefix: String, atom: String, definition: UCUMAtom)? {
        if let a = atoms[symbol] { return ("", symbol, a) }
        for length in [2, 1] where symbol.count > length {
            let prefix = String(symbol.prefix(length))
            guard prefixes[prefix] != nil else { continue }
            let rest = String(symbol.dropFirst(length))
            if let a = atoms[rest], a.isMetric { return (prefix, rest, a) }
        }
        return nil
    }
}
