import ClinicRecords
import FHIRModel

/// What the translator works out for one constant-rate segment.
public struct SegmentDose: Sendable, Hashable {
    /// The drug rate in mg/h: recorded, else mg/kg/h x body weight, else pump mL/h x bag
    /// concentration.
    public var mgPerHour: FHIRDecimal?
    /// The dose sent: the recorded one when there is one, else ``computedDoseMg``.
    public var doseMg: FHIRDecimal?
    /// mg/h x duration, rounded to 2 decimals (nil without a rate).
    public var computedDoseMg: FHIRDecimal?
    /// A recorded dose that differs from ``computedDoseMg`` beyond the tolerance.
    public var doseMismatch: Bool = false
    /// Recorded rates (mg/h, mg/kg/h with the weight, mL/h with the bag) that disagree beyond the
    /// tolerance.
    public var rateMismatch: Bool = false
}

/// The clinical computations on doses (section 1.7, 7.1):
///
/// - body weight in `[lb_av]` is converted with 1 lb = 0.45359237 kg (2 decimals);
/// - `mg/h = mg/kg/h x kg`, and `mg/h = mL/h x bag mg / bag mL`;
/// - a segment's dose is `mg/h x duration` (2 decimals) when only rates are recorded;
/// - tolerances: a recorded dose agrees with the computed one within 0.1 mg or 2 %, whichever
///   is larger (staff round to one decimal); two rates agree within 0.1 mg/h or 2 %.
///
/// When both are recorded and disagree, the recorded dose is what was delivered and is sent;
/// the mismatch is reported.
public enum DoseCalculator {
    public static let absoluteDoseTolerance = FHIRDecimal("0.1") ?? FHIRDecimal(0)
    public static let relativeTolerance = FHIRDecimal("0.02") ?? FHIRDecimal(0)
    static let poundInKg = FHIRDecimal("0.45359237") ?? FHIRDecimal(0)

    /// The body weight in kg.
    public static func weightKg(_ q: RecordQuantity) -> FHIRDecimal? {
        switch q.unit {
        case .kg: q.value
        case .pound: q.value.multiplied(by: poundInKg).flatMap { DecimalMath.rounded($0, places: 2) }
        default: nil
        }
    }

    /// A bolus dose in mg (`mg/kg` x weight, 2 decimals).
    public static func bolusMg(_ dose: RecordQuantity, weightKg: FHIRDecimal?) -> FHIRDecimal? {
        switch dose.unit {
        case .mg: return dose.value
        case .mgPerKg:
            guard let weightKg, let mg = dose.value.multiplied(by: weightKg) else { return nil }
            return DecimalMath.rounded(mg, places: 2)
        default: return nil
        }
    }

    /// The rate, dose and checks of one segment.
    public static func segment(
        _ s: InfusionSessionRecord.Segment, weightKg: FHIRDecimal?, bag: (drugMg: FHIRDecimal, volumeMl: FHIRDecimal)?
    ) -> SegmentDose {
        var out = SegmentDose()
        let fromWeight = s.rateMgPerKgPerHour.flatMap { rate in weightKg.flatMap { DecimalMath.product(rate, $0) } }
        let fromPump = s.pumpRateMlPerHour.flatMap { pump in
            bag.flatMap { bag in
                pump.multiplied(by: bag.drugMg).flatMap { DecimalMath.quotient($0, bag.volumeMl, places: 4) }
            }
        }
        let candidates = [s.rateMgPerHour, fromWeight, fromPump].compactMap { $0 }
        out.mgPerHour = candidates.first
        if let chosen = out.mgPerHour {
            out.rateMismatch = candidates.dropFirst().contains {
                !DecimalMath.agrees($0, chosen, absolute: absoluteDoseTolerance, relative: relativeTolerance)
            }
            if let seconds = DecimalMath.seconds(from: s.start, to: s.end),
                let amount = chosen.multiplied(by: FHIRDecimal(seconds))
            {
                out.computedDoseMg = DecimalMath.quotient(amount, FHIRDecimal(3600), places: 2)
            }
        }
        out.doseMg = s.doseMg ?? out.computedDoseMg
        if let recorded = s.doseMg, let computed = out.computedDoseMg {
            out.doseMismatch = !DecimalMath.agrees(
                recorded, computed, absolute: absoluteDoseTolerance, relative: relativeTolerance)
        }
        return out
    }
}
