import ClinicMapping
import FHIRClient
import FHIRModel

/// One EHR the gateway sends to and pulls from: its client (base URL, auth, format), what it
/// accepts, and who the disclosure is to.
public struct SyncTarget: Sendable {
    /// The configuration name (`referrer-ehr`), stored with every outbox item.
    public var name: String
    public var client: FHIRClient
    /// The wire format of this target; outbox content is stored as JSON and converted when this is XML.
    public var format: FHIRFormat
    public var capabilities: TargetCapabilities
    /// The clinic record id of the recipient (consent decisions for 42 CFR Part 2 content).
    public var recipient: DisclosureRecipient?

    public init(
        name: String, client: FHIRClient, format: FHIRFormat = .json, capabilities: TargetCapabilities,
        recipient: DisclosureRecipient?
    ) {
        self.name = name
        self.client = client
        self.format = format
        self.capabilities = capabilities
        self.recipient = recipient
    }
}
