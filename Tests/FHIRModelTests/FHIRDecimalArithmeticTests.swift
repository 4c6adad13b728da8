import FHIRModel
import Testing

@Suite("FHIRDecimal: arithmetic")
struct FHIRDecimalArithmeticTests {
    private func dec(_ s: String) throws -> FHIRDecimal { try #require(FHIRDecimal(s)) }

    @Test func additionKeepsTheLargerScale() throws {
        let sum = try #require(try dec("1.10").adding(try dec("2.2")))
        #expect(sum.lexeme == "3.30")
        #expect(sum.precision == 2)
        let exact = try #require(try dec("0.1").adding(try dec("0.2")))
        #expect(exact == (try dec("0.3")))
        #expect(0.1 + 0.2 != 0.3)  // why exact decimals matter
    }

    @Test func fortyDigitCarry() throws {
        let nines = try dec("9999999999999999999999999999999999999999")
        let sum = try #require(nines.adding(try dec("1")))
        #expect(sum.lexeme == "10000000000000000000000000000000000000000")
        let back = try #require(sum.subtracting(try dec("0.0000000001")))
        #expect(back.lexeme == "9999999999999999999999999999999999999999.9999999999")
    }

    @Test(arguments: [
        ("1", "2.5", "-1.5"), ("2.5", "2.50", "0.00"), ("-1", "-1", "0"), ("0.5e2", "1", "49"), ("-3", "4", "-7"),
        ("1e3", "1e-3", "999.999"),
    ])
    func subtraction(a: String, b: String, expected: String) throws {
        let result = try #require(try dec(a).subtracting(try dec(b)))
        #expect(result.lexeme == expected)
        #expect(!(result.isZero && result.isNegative))
    }

    @Test(arguments: [
        ("1.5", "2.25", "3.375"), ("-2", "0.5", "-1.0"), ("-2", "-3", "6"), ("0", "-5", "0"),
        ("12345678901234567890", "98765432109876543210", "1219326311370217952237463801111263526900"),
        ("0.5e2", "2", "100"), ("1.10", "10", "11.00"),
    ])
    func multiplication(a: String, b: String, expected: String) throws {
        let product = try #require(try dec(a).multiplied(by: try dec(b)))
        #expect(product.lexeme == expected)
        let swapped = try #require(try dec(b).multiplied(by: try dec(a)))
        #expect(swapped == product)
    }

    @Test func divisionRoundsToTheRequestedPlaces() throws {
        #expect(try dec("1").dividing(by: try dec("3"), decimalPlaces: 8)?.lexeme == "0.33333333")
        #expect(try dec("2").dividing(by: try dec("3"), decimalPlaces: 8)?.lexeme == "0.66666667")
        #expect(try dec("1").dividing(by: try dec("8"), decimalPlaces: 2)?.lexeme == "0.12")
        #expect(
            try dec("1").dividing(by: try dec("8"), decimalPlaces: 2, rounding: .toNearestOrAwayFromZero)?.lexeme
                == "0.13")
        #expect(
            try dec("-1").dividing(by: try dec("8"), decimalPlaces: 2, rounding: .toNearestOrAwayFromZero)?.lexeme
                == "-0.13")
        #expect(try dec("10").dividing(by: try dec("4"), decimalPlaces: 0)?.lexeme == "2")
        #expect(try dec("10").dividing(by: try dec("4"), decimalPlaces: 1)?.lexeme == "2.5")
        #expect(try dec("1.5e3").dividing(by: try dec("0.25"), decimalPlaces: 0)?.lexeme == "6000")
        #expect(try dec("-7").dividing(by: try dec("2"), decimalPlaces: 0, rounding: .down)?.lexeme == "-4")
        #expect(try dec("-7").dividing(by: try dec("2"), decimalPlaces: 0, rounding: .towardZero)?.lexeme == "-3")
        #expect(try dec("1").dividing(by: try dec("0.000"), decimalPlaces: 2) == nil)
        let third = try #require(try dec("1").dividing(by: try dec("3"), decimalPlaces: 40))
        #expect(third.lexeme == "0." + String(repeating: "3", count: 40))
    }

    @Test func truncatingDivisionAndModulo() throws {
        let (q, r) = try #require(try dec("7.5").quotientAndRemainder(dividingBy: try dec("2")))
        #expect(q.lexeme == "3")
        #expect(r.lexeme == "1.5")
        let (q2, r2) = try #require(try dec("-7").quotientAndRemainder(dividingBy: try dec("2")))
        #expect(q2.lexeme == "-3")
        #expect(r2.lexeme == "-1")
        let (q3, r3) = try #require(try dec("5.5").quotientAndRemainder(dividingBy: try dec("0.7")))
        #expect(q3.lexeme == "7")
        #expect(r3.lexeme == "0.6")
        #expect(try dec("1").quotientAndRemainder(dividingBy: try dec("0")) == nil)
    }

    @Test(arguments: [
        ("3.14159", 2, FloatingPointRoundingRule.toNearestOrAwayFromZero, "3.14"),
        ("2.5", 0, .toNearestOrAwayFromZero, "3"), ("2.5", 0, .toNearestOrEven, "2"),
        ("3.5", 0, .toNearestOrEven, "4"), ("-2.5", 0, .toNearestOrAwayFromZero, "-3"),
        ("-2.5", 0, .down, "-3"), ("-2.5", 0, .up, "-2"), ("-2.5", 0, .towardZero, "-2"),
        ("2.1", 0, .awayFromZero, "3"), ("1.5", 3, .toNearestOrAwayFromZero, "1.500"),
        ("0.0049", 2, .toNearestOrAwayFromZero, "0.00"), ("0.0049", 2, .up, "0.01"),
        ("0.05", 0, .toNearestOrAwayFromZero, "0"), ("0.5", 0, .toNearestOrAwayFromZero, "1"),
        ("0.5e2", -2, .toNearestOrAwayFromZero, "100"), ("149", -2, .toNearestOrAwayFromZero, "100"),
        ("9.99", 1, .toNearestOrAwayFromZero, "10.0"), ("-0.001", 2, .toNearestOrAwayFromZero, "0.00"),
        ("2.50001", 0, .toNearestOrEven, "3"),
    ])
    func rounding(value: String, places: Int, rule: FloatingPointRoundingRule, expected: String) throws {
        let rounded = try #require(try dec(value).rounded(toDecimalPlaces: places, rule: rule))
        #expect(rounded.lexeme == expected)
    }

    @Test func negationAndMagnitude() throws {
        #expect(try dec("1.50").negated().lexeme == "-1.50")
        #expect(try dec("-1.50").magnitude.lexeme == "1.50")
        #expect(try dec("0.0").negated().lexeme == "0.0")
    }

    @Test func resultsBeyondTheLimitAreRefused() throws {
        #expect(try dec("1e-9000").adding(try dec("1e9000")) == nil)
        #expect(try dec("1e6000").multiplied(by: try dec("1e6000")) == nil)
        #expect(try dec("1").dividing(by: try dec("3"), decimalPlaces: 20_000) == nil)
        #expect(try dec("1e-4000").adding(try dec("1e4000")) != nil)
    }

    /// Exact arithmetic agrees with integer arithmetic on scaled values over a deterministic sweep.
    @Test func agreesWithScaledIntegerArithmetic() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33) % 2_000_001 - 1_000_000
        }
        func lexeme(_ v: Int, scale: Int) -> String {
            let digits = String(v.magnitude)
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let cut = padded.index(padded.endIndex, offsetBy: -scale)
            let text = scale == 0 ? padded : padded[..<cut] + "." + padded[cut...]
            return (v < 0 ? "-" : "") + text
        }
        for _ in 0..<500 {
            let a = next()
            let b = next()
            let sa = abs(next()) % 4
            let sb = abs(next()) % 4
            let x = try dec(lexeme(a, scale: sa))
            let y = try dec(lexeme(b, scale: sb))
            let s = max(sa, sb)
            func scaled(_ v: Int, _ from: Int, _ to: Int) -> Int { v * Int(pow10(to - from)) }
            let sum = scaled(a, sa, s) + scaled(b, sb, s)
            #expect(x.adding(y)?.lexeme == lexeme(sum, scale: s))
            let diff = scaled(a, sa, s) - scaled(b, sb, s)
            #expect(x.subtracting(y)?.lexeme == lexeme(diff, scale: s))
            #expect(x.multiplied(by: y)?.lexeme == lexeme(a * b, scale: sa + sb))
            #expect(x.compare(y) == FHIRComparison.of(scaled(a, sa, s), scaled(b, sb, s)))
        }
    }

    /// Division undoes multiplication and `q × b + r == a` for long operands.
    @Test func longDivisionIsConsistent() throws {
        var state: UInt64 = 42
        func digits(_ count: Int) -> String {
            var out = ""
            for i in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let d = Int(state >> 60) % 10
                out += String(i == 0 ? max(d, 1) : d)
            }
            return out
        }
        for round in 0..<40 {
            let a = try dec(digits(10 + round) + "." + digits(5))
            let b = try dec((round % 2 == 0 ? "-" : "") + digits(3 + round / 2) + "." + digits(2))
            let product = try #require(a.multiplied(by: b))
            let back = try #require(product.dividing(by: b, decimalPlaces: a.precision))
            #expect(back == a)
            let (q, r) = try #require(a.quotientAndRemainder(dividingBy: b))
            let rebuilt = try #require(q.multiplied(by: b)?.adding(r))
            #expect(rebuilt == a)
            #expect(r.magnitude < b.magnitude)
            #expect(q.precision == 0)
        }
    }

    private func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
}

extension FHIRComparison {
    static func of(_ a: Int, _ b: Int) -> FHIRComparison { a < b ? .less : (a == b ? .equal : .greater) }
}
