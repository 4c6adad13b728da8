import FHIRModel

/// Ordering of Date and DateTime values as FHIRPath operators use it.
enum FHIRPathTemporalOrder {
    /// The order of two date-times, `nil` when unknown: different precisions with equal shared
    /// parts, or one value with a time zone and one without when the environment names no
    /// default zone to assume.
    static func compare(_ x: FHIRDateTime, _ y: FHIRDateTime, context: EvaluationContext?) -> FHIRComparison? {
        let assumed = context?.environment.defaultTimeZone
        if assumed == nil, x.hasTime, y.hasTime, (x.timeZoneOffset == nil) != (y.timeZoneOffset == nil) {
            return nil
        }
        return x.compare(y, assumingOffset: assumed)
    }
}
