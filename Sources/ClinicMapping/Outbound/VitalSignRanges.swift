import FHIRModel

/// The clinic's normal ranges for vital signs during ketamine treatment. A reading outside gets
/// `interpretation` v3-ObservationInterpretation `H` (above `high`) or `L` (below `low`); the
/// bounds themselves are normal.
///
/// Defaults (adult, resting, the usual ketamine-clinic monitoring thresholds):
/// systolic 90-140 mmHg, diastolic 60-90 mmHg (a blood pressure panel is `H` when either is high,
/// else `L` when either is low), heart rate 50-100 /min, SpO2 at least 92 %, respiratory rate
/// 10-24 /min, temperature 35.0-38.0 Cel.
public struct VitalSignRanges: Sendable {
    public struct Range: Sendable {
        public var low: FHIRDecimal?
        public var high: FHIRDecimal?
        public init(low: FHIRDecimal?, high: FHIRDecimal?) {
            self.low = low
            self.high = high
        }

        /// `H`, `L` or nil.
        public func interpretation(_ value: FHIRDecimal) -> String? {
            if let high, value > high { return "H" }
            if let low, value < low { return "L" }
            return nil
        }
    }

    public var systolic: Range
    public var diastolic: Range
    public var heartRate: Range
    public var spo2: Range
    public var respiratoryRate: Range
    public var temperature: Range

    public init(
        systolic: Range, diastolic: Range, heartRate: Range, spo2: Range, respiratoryRate: Range, temperature: Range
    ) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.heartRate = heartRate
        self.spo2 = spo2
        self.respiratoryRate = respiratoryRate
        self.temperature = temperature
    }

    private static func d(_ text: String) -> FHIRDecimal? { FHIRDecimal(text) }

    /// The defaults documented above.
    public static let clinicDefault = VitalSignRanges(
        systolic: Range(low: d("90"), high: d("140")), diastolic: Range(low: d("60"), high: d("90")),
        heartRate: Range(low: d("50"), high: d("100")), spo2: Range(low: d("92"), high: nil),
        respiratoryRate: Range(low: d("10"), high: d("24")), temperature: Range(low: d("35.0"), high: d("38.0")))
}
