import ClinicRecords
import FHIRModel

/// Maps one ServiceRequest and the resources around it to the four referral records, collecting
/// every problem (all of them, not only the first). Any error means no records.
struct InboundReferralBuilder {
    let resolver: InboundResolver
    let options: InboundReferralOptions
    let request: InboundResource
    var labels: Set<String>
    var issues: [Issue] = []
    private var errorCount = 0

    init(resolver: InboundResolver, options: InboundReferralOptions, request: InboundResource, inputLabels: Set<String>)
    {
        self.resolver = resolver
        self.options = options
        self.request = request
        self.labels = inputLabels
    }

    mutating func error(_ code: IssueCode, _ message: String, _ path: String) {
        issues.append(Issue(.error, code, message, path: path))
        errorCount += 1
    }

    mutating func warning(_ code: IssueCode, _ message: String, _ path: String) {
        issues.append(Issue(.warning, code, message, path: path))
    }

    /// Resolves an optional or required Reference; problems are reported, nil returned.
    mutating func resolve(
        _ reference: InboundNode?, from: InboundResource, types: [String], missing: String? = nil,
        missingPath: String? = nil
    ) -> InboundResource? {
        guard let reference else {
            if let missing { error(.inboundMissing, missing, missingPath ?? from.path) }
            return nil
        }
        switch resolver.resolve(reference, from: from, types: types) {
        case .success(let target):
            labels.formUnion(target.node.securityLabels)
            return target
        case .failure(.issue(let issue)):
            issues.append(issue)
            if issue.severity <= .error { errorCount += 1 }
            return nil
        }
    }

    mutating func build() -> InboundReferral? {
        let sr = request.node
        labels.formUnion(sr.securityLabels)
        if sr.value("status") == "entered-in-error" {
            error(.inboundInvalidValue, "the referral is marked entered-in-error", sr.path + ".status")
            return nil
        }
        let task = findTask()
        if let task { labels.formUnion(task.node.securityLabels) }

        let patientResource = resolve(
            sr.child("subject"), from: request, types: ["Patient"],
            missing: "the referral has no subject (the patient)", missingPath: sr.path + ".subject")
        let parties = resolveRequester(task: task)
        let reasons = readReasons()
        let date = readDate(task: task)
        let intent = readIntent()
        let status = readStatus(task: task)
        let (referralId, placerId) = readIdentifiers()
        let notes = sr.children("note").compactMap { $0.value("text") }
        let medications = readMedications()

        var mapper = InboundParties(options: options)
        let organization = parties.organization.flatMap { mapper.organization($0, resolver: resolver) }
        let practitioner = parties.practitioner.flatMap {
            mapper.practitioner($0, role: parties.role, organizationId: organization?.id)
        }
        let patient = patientResource.flatMap { mapper.patient($0, referrerOrganizationId: organization?.id) }
        issues += mapper.issues
        errorCount += mapper.errorCount
        if let patient, let date, let patientResource, patient.birthDate.compare(date) == .greater {
            error(
                .inboundImpossibleValue, "the patient is born after the referral was written",
                patientResource.path + ".birthDate")
        }
        guard errorCount == 0, let patient, let practitioner, let organization, let date, let intent, let status,
            let referralId
        else { return nil }
        let referral = ReferralRecord(
            id: referralId, placerId: placerId, patientId: patient.id, practitionerId: practitioner.id,
            organizationId: organization.id, date: date, intent: intent, status: status, reasons: reasons,
            notes: notes.isEmpty ? nil : notes.joined(separator: "\n"), currentMedications: medications)
        return InboundReferral(
            referral: referral, patient: patient, practitioner: practitioner, organization: organization,
            location: sr.path, securityLabels: Array(labels))
    }

    /// The Task whose `focus` is this ServiceRequest (BSeR), if any.
    private func findTask() -> InboundResource? {
        resolver.all("Task").first { task in
            task.node.child("focus").map { resolver.refers($0, from: task, to: request) } ?? false
        }
    }

    /// The referring practitioner (and role) and organization: `requester` (else the Task's) is a
    /// PractitionerRole with its practitioner and organization, or a Practitioner whose
    /// PractitionerRole is in the input; the organization may also come from the Task's
    /// `requester` (an Organization, or a PractitionerRole with one).
    private mutating func resolveRequester(task: InboundResource?) -> (
        practitioner: InboundResource?, role: InboundResource?, organization: InboundResource?
    ) {
        var reference = request.node.child("requester")
        var from = request
        if reference == nil, let task, let taskRequester = task.node.child("requester") {
            reference = taskRequester
            from = task
        }
        let missingPath = request.path + ".requester"
        guard
            let requester = resolve(
                reference, from: from, types: ["Practitioner", "PractitionerRole", "Organization"],
                missing: "the referral has no requester (the referring practitioner)", missingPath: missingPath)
        else { return (nil, nil, nil) }
        var practitioner: InboundResource?
        var role: InboundResource?
        var organization: InboundResource?
        switch requester.type {
        case "PractitionerRole":
            role = requester
            practitioner = resolve(
                requester.node.child("practitioner"), from: requester, types: ["Practitioner"],
                missing: "the requester's PractitionerRole names no practitioner",
                missingPath: requester.path + ".practitioner")
            organization = resolve(requester.node.child("organization"), from: requester, types: ["Organization"])
        case "Practitioner":
            practitioner = requester
            role = resolver.all("PractitionerRole").first { r in
                r.node.child("practitioner").map { resolver.refers($0, from: r, to: requester) } ?? false
            }
            if let role { organization = resolve(role.node.child("organization"), from: role, types: ["Organization"]) }
        default:
            organization = requester
            error(
                .inboundMissing, "the requester is an organization: the referring practitioner is missing",
                reference?.path ?? missingPath)
        }
        if organization == nil, let task, let taskRequester = task.node.child("requester"),
            case .success(let other) = resolver.resolve(
                taskRequester, from: task, types: ["Organization", "PractitionerRole"])
        {
            if other.type == "Organization" {
                organization = other
            } else {
                organization = resolve(other.node.child("organization"), from: other, types: ["Organization"])
            }
        }
        if organization == nil && practitioner != nil {
            error(
                .inboundMissing,
                "no referring organization: give the requester as a PractitionerRole with an organization",
                reference?.path ?? missingPath)
        }
        return (practitioner, role, organization)
    }

    /// ICD-10-CM reasons from `reasonCode` and the Conditions of `reasonReference`.
    private mutating func readReasons() -> [ReasonCode] {
        let sr = request.node
        let codes = sr.children("reasonCode")
        let references = sr.children("reasonReference")
        if codes.isEmpty && references.isEmpty {
            error(
                .inboundMissing, "the referral gives no reason (reasonCode or reasonReference with ICD-10-CM)",
                sr.path + ".reasonCode")
            return []
        }
        var reasons: [ReasonCode] = []
        for concept in codes { reasons += icd10Reasons(concept) }
        for reference in references {
            guard let condition = resolve(reference, from: request, types: ["Condition"]) else { continue }
            guard let code = condition.node.child("code") else {
                error(.inboundMissing, "the reason's Condition has no code", condition.path + ".code")
                continue
            }
            reasons += icd10Reasons(code)
        }
        var unique: [ReasonCode] = []
        for r in reasons where !unique.contains(where: { $0.icd10 == r.icd10 }) { unique.append(r) }
        return unique
    }

    private mutating func icd10Reasons(_ concept: InboundNode) -> [ReasonCode] {
        let codings = concept.codings
        let icd = codings.filter { $0.value("system") == InboundCodes.icd10cm }
        if icd.isEmpty {
            if codings.isEmpty {
                error(.inboundMissing, "a reason needs an ICD-10-CM code (this one is text only)", concept.path)
            } else {
                error(
                    .inboundCodeSystem, "the reason has no ICD-10-CM coding (system \(InboundCodes.icd10cm))",
                    concept.path + ".coding")
            }
            return []
        }
        var out: [ReasonCode] = []
        for coding in icd {
            guard let raw = coding.value("code") else {
                error(.inboundMissing, "the ICD-10-CM coding has no code", coding.path + ".code")
                continue
            }
            guard let code = InboundValueRules.icd10(raw) else {
                error(.inboundInvalidValue, "not an ICD-10-CM code (such as F33.2)", coding.path + ".code")
                continue
            }
            out.append(ReasonCode(icd10: code, text: coding.value("display") ?? concept.value("text")))
        }
        return out
    }

    /// `authoredOn` (else the Task's) as a calendar date.
    private mutating func readDate(task: InboundResource?) -> FHIRDate? {
        var node = request.node.child("authoredOn")
        if node?.primitive == nil { node = task?.node.child("authoredOn") }
        guard let node, let text = node.primitive else {
            error(.inboundMissing, "the referral has no authoredOn date", request.path + ".authoredOn")
            return nil
        }
        guard let dateTime = FHIRDateTime(text), dateTime.precision >= .day,
            let date = FHIRDate(String(text.prefix(10)))
        else {
            error(.inboundInvalidValue, "must be a date with at least a day (YYYY-MM-DD)", node.path)
            return nil
        }
        if date.year < 1900 {
            error(.inboundImpossibleValue, "a referral date before 1900 is not plausible", node.path)
            return nil
        }
        return date
    }

    private mutating func readIntent() -> ReferralRecord.Intent? {
        let path = request.path + ".intent"
        switch request.node.value("intent") {
        case "order", "original-order", "instance-order", "filler-order": return .order
        case "proposal", "plan", "directive": return .proposal
        case nil:
            error(.inboundMissing, "the referral has no intent", path)
        default:
            error(.inboundInvalidValue, "the intent must be an order or a proposal", path)
        }
        return nil
    }

    /// The Task's status (task-status), else the ServiceRequest's.
    private mutating func readStatus(task: InboundResource?) -> ReferralRecord.Status? {
        if let task, let status = task.node.value("status") {
            switch status {
            case "entered-in-error":
                error(.inboundInvalidValue, "the referral's Task is marked entered-in-error", task.path + ".status")
                return nil
            case "draft": return .requested
            case "ready": return .accepted
            case "on-hold": return .inProgress
            case "failed": return .rejected
            default:
                if let s = ReferralRecord.Status(rawValue: status) { return s }
                error(.inboundInvalidValue, "not a task-status code", task.path + ".status")
                return nil
            }
        }
        switch request.node.value("status") {
        case "revoked": return .cancelled
        case "completed": return .completed
        case "draft", "active", "on-hold", "unknown": return .requested
        case nil:
            error(.inboundMissing, "the referral has no status", request.path + ".status")
        default:
            error(.inboundInvalidValue, "not a request-status code", request.path + ".status")
        }
        return nil
    }
}
