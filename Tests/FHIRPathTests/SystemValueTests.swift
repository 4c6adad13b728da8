import FHIRModel
import FHIRPath
import Testing

/// `FHIRPathNode.systemValue(of:)` skips the type comparisons for type names that no converted
/// type can have (judged by length and first letter): every R4 primitive type must still get the
/// System type FHIRPath gives it.
@Suite struct SystemValueTests {
    /// A valid lexeme of each primitive kind, and the System type FHIRPath reads from it.
    static func expected(_ kind: FHIRPrimitive.Kind) -> (lexeme: String, system: String) {
        switch kind {
        case .boolean: return ("true", "Boolean")
        case .integer, .positiveInt, .unsignedInt: return ("7", "Integer")
        case .decimal: return ("7.50", "Decimal")
        case .date: return ("2024-05-01", "Date")
        case .dateTime, .instant: return ("2024-05-01T10:20:30Z", "DateTime")
        case .time: return ("10:20:30", "Time")
        default: return ("7", "String")
        }
    }

    @Test(arguments: FHIRPrimitive.Kind.allCases)
    func everyPrimitiveTypeGetsItsSystemType(kind: FHIRPrimitive.Kind) throws {
        let (lexeme, system) = Self.expected(kind)
        let node = ElementNode.primitive("value", type: kind.rawValue, value: lexeme)
        let value = try #require(FHIRPathNode.systemValue(of: node))
        #expect(value.type(in: nil) == .system(system), "\(kind.rawValue)")
    }

    /// `integer64` (R5, read when a definition names it) is not an R4 kind.
    @Test func integer64IsALong() throws {
        let node = ElementNode.primitive("value", type: "integer64", value: "7")
        let value = try #require(FHIRPathNode.systemValue(of: node))
        #expect(value.type(in: nil) == .system("Long"))
    }

    @Test func aDateTimeWithoutATimeIsADate() throws {
        let node = ElementNode.primitive("value", type: "dateTime", value: "2024-05")
        let value = try #require(FHIRPathNode.systemValue(of: node))
        #expect(value.type(in: nil) == .system("Date"))
    }
}
