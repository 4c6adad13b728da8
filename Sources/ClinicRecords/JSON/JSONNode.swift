import FHIRJSON
import FHIRModel

/// What the record readers walk: a JSON value with the line and column where it starts (parsed by
/// FHIRJSON's one JSON parser), so every problem can name its place.
typealias JSONNode = PositionedJSONValue

extension PositionedJSONValue {
    /// The JSON kind as the error messages name it.
    var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The members when this is an object.
    var members: [Member]? {
        if case .object(let m) = value { return m }
        return nil
    }
}
