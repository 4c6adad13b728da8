import FHIRModel

/// A response body read as FHIR.
struct ParsedBody {
    var format: FHIRFormat?
    var resource: ElementNode?
    var issues: [Issue]
}

extension FHIRClient {
    /// `resource` in the client's format.
    func serialize(_ resource: ElementNode, label: String) throws(FHIRClientError) -> [UInt8] {
        switch format {
        case .json:
            return jsonWriter.write(resource)
        case .xml:
            do throws(FHIRFormatError) {
                return try xmlWriter.write(resource)
            } catch {
                throw FHIRClientError(
                    .format,
                    "\(label): cannot write the \(resource.typeName ?? "resource") as XML (\(error.issue.code.rawValue))"
                )
            }
        }
    }

    /// Reads a body by its `Content-Type` (or, without one, by its first character). Non-FHIR
    /// content types give no resource; a FHIR body that does not read is a `.format` error naming
    /// the reader's code and position, never the content.
    func parseBody(_ body: [UInt8], contentType: String?, label: String) throws(FHIRClientError) -> ParsedBody {
        guard let first = body.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            return ParsedBody(format: contentType.flatMap(FHIRFormat.init(contentType:)), resource: nil, issues: [])
        }
        let format: FHIRFormat
        if let contentType {
            guard let known = FHIRFormat(contentType: contentType) else {
                return ParsedBody(format: nil, resource: nil, issues: [])
            }
            format = known
        } else if first == UInt8(ascii: "{") {
            format = .json
        } else if first == UInt8(ascii: "<") {
            format = .xml
        } else {
            return ParsedBody(format: nil, resource: nil, issues: [])
        }
        do throws(FHIRFormatError) {
            let parsed = format == .json ? try jsonReader.read(body) : try xmlReader.read(body)
            guard parsed.root.isResource else {
                throw FHIRFormatError(.missingResourceType, "the body is not a FHIR resource")
            }
            return ParsedBody(format: format, resource: parsed.root, issues: parsed.issues)
        } catch {
            var place = ""
            if let position = error.issue.position, position.isKnown {
                place = " at \(position.line):\(position.column)"
            }
            throw FHIRClientError(
                .format,
                "\(label): the \(format.rawValue.uppercased()) body is not a readable FHIR resource "
                    + "(\(error.issue.code.rawValue)\(place))")
        }
    }
}
