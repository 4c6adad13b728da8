import ClinicRecords
import FHIRJSON
import FHIRModel
import FHIRXML

/// Inbound referrals: a FHIR referral (a ServiceRequest with its Patient, Practitioner or
/// PractitionerRole, Organization, Conditions and Task) -> the clinic's referral records
/// (`ReferralRecord`, `PatientRecord`, `PractitionerRecord`, `OrganizationRecord`).
///
/// The input is a transaction or collection Bundle (every ServiceRequest in it is a referral), a
/// message Bundle (BSeR: a MessageHeader with event v2-0003 `I12` whose `focus` is the
/// ServiceRequest or a Task on it), or a single ServiceRequest with contained resources.
///
/// Checking is as strict as the record reader's: a missing patient, requester, organization or
/// reason, a reference that does not resolve inside the input, a code of the wrong system, and a
/// value of the wrong form or an impossible one are errors naming the FHIRPath location
/// (`Bundle.entry[2].resource.subject`), never the value. A referral with an error gives no
/// records; the other referrals of the input go on. Every record made is also written and read
/// back with ``ClinicRecordReader`` (``IssueCode/inboundRecordRule`` if that finds anything).
public struct InboundReferralMapper: Sendable {
    public var options: InboundReferralOptions

    public init(options: InboundReferralOptions = InboundReferralOptions()) {
        self.options = options
    }

    /// Reads FHIR JSON or XML (chosen by the first non-blank byte) and maps it.
    public func map(_ bytes: [UInt8], model: ModelInfo, fileName: String? = nil) -> InboundReferralResult {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D) {
            i += 1
        }
        let parsed: ParsedResource
        do {
            if i < bytes.count && bytes[i] == 0x3C {
                parsed = try FHIRXMLReader(model: model).read(bytes)
            } else {
                parsed = try FHIRJSONReader(model: model).read(bytes)
            }
        } catch {
            var issue = error.issue
            issue.file = fileName
            return InboundReferralResult(issues: [issue])
        }
        var result = map(parsed.root, fileName: fileName)
        let readerIssues = parsed.issues.map { issue -> Issue in
            var issue = issue
            issue.file = fileName
            return issue
        }
        result.issues = readerIssues + result.issues
        return result
    }

    /// Maps a resource tree: a Bundle (transaction, collection or message) or a ServiceRequest.
    public func map(_ root: ElementNode, fileName: String? = nil) -> InboundReferralResult {
        var issues: [Issue] = []
        var referrals: [InboundReferral] = []
        let type = root.resourceType ?? root.typeName ?? root.name
        let top = InboundNode(root, path: type)
        let resolver: InboundResolver
        var requests: [InboundResource] = []
        var inputLabels = Set(top.securityLabels)
        switch type {
        case "Bundle":
            resolver = InboundResolver(bundle: top)
            switch top.value("type") {
            case "transaction", "collection":
                requests = resolver.all("ServiceRequest")
                if requests.isEmpty {
                    issues.append(
                        Issue(
                            .error, .inboundMissing, "the Bundle holds no ServiceRequest (referral)",
                            path: "Bundle.entry"))
                }
            case "message":
                requests = messageFocus(top, resolver: resolver, issues: &issues)
                if let header = resolver.resources.first, header.type == "MessageHeader" {
                    inputLabels.formUnion(header.node.securityLabels)
                }
            case nil:
                issues.append(Issue(.error, .inboundMissing, "the Bundle has no type", path: "Bundle.type"))
            default:
                issues.append(
                    Issue(
                        .error, .inboundUnsupported,
                        "referrals are read from transaction, message or collection Bundles", path: "Bundle.type"))
            }
        case "ServiceRequest":
            resolver = InboundResolver(single: top)
            requests = resolver.resources
        default:
            issues.append(
                Issue(
                    .error, .inboundUnsupported, "a referral is a Bundle or a ServiceRequest, not a \(type)",
                    path: type))
            return InboundReferralResult(issues: issues.map { Self.inFile($0, fileName) })
        }
        var seen: [String: InboundReferral] = [:]
        for request in requests {
            var builder = InboundReferralBuilder(
                resolver: resolver, options: options, request: request, inputLabels: inputLabels)
            let built = builder.build()
            issues += builder.issues
            guard var referral = built else { continue }
            let ruleIssues = Self.recordRuleIssues(referral)
            issues += ruleIssues
            guard ruleIssues.isEmpty else { continue }
            if seen["referral\u{0}" + referral.referral.id] != nil {
                issues.append(
                    Issue(
                        .error, .inboundDuplicate, "another referral of the input has the same referral id",
                        path: referral.location))
                continue
            }
            for record in referral.records where record.kind != .referral {
                let key = record.kind.rawValue + "\u{0}" + record.id
                if let first = seen[key], first.records.first(where: { $0.kind == record.kind }) != record {
                    issues.append(
                        Issue(
                            .warning, .inboundDuplicate,
                            "an earlier referral gives this \(record.kind.rawValue) other details; the earlier ones are kept",
                            path: referral.location))
                }
            }
            referral.securityLabels.sort()
            for record in referral.records {
                let key = record.kind.rawValue + "\u{0}" + record.id
                if seen[key] == nil { seen[key] = referral }
            }
            referrals.append(referral)
        }
        return InboundReferralResult(referrals: referrals, issues: issues.map { Self.inFile($0, fileName) })
    }

    /// The ServiceRequests a message is about: the MessageHeader (first entry) must have event
    /// v2-0003 `I12`; its `focus` names the ServiceRequest, or a Task whose `focus` does.
    private func messageFocus(_ bundle: InboundNode, resolver: InboundResolver, issues: inout [Issue])
        -> [InboundResource]
    {
        guard let header = resolver.resources.first, header.entryIndex == 0, header.type == "MessageHeader" else {
            issues.append(
                Issue(
                    .error, .inboundMissing, "a message Bundle starts with its MessageHeader",
                    path: "Bundle.entry[0].resource"))
            return []
        }
        guard let event = header.node.choice("event", "Coding") else {
            issues.append(
                Issue(
                    .error, .inboundUnsupported, "a referral message has eventCoding v2-0003 I12",
                    path: header.path + ".event"))
            return []
        }
        guard event.value("system") == InboundCodes.v20003 else {
            issues.append(
                Issue(
                    .error, .inboundCodeSystem, "the message event must be of the v2-0003 code system",
                    path: event.path + ".system"))
            return []
        }
        guard event.value("code") == "I12" else {
            issues.append(
                Issue(
                    .error, .inboundUnsupported, "not a referral message: the event must be I12 (patient referral)",
                    path: event.path + ".code"))
            return []
        }
        let focus = header.node.children("focus")
        if focus.isEmpty {
            issues.append(
                Issue(
                    .error, .inboundMissing, "the MessageHeader names no focus (the referral)",
                    path: header.path + ".focus"))
        }
        var requests: [InboundResource] = []
        for f in focus {
            switch resolver.resolve(f, from: header, types: ["ServiceRequest", "Task"]) {
            case .failure(.issue(let issue)):
                issues.append(issue)
            case .success(let target) where target.type == "Task":
                guard let taskFocus = target.node.child("focus") else {
                    issues.append(
                        Issue(
                            .error, .inboundMissing, "the Task names no focus (the referral)",
                            path: target.path + ".focus"))
                    continue
                }
                switch resolver.resolve(taskFocus, from: target, types: ["ServiceRequest"]) {
                case .success(let request): requests.append(request)
                case .failure(.issue(let issue)): issues.append(issue)
                }
            case .success(let target):
                requests.append(target)
            }
        }
        var unique: [InboundResource] = []
        for r in requests where !unique.contains(where: { $0.path == r.path }) { unique.append(r) }
        return unique
    }

    /// The record reader's verdict on the records made (write, then read back strictly).
    static func recordRuleIssues(_ referral: InboundReferral) -> [Issue] {
        let bytes = ClinicRecordWriter().ndjson(referral.records)
        let read = ClinicRecordReader().read(bytes, fileName: "inbound.ndjson")
        return read.issues.map { issue in
            Issue(
                .error, .inboundRecordRule,
                "the mapped records break a clinic record rule: \(issue.path ?? "record"): \(issue.message) [\(issue.code.rawValue)]",
                path: referral.location)
        }
    }

    static func inFile(_ issue: Issue, _ fileName: String?) -> Issue {
        var issue = issue
        if issue.file == nil { issue.file = fileName }
        return issue
    }
}

/// Code systems the inbound mapping reads.
enum InboundCodes {
    static let icd10cm = "http://hl7.org/fhir/sid/icd-10-cm"
    static let npi = "http://hl7.org/fhir/sid/us-npi"
    static let nucc = "http://nucc.org/provider-taxonomy"
    static let v20003 = "http://terminology.hl7.org/CodeSystem/v2-0003"
    static let v20203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
    static let bcp47 = "urn:ietf:bcp:47"
    static let usCoreRace = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
    static let usCoreEthnicity = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
    static let usCoreBirthSex = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
    static let endpointConnectionType = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type"
}
