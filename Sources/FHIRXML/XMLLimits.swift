/// Guards that every XML read enforces, so hostile input cannot exhaust memory or the stack.
public struct XMLLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest element nesting accepted (the narrative `div` content included). libxml2 itself
    /// stops at 256 levels, so values above 255 act as 255.
    public var maxDepth: Int

    public init(maxBytes: Int = 2 << 30, maxDepth: Int = 200) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    public static let `default` = XMLLimits()
}
