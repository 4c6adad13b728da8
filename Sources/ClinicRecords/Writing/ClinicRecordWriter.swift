import FHIRJSON
import FHIRModel

/// Writes clinic records in the record format (`docs/clinic-records.md`, format version 1): the
/// inverse of ``ClinicRecordReader``, so reading what it writes gives the same records.
///
/// Fields come in the canonical order (`kind`, `formatVersion`, `id`, then the kind's fields in
/// the order the format documents them); optional fields that are absent and empty arrays are
/// left out; numbers are written from their lexemes (`0.50` stays `0.50`); dates and date-times
/// are written as their lexemes.
public struct ClinicRecordWriter: Sendable {
    /// Whether ``data(_:)`` and ``jsonArray(_:)`` indent with two spaces (NDJSON lines never do).
    public var pretty: Bool

    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    /// The record as a JSON object with its fields in canonical order.
    public func jsonValue(_ record: ClinicRecord) -> JSONValue {
        var o = RecordObject()
        o.add("kind", .string(record.kind.rawValue))
        o.add("formatVersion", .number(ClinicRecordFormat.version))
        switch record {
        case .patient(let r): RecordJSON.patient(r, into: &o)
        case .practitioner(let r): RecordJSON.practitioner(r, into: &o)
        case .organization(let r): RecordJSON.organization(r, into: &o)
        case .referral(let r): RecordJSON.referral(r, into: &o)
        case .consent(let r): RecordJSON.consent(r, into: &o)
        case .treatmentCourse(let r): RecordJSON.treatmentCourse(r, into: &o)
        case .infusionSession(let r): RecordJSON.infusionSession(r, into: &o)
        case .questionnaireResponse(let r): RecordJSON.questionnaireResponse(r, into: &o)
        case .therapySession(let r): RecordJSON.therapySession(r, into: &o)
        case .summaryLetter(let r): RecordJSON.summaryLetter(r, into: &o)
        }
        return o.value
    }

    /// One record as a JSON document (a `.json` file holding one object).
    public func data(_ record: ClinicRecord) -> [UInt8] {
        var bytes = jsonValue(record).serialized(pretty: pretty)
        bytes.append(0x0A)
        return bytes
    }

    /// One NDJSON line: the record as compact JSON and a newline.
    public func ndjsonLine(_ record: ClinicRecord) -> [UInt8] {
        var bytes = jsonValue(record).serialized(pretty: false)
        bytes.append(0x0A)
        return bytes
    }

    /// Records as NDJSON, one line each.
    public func ndjson(_ records: some Sequence<ClinicRecord>) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { bytes += ndjsonLine(record) }
        return bytes
    }

    /// Records as one JSON array document (a `.json` file holding several records).
    public func jsonArray(_ records: some Sequence<ClinicRecord>) -> [UInt8] {
        var bytes = JSONValue.array(records.map(jsonValue)).serialized(pretty: pretty)
        bytes.append(0x0A)
        return bytes
    }

    /// Writes each record as an NDJSON line to `emit` as soon as it is made (constant memory
    /// for any number of records); returns how many were written.
    @discardableResult
    public func streamNDJSON<S: Sequence>(_ records: S, emit: ([UInt8]) throws -> Void) rethrows -> Int
    where S.Element == ClinicRecord {
        var count = 0
        for record in records {
            try emit(ndjsonLine(record))
            count += 1
        }
        return count
    }
}

/// A JSON object under construction: fields in the order added, absent values and empty arrays
/// left out.
struct RecordObject {
    private(set) var pairs: [(String, JSONValue)] = []

    var value: JSONValue { JSONValue.object(pairs) }

    mutating func add(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        if case .array(let items) = value, items.isEmpty { return }
        pairs.append((key, value))
    }

    mutating func add(_ key: String, _ text: String?) {
        add(key, text.map(JSONValue.string))
    }

    mutating func add(_ key: String, _ number: Int?) {
        add(key, number.map(JSONValue.number))
    }

    mutating func add(_ key: String, _ decimal: FHIRDecimal?) {
        add(key, decimal.map { JSONValue.number($0.lexeme) })
    }

    mutating func add(_ key: String, _ date: FHIRDate?) {
        add(key, date.map { JSONValue.string($0.lexeme) })
    }

    mutating func add(_ key: String, _ dateTime: FHIRDateTime?) {
        add(key, dateTime.map { JSONValue.string($0.lexeme) })
    }

    mutating func add<E: RawRepresentable>(_ key: String, code: E?) where E.RawValue == String {
        add(key, code.map { JSONValue.string($0.rawValue) })
    }

    mutating func add(_ key: String, strings: [String]) {
        add(key, JSONValue.array(strings.map(JSONValue.string)))
    }

    mutating func add<E: RawRepresentable>(_ key: String, codes: [E]) where E.RawValue == String {
        add(key, JSONValue.array(codes.map { JSONValue.string($0.rawValue) }))
    }

    mutating func add(_ key: String, objects: [JSONValue]) {
        add(key, JSONValue.array(objects))
    }

    static func make(_ build: (inout RecordObject) -> Void) -> JSONValue {
        var o = RecordObject()
        build(&o)
        return o.value
    }
}
