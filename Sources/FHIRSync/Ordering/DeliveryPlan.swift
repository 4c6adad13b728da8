import ClinicMapping

/// Resources delivered together and in order: one patient's, or the shared ones.
public struct DeliveryGroup: Sendable {
    /// ``DeliveryOrder/sharedKey``, ``DeliveryOrder/crossPatientKey``, or the Patient id.
    public var key: String
    /// In delivery order: every reference to a resource of the group points to one before it
    /// (except where ``DeliveryPlan/cycles`` says a cycle was broken).
    public var resources: [TranslatedResource]

    public init(key: String, resources: [TranslatedResource]) {
        self.key = key
        self.resources = resources
    }
}

/// The result of ``DeliveryOrder/plan(_:)``.
public struct DeliveryPlan: Sendable {
    /// The shared group first (when there is one), then one group per patient in order of first
    /// appearance, then the cross-patient group (when there is one).
    public var groups: [DeliveryGroup]
    /// The reference cycles that were broken, each as `Type/id`s starting with the resource that
    /// was delivered before what it refers to.
    public var cycles: [[String]]

    public init(groups: [DeliveryGroup], cycles: [[String]]) {
        self.groups = groups
        self.cycles = cycles
    }
}
