/// Group keys with an order across groups. Within a group items go in `sequence` order; groups
/// are otherwise independent (one patient's failure does not hold back another's), except:
/// - ``first`` (resources every patient's group refers to: organizations, practitioners) is
///   delivered before any other group of the same target;
/// - ``last`` (resources that refer to several patients: a batch's Provenance) after every other
///   group of the same target.
/// Only open items (pending, in flight) hold other groups back: a dead letter in ``first`` does
/// not stop every patient.
public enum OutboxGroups {
    public static let first = "shared"
    public static let last = "cross-patient"
}
