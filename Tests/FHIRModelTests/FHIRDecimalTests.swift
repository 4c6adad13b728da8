import FHIRModel
import Testing

@Suite("FHIRDecimal: parsing, precision, comparison")
struct FHIRDecimalTests {
    @Test func keepsLexemeAndPrecision() throws {
        let d = try #require(FHIRDecimal("1.10"))
        #expect(d.lexeme == "1.10")
        #expect(d.description == "1.10")
        #expect(d.precision == 2)
        #expect(d.digits == "110")
        #expect(d.exponent == -2)
        #expect(d.plainString == "1.10")
        let e = try #require(FHIRDecimal("1.1"))
        #expect(e.precision == 1)
        #expect(d == e)
        #expect(d.hashValue == e.hashValue)
        #expect(Set([d, e, try #require(FHIRDecimal("1.100")), try #require(FHIRDecimal("11e-1"))]).count == 1)
    }

    @Test(arguments: [
        ("0", 0), ("5", 0), ("1.10", 2), ("1.1", 1), ("0.000", 3), ("-0.0", 1), ("1.5e-3", 4),
        ("0.5e2", 0), ("12.345E1", 2), ("1E+2", 0), ("100", 0), ("0.0010", 4), ("3.14159", 5),
    ])
    func precisionFollowsTheLexeme(lexeme: String, precision: Int) throws {
        let d = try #require(FHIRDecimal(lexeme))
        #expect(d.precision == precision)
        #expect(d.lexeme == lexeme)
    }

    @Test func exponentFormEqualsPlainForm() throws {
        let a = try #require(FHIRDecimal("0.5e2"))
        let b = try #require(FHIRDecimal("50"))
        #expect(a == b)
        #expect(a.compare(b) == .equal)
        #expect(a.scale == -1)
        #expect(b.scale == 0)
        #expect(a.exactIntValue == 50)
        #expect(a.doubleValue == 50)
        #expect(a.plainString == "50")
        #expect(a.lexeme == "0.5e2")
        #expect(try #require(FHIRDecimal("1.50E-2")).plainString == "0.0150")
        #expect(try #require(FHIRDecimal("5E+1")) == a)
    }

    @Test func fortyDigitDecimalsCompareExactly() throws {
        let a = try #require(FHIRDecimal("1234567890123456789012345678901234567890.5"))
        let b = try #require(FHIRDecimal("1234567890123456789012345678901234567890.4"))
        let c = try #require(FHIRDecimal("1234567890123456789012345678901234567890.50"))
        // Doubles cannot tell them apart; the decimals can.
        #expect(a.doubleValue == b.doubleValue)
        #expect(a != b)
        #expect(b < a)
        #expect(a == c)
        #expect(a.precision == 1 && c.precision == 2)
        #expect(a.significantDigitCount == 41)
        let tiny1 = try #require(FHIRDecimal("0.0000000000000000000000000000000000000001"))
        let tiny2 = try #require(FHIRDecimal("0.0000000000000000000000000000000000000002"))
        #expect(tiny1 < tiny2)
        #expect(tiny1.precision == 40)
        #expect(try #require(FHIRDecimal("1e-40")) == tiny1)
        let negBig = try #require(FHIRDecimal("-9999999999999999999999999999999999999999"))
        let negBigger = try #require(FHIRDecimal("-10000000000000000000000000000000000000000"))
        #expect(negBigger < negBig)
    }

    @Test func negativeZeroIsZero() throws {
        let negZero = try #require(FHIRDecimal("-0.0"))
        let zero = try #require(FHIRDecimal("0"))
        #expect(negZero.isZero)
        #expect(!negZero.isNegative)
        #expect(negZero == zero)
        #expect(negZero.hashValue == zero.hashValue)
        #expect(negZero.lexeme == "-0.0")
        #expect(negZero.exactIntValue == 0)
        #expect(try #require(FHIRDecimal("-0.001")) < negZero)
        #expect(negZero < (try #require(FHIRDecimal("0.001"))))
    }

    @Test(arguments: [
        "01", "1.", ".5", "+1", "", "-", "1e", "1e+", "1.5e", " 1", "1 ", "0x10", "NaN", "Infinity", "1,5",
        "--1", "1.2.3", "00", "-01", "1E5.5", "1e-", "e5", "-.5", "1.e5", "٣", "１",
    ])
    func invalidDecimalsAreRejected(lexeme: String) {
        #expect(FHIRDecimal(lexeme) == nil)
        #expect(!FHIRPrimitive.isValid(lexeme, type: "decimal"))
    }

    @Test(arguments: ["0", "-0", "1E5", "1e-5", "1e+05", "123.456", "-1.0e10", "0.0", "9e0", "10"])
    func validDecimalsParse(lexeme: String) throws {
        let d = try #require(FHIRDecimal(lexeme))
        #expect(d.lexeme == lexeme)
        #expect(d.doubleValue == Double(lexeme))
        #expect(FHIRPrimitive.isValid(lexeme, type: "decimal"))
    }

    @Test(arguments: [
        ("1", "2", FHIRComparison.less), ("-1", "-2", .greater), ("-1", "1", .less), ("0", "-0.0", .equal),
        ("1.10", "1.1", .equal), ("1.01", "1.1", .less), ("99", "1e2", .less), ("1e2", "100.000", .equal),
        ("0.1", "0.09", .greater), ("-0.1", "-0.09", .less), ("123", "12.3e1", .equal), ("0", "1e-300", .less),
        ("-1e300", "-1e299", .less), ("5", "0", .greater),
    ])
    func ordering(a: String, b: String, expected: FHIRComparison) throws {
        let x = try #require(FHIRDecimal(a))
        let y = try #require(FHIRDecimal(b))
        #expect(x.compare(y) == expected)
        #expect(y.compare(x) == expected.reversed)
        #expect((x < y) == (expected == .less))
        #expect((x == y) == (expected == .equal))
    }

    @Test func sortingUsesNumericOrder() throws {
        let lexemes = ["10", "-2.5", "0.5e1", "1.10", "-0.0", "1e-3", "4.99"]
        let sorted = try lexemes.map { try #require(FHIRDecimal($0)) }.sorted().map(\.lexeme)
        #expect(sorted == ["-2.5", "-0.0", "1e-3", "1.10", "4.99", "0.5e1", "10"])
    }

    @Test func exactIntValue() throws {
        #expect(try #require(FHIRDecimal("2.00")).exactIntValue == 2)
        #expect(try #require(FHIRDecimal("-7")).exactIntValue == -7)
        #expect(try #require(FHIRDecimal("2.5")).exactIntValue == nil)
        #expect(try #require(FHIRDecimal("1e30")).exactIntValue == nil)
        #expect(try #require(FHIRDecimal("9223372036854775807")).exactIntValue == Int.max)
        #expect(try #require(FHIRDecimal("9223372036854775808")).exactIntValue == nil)
        #expect(try #require(FHIRDecimal("-9223372036854775808")).exactIntValue == Int.min)
    }

    @Test func integerInitialiser() {
        #expect(FHIRDecimal(-120).lexeme == "-120")
        #expect(FHIRDecimal(0).lexeme == "0")
        #expect(FHIRDecimal(0).isZero)
        #expect(FHIRDecimal(Int.min).lexeme == "-9223372036854775808")
        #expect(FHIRDecimal(Int.min).exactIntValue == Int.min)
        #expect(FHIRDecimal(42) == FHIRDecimal("42.000"))
    }

    @Test func hugeExponentsAreBoundedButCompare() throws {
        #expect(FHIRDecimal("1e1000001") == nil)
        #expect(FHIRPrimitive.isValid("1e1000001", type: "decimal"))  // lexically fine
        let big = try #require(FHIRDecimal("1e1000000"))
        let small = try #require(FHIRDecimal("9e999999"))
        #expect(small < big)
        #expect(big.doubleValue == .infinity)
        #expect(try #require(FHIRDecimal("1e-400")).doubleValue == 0)
    }
}
