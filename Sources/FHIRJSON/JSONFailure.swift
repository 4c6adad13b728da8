import FHIRModel

/// The error the tree builder throws internally: a reference to the ``FHIRFormatError``.
///
/// Typed throws of a large struct reserve room for it in every caller's frame at every `try`;
/// a one-word box keeps the recursive reader's frames small, so deep documents use little
/// stack. ``FHIRJSONReader`` unwraps it, so callers only ever see ``FHIRFormatError``.
final class JSONFailure: Error, Sendable {
    let error: FHIRFormatError

    init(_ error: FHIRFormatError) { self.error = error }

    convenience init(_ code: IssueCode, _ message: String, position: SourcePosition? = nil) {
        self.init(FHIRFormatError(code, message, position: position))
    }
}

/// Scanner calls wrapped to throw ``JSONFailure``; the large error lives only in these leaf frames.
extension JSONTreeBuilder {
    @inline(never)
    func failure(_ code: IssueCode, _ message: String) -> JSONFailure {
        JSONFailure(s.error(code, message))
    }

    @inline(never)
    mutating func readString() throws(JSONFailure) -> String {
        if let plain = s.scanPlainString(), let start = plain.baseAddress {
            return strings.string(start, count: plain.count)
        }
        do { return try s.readString() } catch { throw JSONFailure(error) }
    }

    @inline(never)
    mutating func readNumber() throws(JSONFailure) -> String {
        do { return try s.readNumberLexeme() } catch { throw JSONFailure(error) }
    }

    @inline(never)
    mutating func readLiteral() throws(JSONFailure) -> JSONValue {
        do { return try s.readLiteral() } catch { throw JSONFailure(error) }
    }

    @inline(__always)
    mutating func expectColon() throws(JSONFailure) {
        if s.peekNonSpace() == 0x3A {
            s.offset += 1
        } else {
            throw syntaxError("expected ':'")
        }
    }
}
