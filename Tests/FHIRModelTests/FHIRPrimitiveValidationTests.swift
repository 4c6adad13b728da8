import FHIRModel
import Testing

/// One lexeme and whether it is valid for a type.
struct PrimitiveCase: Sendable, CustomTestStringConvertible {
    let type: String
    let lexeme: String
    let valid: Bool
    var testDescription: String { "\(type) \(valid ? "accepts" : "rejects") \(lexeme.debugDescription)" }
}

private func cases(_ type: String, valid: [String], invalid: [String]) -> [PrimitiveCase] {
    valid.map { PrimitiveCase(type: type, lexeme: $0, valid: true) }
        + invalid.map { PrimitiveCase(type: type, lexeme: $0, valid: false) }
}

private let base64Line = String(repeating: "QUJD", count: 19)  // 76 characters

let primitiveCases: [PrimitiveCase] =
    cases("boolean", valid: ["true", "false"], invalid: ["True", "1", "yes", "", " true", "false "])
    + cases(
        "integer", valid: ["0", "-0", "42", "-42", "2147483647", "-2147483648"],
        invalid: ["01", "+1", "1.0", "2147483648", "-2147483649", "99999999999999999999", "", "-", "1e2", " 1"])
    + cases(
        "unsignedInt", valid: ["0", "1", "2147483647"],
        invalid: ["-1", "-0", "00", "2147483648", "1.5", "", "+3"])
    + cases("positiveInt", valid: ["1", "10", "2147483647"], invalid: ["0", "-1", "01", "2147483648", "", "0.5"])
    + cases(
        "decimal", valid: ["0", "-0.0", "1.10", "0.5e2", "1E-7", "-3.5e+10"], invalid: ["01", "1.", ".5", "+1", ""])
    + cases(
        "string", valid: ["hello", " ", "tab\tand\r\nnewlines", "ünïcödé ✓", "a\u{7F}b"],
        invalid: ["", "bell\u{07}", "nul\u{00}", "vt\u{0B}", "ff\u{0C}", "esc\u{1B}"])
    + cases("markdown", valid: ["# Title\n\n*emphasis*"], invalid: ["", "x\u{01}"])
    + cases(
        "uri", valid: ["http://example.org/fhir", "urn:uuid:x", "#frag", "relative/path", "a"],
        invalid: ["", "http://example.org/a b", "tab\there", "line\nbreak"])
    + cases("url", valid: ["https://example.org/x?y=1", "mailto:a@b.c"], invalid: ["", "https://a b", " "])
    + cases(
        "canonical", valid: ["http://hl7.org/fhir/StructureDefinition/Patient|4.0.1"],
        invalid: ["", "http://hl7.org/fhir/x |1"])
    + cases(
        "code", valid: ["active", "a b", "mg/dL", "a\tb", "x"],
        invalid: ["", " a", "a ", "a  b", "a\n\nb", "\t"])
    + cases(
        "oid", valid: ["urn:oid:1.2.3", "urn:oid:2.16.840.1.113883", "urn:oid:0.0"],
        invalid: ["urn:oid:3.1", "urn:oid:1", "urn:oid:1.02", "urn:oid:1..2", "urn:oid:1.2.", "1.2.3", "urn:oid:", ""])
    + cases(
        "id", valid: ["a", "Patient-1.v2", String(repeating: "A", count: 64)],
        invalid: ["", String(repeating: "A", count: 65), "a_b", "a b", "a/b", "é"])
    + cases(
        "uuid", valid: ["urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7"],
        invalid: [
            "urn:uuid:53FEFA32-FCBB-4FF8-8A92-55EE120877B7", "53fefa32-fcbb-4ff8-8a92-55ee120877b7",
            "urn:uuid:53fefa32fcbb4ff88a9255ee120877b7", "urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b",
            "urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7a", "urn:uuid:g3fefa32-fcbb-4ff8-8a92-55ee120877b7", "",
        ])
    + cases(
        "base64Binary", valid: ["QUJD", "QQ==", "QUI=", "QUJD REVG", base64Line + "\n" + base64Line, " QUJD "],
        invalid: ["", "QUJ", "Q===", "QQ=A", "QQ==QUJD", "QU JD", "QUJ*", "====", "   "])
    + cases("date", valid: ["2024", "2024-02", "2024-02-29"], invalid: ["2023-02-29", "2024-1-1", "0000", ""])
    + cases(
        "dateTime", valid: ["2024", "2024-01-01T10:00:00Z", "2024-01-01T10:00:00.5+02:00"],
        invalid: ["2024-01-01T10:00:00", "2024-01-01T10:00Z", ""])
    + cases("instant", valid: ["2024-01-01T10:00:00Z"], invalid: ["2024-01-01", "2024-01-01T10:00:00", ""])
    + cases("time", valid: ["10:00:00", "23:59:59.999"], invalid: ["24:00:00", "10:00", "10:00:00Z", ""])
    + cases("xhtml", valid: ["<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"], invalid: [""])

@Suite("FHIRPrimitive: lexical validation")
struct FHIRPrimitiveValidationTests {
    @Test(arguments: primitiveCases)
    func lexicalForm(_ c: PrimitiveCase) {
        #expect(FHIRPrimitive.isValid(c.lexeme, type: c.type) == c.valid)
        let failure = FHIRPrimitive.validationFailure(c.lexeme, type: c.type)
        #expect((failure == nil) == c.valid)
        if let kind = FHIRPrimitive.Kind(typeCode: c.type) {
            #expect(FHIRPrimitive.isValid(c.lexeme, kind: kind) == c.valid)
        } else {
            Issue.record("unknown kind \(c.type)")
        }
    }

    @Test func everyKindHasValidAndInvalidCases() {
        for kind in FHIRPrimitive.Kind.allCases {
            let mine = primitiveCases.filter { $0.type == kind.rawValue }
            #expect(mine.contains { $0.valid }, "no valid example for \(kind.rawValue)")
            #expect(mine.contains { !$0.valid }, "no invalid example for \(kind.rawValue)")
        }
    }

    @Test func unknownTypesAreNotValid() {
        #expect(!FHIRPrimitive.isValid("1", type: "integer64"))
        #expect(!FHIRPrimitive.isValid("x", type: "Patient"))
        #expect(FHIRPrimitive.Kind(typeCode: "Quantity") == nil)
    }

    @Test func stringLengthLimit() {
        let limit = String(repeating: "é", count: 1_048_576)  // 2 MiB of UTF-8, 1 Mi characters
        #expect(FHIRPrimitive.isValid(limit, type: "string"))
        #expect(!FHIRPrimitive.isValid(limit + "x", type: "string"))
    }

    @Test(arguments: [
        ("integer", "secret-2147483648"), ("date", "1999-02-31"), ("string", "Jane\u{01}Doe"),
        ("uuid", "urn:uuid:PATIENTNAME"), ("id", "Smith John"), ("instant", "2024-01-01T10:00:00"),
        ("decimal", "Smith1"), ("code", "Smith  John"), ("base64Binary", "Smith"),
    ])
    func reasonsNeverContainTheValue(type: String, lexeme: String) throws {
        let reason = try #require(FHIRPrimitive.validationFailure(lexeme, type: type))
        #expect(reason.hasPrefix(type + ":"))
        #expect(!reason.contains(lexeme))
        #expect(!reason.contains("Smith") && !reason.contains("Jane") && !reason.contains("secret"))
        #expect(!reason.contains("1999") && !reason.contains("PATIENT"))
    }

    @Test func reasonsNameTheRule() {
        #expect(FHIRPrimitive.validationFailure("2023-02-29", type: "date")?.contains("month") == true)
        #expect(FHIRPrimitive.validationFailure("2147483648", type: "integer")?.contains("32-bit") == true)
        #expect(FHIRPrimitive.validationFailure("", type: "string")?.contains("empty") == true)
        #expect(FHIRPrimitive.validationFailure("2024-01-01T10:00:00", type: "dateTime")?.contains("zone") == true)
    }
}
