import FHIRModel

/// Builds the record objects of one referral CSV row as JSON nodes (each value at its cell's
/// position), so the CSV goes through exactly the checks JSON records do. Empty cells are left out.
struct ReferralRowNodes {
    var cells: [ReferralCSVColumn: CSVField]
    var rowPosition: SourcePosition

    /// The practitioner id made from the referrer's NPI.
    static func practitionerId(npi: String) -> String { "npi-" + npi }
    /// The organization id made from the organization's NPI.
    static func organizationId(npi: String) -> String { "npi-" + npi }

    private typealias Pair = (String, JSONNode?)

    private func object(_ kind: String?, _ pairs: [Pair]) -> JSONNode {
        var members: [JSONNode.Member] = []
        if let kind {
            members.append(member("kind", JSONNode(.string(kind), at: rowPosition)))
            members.append(member("formatVersion", JSONNode(.number("1"), at: rowPosition)))
        }
        for (key, value) in pairs {
            if let value { members.append(member(key, value)) }
        }
        return JSONNode(.object(members), at: rowPosition)
    }

    private func member(_ key: String, _ value: JSONNode) -> JSONNode.Member {
        JSONNode.Member(key: key, keyPosition: value.position, value: value)
    }

    private func string(_ column: ReferralCSVColumn, _ transform: (String) -> String = { $0 }) -> JSONNode? {
        cells[column].map { JSONNode(.string(transform($0.text.trimmingSpaces())), at: $0.position) }
    }

    /// An object node only when at least one of its members is present.
    private func optionalObject(_ pairs: [Pair]) -> JSONNode? {
        pairs.contains { $0.1 != nil } ? object(nil, pairs) : nil
    }

    /// A semicolon-separated cell as an array of strings.
    private func list(_ column: ReferralCSVColumn) -> JSONNode? {
        guard let cell = cells[column] else { return nil }
        let items = splitList(cell.text).map { JSONNode(.string($0), at: cell.position) }
        return JSONNode(.array(items), at: cell.position)
    }

    private func splitList(_ text: String) -> [String] {
        text.split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    private func single(_ node: JSONNode?) -> JSONNode? {
        node.map { JSONNode(.array([$0]), at: $0.position) }
    }

    private var organizationIdNode: JSONNode? { string(.referrerOrgNpi, Self.organizationId) }

    func patient() -> JSONNode {
        let telecom = cells[.phone].map { cell in
            object(
                nil,
                [
                    ("system", JSONNode(.string("phone"), at: cell.position)), ("value", string(.phone)),
                ])
        }
        let referrerMrn = string(.referrerMrn).map { value in
            object(nil, [("value", value), ("organizationId", organizationIdNode)])
        }
        return object(
            "patient",
            [
                ("id", string(.patientMrn)),
                ("name", object(nil, [("family", string(.patientFamily)), ("given", single(string(.patientGiven)))])),
                ("birthDate", string(.birthDate)), ("gender", string(.gender)), ("telecom", single(telecom)),
                (
                    "address",
                    optionalObject([
                        ("line", single(string(.addressLine))), ("city", string(.city)), ("state", string(.state)),
                        ("postalCode", string(.postalCode)),
                    ])
                ),
                ("preferredLanguage", string(.preferredLanguage)), ("referrerMrn", referrerMrn),
            ])
    }

    func practitioner() -> JSONNode {
        object(
            "practitioner",
            [
                ("id", string(.referrerNpi, Self.practitionerId)), ("npi", string(.referrerNpi)),
                (
                    "name",
                    object(nil, [("family", string(.referrerFamily)), ("given", single(string(.referrerGiven)))])
                ),
                ("specialty", string(.referrerSpecialty)), ("phone", string(.referrerPhone)),
                ("organizationId", organizationIdNode),
            ])
    }

    func organization() -> JSONNode {
        object(
            "organization",
            [
                ("id", organizationIdNode), ("npi", string(.referrerOrgNpi)), ("name", string(.referrerOrgName)),
                ("phone", string(.referrerOrgPhone)), ("directAddress", string(.referrerOrgDirectAddress)),
                ("fhirBaseUrl", string(.referrerOrgFhirBaseUrl)),
            ])
    }

    func referral() -> JSONNode {
        object(
            "referral",
            [
                ("id", string(.referralId)), ("placerId", string(.placerId)), ("patientId", string(.patientMrn)),
                ("practitionerId", string(.referrerNpi, Self.practitionerId)), ("organizationId", organizationIdNode),
                ("date", string(.referralDate)), ("intent", string(.intent)),
                ("status", string(.status) ?? JSONNode(.string("requested"), at: rowPosition)),
                ("reasons", reasons()), ("notes", string(.notes)), ("currentMedications", list(.currentMedications)),
                ("failedTrialsCount", number(.failedTrials)),
            ])
    }

    /// A whole number cell as a JSON number (anything else stays a string: a wrong-type error).
    private func number(_ column: ReferralCSVColumn) -> JSONNode? {
        guard let cell = cells[column] else { return nil }
        let text = cell.text.trimmingSpaces()
        let isNumber = !text.isEmpty && text.utf8.allSatisfy(FormatRule.isDigit) && text.utf8.count <= 9
        return JSONNode(isNumber ? .number(text) : .string(text), at: cell.position)
    }

    /// Whether `reason_text` has a different number of entries than `reason_icd10` has codes.
    var reasonTextCountMismatch: Bool {
        guard let codesCell = cells[.reasonIcd10], let textCell = cells[.reasonText] else { return false }
        let codes = splitList(codesCell.text).count
        return codes > 1 && splitList(textCell.text).count != codes
    }

    /// `reason_icd10` codes paired with `reason_text`: one code takes the whole text; several
    /// codes take one semicolon-separated text each (a different count is an error).
    private func reasons() -> JSONNode? {
        guard let codesCell = cells[.reasonIcd10] else { return nil }
        let codes = splitList(codesCell.text)
        let textCell = cells[.reasonText]
        var texts: [String?] = Array(repeating: nil, count: codes.count)
        if let textCell {
            let whole = textCell.text.trimmingSpaces()
            let parts = codes.count == 1 ? [whole] : splitList(textCell.text)
            if parts.count == codes.count { texts = parts }
        }
        let items = zip(codes, texts).map { code, text in
            object(
                nil,
                [
                    ("icd10", JSONNode(.string(code), at: codesCell.position)),
                    ("text", text.map { JSONNode(.string($0), at: textCell?.position ?? codesCell.position) }),
                ])
        }
        return JSONNode(.array(items), at: codesCell.position)
    }
}
