import FHIRModel

extension InfusionSessionRecord {
    typealias Window = (start: FHIRDateTime?, end: FHIRDateTime?)

    static func read(_ f: Fields) -> InfusionSessionRecord? {
        let id = f.identifier("id", required: true)
        let patientId = f.identifier("patientId", required: true)
        let courseId = f.identifier("courseId", required: true)
        let route = f.code("route", AdministrationRoute.self, required: true)
        let start = f.dateTime("start", required: true)
        let end = f.dateTime("end")
        f.checkOrder(start, end, laterKey: "end")
        let status = f.code("status", Status.self, required: true)
        let statusReason = f.text("statusReason")
        checkStatus(f, status: status, end: end, hasReason: statusReason != nil)
        let performers = f.objects("performers", required: true, nonEmpty: true) { g, _ -> Performer? in
            let practitionerId = g.identifier("practitionerId", required: true)
            let role = g.code("role", Performer.Role.self, required: true)
            guard let practitionerId, let role else { return nil }
            return Performer(practitionerId: practitionerId, role: role)
        }
        let product = readProduct(f, route: route)
        let weight = f.object("bodyWeight") { g -> BodyWeight? in
            let quantity = g.quantity("quantity", units: [.kg, .pound], required: true)
            let measuredAt = g.dateTime("measuredAt", required: true)
            if let quantity, quantity.value < FHIRDecimal(quantity.unit == .kg ? 20 : 44) {
                let minimum = quantity.unit == .kg ? "20 kg" : "44 [lb_av]"
                g.fail("quantity", .recordImpossibleValue, "below the plausible minimum body weight of \(minimum)")
            }
            if let measuredAt, let start, measuredAt.compare(start) == .greater {
                g.fail("measuredAt", .recordImpossibleValue, "the weight used must be measured before the session")
            }
            guard let quantity, let measuredAt else { return nil }
            return BodyWeight(quantity: quantity, measuredAt: measuredAt)
        }
        let window: Window = (start, end)
        let segments = readSegments(f, window: window, route: route)
        let boluses = f.objects("boluses") { g, _ -> Bolus? in
            let time = g.dateTime("time", required: true)
            let dose = g.quantity("dose", units: [.mg, .mgPerKg], required: true)
            checkWithin(g, "time", time, window)
            guard let time, let dose else { return nil }
            return Bolus(time: time, dose: dose)
        }
        let nasal = f.objects("nasalDevices") { g, _ -> NasalDevice? in
            let time = g.dateTime("time", required: true)
            let dose = g.decimal("doseMg", .positive(max: 100, "mg"), required: true)
            checkWithin(g, "time", time, window)
            guard let time, let dose else { return nil }
            return NasalDevice(time: time, doseMg: dose)
        }
        let vitals = f.objects("vitals") { g, _ in readVitals(g, window: window) }
        let sideEffects = f.objects("sideEffects") { g, _ in readSideEffect(g, start: start) }
        checkRouteContents(f, route: route, status: status, segments: segments, boluses: boluses, nasal: nasal)
        checkWeightNeeded(f, weight: weight, segments: segments, boluses: boluses)
        guard let id, let patientId, let courseId, let route, let start, let status, let performers, let product
        else { return nil }
        return InfusionSessionRecord(
            id: id, patientId: patientId, courseId: courseId, route: route, start: start, end: end, status: status,
            statusReason: statusReason, performers: performers, product: product, bodyWeight: weight,
            administrations: segments ?? [], boluses: boluses ?? [], nasalDevices: nasal ?? [], vitals: vitals ?? [],
            sideEffects: sideEffects ?? [])
    }

    private static func checkStatus(_ f: Fields, status: Status?, end: FHIRDateTime?, hasReason: Bool) {
        guard let status else { return }
        switch status {
        case .stopped, .notDone:
            if !hasReason && !f.has("statusReason") {
                f.diagnostics.error(
                    .recordMissingField, "a stopped or not-done session needs a statusReason",
                    path: f.childPath("statusReason"), at: f.position)
            }
        default:
            if f.has("statusReason") {
                f.fail("statusReason", .recordInvalidValue, "only stopped or not-done sessions have a statusReason")
            }
        }
        if (status == .completed || status == .stopped) && end == nil && !f.has("end") {
            f.diagnostics.error(
                .recordMissingField, "a completed or stopped session needs an end", path: f.childPath("end"),
                at: f.position)
        }
    }

    private static func readProduct(_ f: Fields, route: AdministrationRoute?) -> Product? {
        let bag = f.object("bag") { g -> Product? in
            let drug = g.decimal("drugMg", .positive(max: 1_000, "mg"), required: true)
            let volume = g.decimal("volumeMl", .positive(max: 1_000, "mL"), required: true)
            let diluent = g.string("diluent")
            let ndc = g.formatted("vialNdc", .ndc)
            guard let drug, let volume else { return nil }
            return .bag(drugMg: drug, volumeMl: volume, diluent: diluent, vialNdc: ndc)
        }
        let device = f.object("device") { g -> Product? in
            let ndc = g.formatted("ndc", .ndc, required: true)
            let description = g.string("description")
            guard let ndc else { return nil }
            return .device(ndc: ndc, description: description)
        }
        switch (f.has("bag"), f.has("device")) {
        case (true, true):
            f.fail("device", .recordInvalidValue, "a session has a bag or a device, not both")
            return nil
        case (false, false):
            let which = route == .iv ? "bag" : "device"
            f.diagnostics.error(
                .recordMissingField, "the session needs a \(which) (what was given)", path: f.childPath(which),
                at: f.position)
            return nil
        case (true, false):
            if let route, route != .iv { f.fail("bag", .recordInvalidValue, "a bag is only used for the iv route") }
            return bag
        case (false, true):
            if route == .iv { f.fail("device", .recordInvalidValue, "the iv route uses a bag, not a device") }
            return device
        }
    }

    private static func readSegments(_ f: Fields, window: Window, route: AdministrationRoute?) -> [Segment]? {
        var previousEnd: FHIRDateTime?
        return f.objects("administrations") { g, _ -> Segment? in
            let start = g.dateTime("start", required: true)
            let end = g.dateTime("end", required: true)
            let ordered = g.checkOrder(start, end, laterKey: "end")
            checkWithin(g, "start", start, window)
            if ordered { checkWithin(g, "end", end, window) }
            if let previousEnd, let start, start.compare(previousEnd) == .less {
                g.fail("start", .recordImpossibleValue, "overlaps the previous segment (segments are in time order)")
            }
            if let end { previousEnd = end }
            var rates: [RecordUnit: FHIRDecimal] = [:]
            _ = g.array("rates", required: true, nonEmpty: true) { node, path -> RecordQuantity? in
                let q = RecordQuantity.read(
                    node, units: [.mgPerKgPerHour, .mgPerHour, .mLPerHour], path: path, diagnostics: g.diagnostics)
                if let q {
                    if rates[q.unit] != nil {
                        g.diagnostics.error(
                            .recordInvalidValue, "a second rate in the same unit", path: path, at: node.position)
                    }
                    rates[q.unit] = q.value
                }
                return q
            }
            let dose = g.quantity("dose", units: [.mg])
            guard let start, let end else { return nil }
            return Segment(
                start: start, end: end, rateMgPerKgPerHour: rates[.mgPerKgPerHour], rateMgPerHour: rates[.mgPerHour],
                pumpRateMlPerHour: rates[.mLPerHour], doseMg: dose?.value)
        }
    }

    private static func readVitals(_ g: Fields, window: Window) -> VitalSigns? {
        let time = g.dateTime("time", required: true)
        let phase = g.code("phase", VitalSigns.Phase.self, required: true)
        let systolic = g.decimal("systolicMmHg", .between(40, 300, "mmHg"))
        let diastolic = g.decimal("diastolicMmHg", .between(20, 200, "mmHg"))
        let heartRate = g.decimal("heartRatePerMin", .between(20, 250, "/min"))
        let spo2 = g.decimal("spo2Percent", .between(50, 100, "%"))
        let respiratory = g.decimal("respiratoryRatePerMin", .between(4, 60, "/min"))
        let temperature = g.decimal("temperatureCel", .between(30, 45, "Cel"))
        let keys = [
            "systolicMmHg", "diastolicMmHg", "heartRatePerMin", "spo2Percent", "respiratoryRatePerMin",
            "temperatureCel",
        ]
        if !keys.contains(where: g.has) {
            g.diagnostics.error(
                .recordMissingField, "a vitals entry needs at least one measurement", path: g.path, at: g.position)
        }
        if g.has("systolicMmHg") != g.has("diastolicMmHg") {
            let missing = g.has("systolicMmHg") ? "diastolicMmHg" : "systolicMmHg"
            g.diagnostics.error(
                .recordMissingField, "blood pressure needs both systolic and diastolic", path: g.childPath(missing),
                at: g.position)
        }
        if let systolic, let diastolic, diastolic >= systolic {
            g.fail("diastolicMmHg", .recordImpossibleValue, "the diastolic pressure must be below the systolic")
        }
        if phase == .intra { checkWithin(g, "time", time, window) }
        if phase == .pre, let time, let start = window.start, time.compare(start) == .greater {
            g.fail("time", .recordImpossibleValue, "a pre-dose reading must not be after the session start")
        }
        guard let time, let phase else { return nil }
        return VitalSigns(
            time: time, phase: phase, systolicMmHg: systolic, diastolicMmHg: diastolic, heartRatePerMin: heartRate,
            spo2Percent: spo2, respiratoryRatePerMin: respiratory, temperatureCel: temperature)
    }

    private static func readSideEffect(_ g: Fields, start: FHIRDateTime?) -> SideEffect? {
        let time = g.dateTime("time", required: true)
        let finding = g.code("findingCode", SideEffect.Finding.self)
        let text = g.text("findingText")
        let severity = g.code("severity", SideEffect.Severity.self, required: true)
        let action = g.code("action", SideEffect.Action.self, required: true)
        let actionText = g.text("actionText")
        if !g.has("findingCode") && !g.has("findingText") {
            g.diagnostics.error(
                .recordMissingField, "a side effect needs a findingCode or a findingText",
                path: g.childPath("findingCode"), at: g.position)
        }
        g.checkOrder(start, time, laterKey: "time", allowEqual: true, what: "the session start")
        guard let time, let severity, let action else { return nil }
        return SideEffect(
            time: time, finding: finding, findingText: text, severity: severity, action: action, actionText: actionText)
    }

    /// Reports a time outside the session (`start` ... `end`, or after `start` while open).
    private static func checkWithin(_ g: Fields, _ key: String, _ time: FHIRDateTime?, _ window: Window) {
        guard let time else { return }
        if let start = window.start, time.compare(start) == .less {
            g.fail(key, .recordImpossibleValue, "before the session start")
        } else if let end = window.end, time.compare(end) == .greater {
            g.fail(key, .recordImpossibleValue, "after the session end")
        }
    }

    private static func checkRouteContents(
        _ f: Fields, route: AdministrationRoute?, status: Status?, segments: [Segment]?, boluses: [Bolus]?,
        nasal: [NasalDevice]?
    ) {
        guard let route else { return }
        if route != .iv && f.has("administrations") {
            f.fail("administrations", .recordInvalidValue, "infusion segments are only given for the iv route")
        }
        if route != .nasal && f.has("nasalDevices") {
            f.fail("nasalDevices", .recordInvalidValue, "nasal devices are only given for the nasal route")
        }
        if route != .iv && route != .im && f.has("boluses") {
            f.fail("boluses", .recordInvalidValue, "boluses are only given for the iv and im routes")
        }
        guard status == .completed else { return }
        let given: Bool
        switch route {
        case .iv: given = !(segments ?? []).isEmpty || !(boluses ?? []).isEmpty || f.has("administrations")
        case .nasal: given = !(nasal ?? []).isEmpty || f.has("nasalDevices")
        default: given = true
        }
        if !given {
            let key = route == .iv ? "administrations" : "nasalDevices"
            f.diagnostics.error(
                .recordMissingField, "a completed \(route.rawValue) session records what was given",
                path: f.childPath(key), at: f.position)
        }
    }

    private static func checkWeightNeeded(_ f: Fields, weight: BodyWeight?, segments: [Segment]?, boluses: [Bolus]?) {
        guard weight == nil, !f.has("bodyWeight") else { return }
        let perKg =
            (segments ?? []).contains { $0.rateMgPerKgPerHour != nil }
            || (boluses ?? []).contains { $0.dose.unit == .mgPerKg }
        if perKg {
            f.diagnostics.error(
                .recordMissingField, "mg/kg rates or doses need the bodyWeight they were computed from",
                path: f.childPath("bodyWeight"), at: f.position)
        }
    }
}
