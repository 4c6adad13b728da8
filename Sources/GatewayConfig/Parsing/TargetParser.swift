/// Reads one entry of `targets`.
struct TargetParser {
    let parser: ConfigurationParser

    static let keys = [
        "name", "baseURL", "format", "recipient", "auth", "tls", "capabilities", "maxBundleEntries", "pull",
    ]

    func parse(_ node: ConfigNode) throws(ConfigError) -> TargetConfiguration {
        let entries = try node.mapping(allowed: Self.keys)
        let nameNode = try entries.required("name")
        let name = try nameNode.string()
        guard name.unicodeScalars.allSatisfy(Self.isNameCharacter), name.count <= 64 else {
            throw nameNode.error(.invalidValue, "use at most 64 letters, digits, '.', '_' or '-'")
        }
        var target = TargetConfiguration(
            name: name, baseURL: try URLCheck.url(try entries.required("baseURL"), schemes: ["https"]))
        if let format = entries["format"] {
            target.format = TargetFormat(rawValue: try format.choice(TargetFormat.allCases.map(\.rawValue))) ?? .json
        }
        if let recipient = entries["recipient"] { target.recipient = try parseRecipient(recipient) }
        if let auth = entries["auth"] { target.auth = try parseAuth(auth) }
        if let tls = entries["tls"] { target.tls = try parseTLS(tls) }
        if let capabilities = entries["capabilities"] { target.capabilities = try parseCapabilities(capabilities) }
        if let limit = entries["maxBundleEntries"] { target.maxBundleEntries = try limit.integer(in: 1...10_000) }
        if let pull = entries["pull"] {
            let pullEntries = try pull.mapping(allowed: ["referrals"])
            if let referrals = pullEntries["referrals"] { target.pull.referrals = try referrals.bool() }
        }
        return target
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "_" || scalar == "-")
    }

    private func parseRecipient(_ node: ConfigNode) throws(ConfigError) -> RecipientConfiguration {
        if case .scalar = node.node { return .organization(try node.string()) }
        let entries = try node.mapping(allowed: ["organization", "practitioner"])
        switch (entries["organization"], entries["practitioner"]) {
        case (let organization?, nil): return .organization(try organization.string())
        case (nil, let practitioner?): return .practitioner(try practitioner.string())
        case (_?, _?): throw node.error(.invalidValue, "give either organization or practitioner, not both")
        case (nil, nil): throw node.error(.missingKey, "give organization or practitioner")
        }
    }

    private func parseAuth(_ node: ConfigNode) throws(ConfigError) -> TargetAuth {
        // The type decides which other keys belong; read it first from an unchecked look.
        let typeNode = try node.mapping(allowed: Self.authKeys).required("type")
        let type = try typeNode.choice(["smart", "bearer", "basic", "none"])
        switch type {
        case "smart":
            let entries = try node.mapping(allowed: ["type", "clientId", "keyFile", "scopes", "tokenEndpoint"])
            let scopesNode = try entries.required("scopes")
            let scopes = try scopesNode.strings(splitting: true)
            guard !scopes.isEmpty else { throw scopesNode.error(.invalidValue, "name at least one scope") }
            var settings = SMARTSettings(
                clientId: try entries.required("clientId").string(),
                keyFile: parser.resolve(try entries.required("keyFile").string()), scopes: scopes)
            if let endpoint = entries["tokenEndpoint"] {
                settings.tokenEndpoint = try URLCheck.url(endpoint, schemes: ["https"])
            }
            return .smart(settings)
        case "bearer":
            let entries = try node.mapping(allowed: ["type", "token"])
            return .bearer(token: try SecretParser(parser: parser).parse(try entries.required("token")))
        case "basic":
            let entries = try node.mapping(allowed: ["type", "username", "password"])
            return .basic(
                username: try entries.required("username").string(),
                password: try SecretParser(parser: parser).parse(try entries.required("password")))
        default:
            _ = try node.mapping(allowed: ["type"])
            return .none
        }
    }

    /// Every key some auth type has (the type's own list is checked once the type is known).
    private static let authKeys = [
        "type", "clientId", "keyFile", "scopes", "tokenEndpoint", "token", "username", "password",
    ]

    private func parseTLS(_ node: ConfigNode) throws(ConfigError) -> TLSSettings {
        let entries = try node.mapping(allowed: [
            "caFile", "clientCertificate", "clientKey", "clientKeyPassword", "pinnedPublicKeys",
        ])
        var tls = TLSSettings()
        if let value = entries["caFile"] { tls.caFile = parser.resolve(try value.string()) }
        if let value = entries["clientCertificate"] { tls.clientCertificate = parser.resolve(try value.string()) }
        if let value = entries["clientKey"] {
            guard tls.clientCertificate != nil else {
                throw value.error(.invalidValue, "a client key needs tls.clientCertificate")
            }
            tls.clientKey = parser.resolve(try value.string())
        }
        if let value = entries["clientKeyPassword"] {
            guard tls.clientCertificate != nil else {
                throw value.error(.invalidValue, "a client key password needs tls.clientCertificate")
            }
            tls.clientKeyPassword = try SecretParser(parser: parser).parse(value)
        }
        if let value = entries["pinnedPublicKeys"] {
            for item in try value.list() {
                let pin = try item.string()
                guard pin.hasPrefix("sha256//"), pin.count > 8 else {
                    throw item.error(.invalidValue, "expected sha256//<base64 of the public key's SHA-256>")
                }
                tls.pinnedPublicKeys.append(pin)
            }
        }
        return tls
    }

    private func parseCapabilities(_ node: ConfigNode) throws(ConfigError) -> CapabilitySource {
        let entries = try node.mapping(allowed: ["source", "file"])
        let source = try entries["source"]?.choice(["server", "declared"]) ?? "server"
        if source == "declared" {
            return .declared(file: parser.resolve(try entries.required("file").string()))
        }
        if let file = entries["file"] {
            throw file.error(.invalidValue, "a file is only read with source: declared")
        }
        return .server
    }
}

/// Reads a secret: `{file: path}` or `{env: NAME}`, never the secret itself.
struct SecretParser {
    let parser: ConfigurationParser

    func parse(_ node: ConfigNode) throws(ConfigError) -> SecretSource {
        if case .scalar = node.node {
            throw node.error(
                .inlineSecret,
                "secrets are not written in the configuration (it is read by many and copied around): "
                    + "use {file: path} or {env: NAME}")
        }
        let entries = try node.mapping(allowed: ["file", "env"])
        switch (entries["file"], entries["env"]) {
        case (let file?, nil):
            return .file(parser.resolve(try file.string()))
        case (nil, let env?):
            let name = try env.string()
            guard Self.isVariableName(name) else {
                throw env.error(.invalidValue, "expected an environment variable name (letters, digits, '_')")
            }
            return .environment(name)
        case (_?, _?):
            throw node.error(.invalidValue, "give either file or env, not both")
        case (nil, nil):
            throw node.error(.missingKey, "give file or env")
        }
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII
                && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_")
        }
    }
}

/// URLs of the configuration: a scheme from a short list and a host, no spaces; the trailing
/// slash is dropped. The message never repeats the value.
enum URLCheck {
    static func url(_ node: ConfigNode, schemes: [String]) throws(ConfigError) -> String {
        var text = try node.string()
        let expected = schemes.map { "\($0)://" }.joined(separator: " or ")
        guard let scheme = schemes.first(where: { text.lowercased().hasPrefix("\($0)://") }) else {
            throw node.error(.invalidValue, "expected an \(expected) URL")
        }
        let rest = text.dropFirst(scheme.count + 3)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !text.contains(where: { $0.isWhitespace }), !host.contains("@") else {
            throw node.error(.invalidValue, "expected an \(expected) URL with a host (and no user info or spaces)")
        }
        while text.hasSuffix("/") && text.count > scheme.count + 3 + host.count { text.removeLast() }
        return text
    }
}
