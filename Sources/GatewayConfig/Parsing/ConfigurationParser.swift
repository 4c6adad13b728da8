import Yams

/// Turns configuration text into a ``GatewayConfiguration``: Yams composes a node tree (which keeps
/// line:column marks), and each section is read from it strictly.
struct ConfigurationParser {
    let context: ConfigContext

    func parse(_ yaml: String) throws(ConfigError) -> GatewayConfiguration {
        if let place = YAMLGuards.tooDeep(yaml) {
            throw context.error(.syntax, "nesting is too deep", line: place.line, column: place.column, path: "")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, yaml: yaml)
        }
        var configuration = GatewayConfiguration()
        configuration.store.path = resolve(StoreSettings.defaultPath)
        guard let root else { return configuration }
        let top = try ConfigNode(node: root, path: "", context: context).mapping(allowed: [
            "store", "clinic", "retry", "concurrency", "targets",
        ])
        if let store = top["store"] {
            let entries = try store.mapping(allowed: ["path"])
            if let path = entries["path"] { configuration.store.path = resolve(try path.string()) }
        }
        if let clinic = top["clinic"] {
            configuration.clinic = try parseClinic(clinic)
        }
        if let retry = top["retry"] {
            configuration.retry = try parseRetry(retry)
        }
        if let concurrency = top["concurrency"] {
            configuration.concurrency = try concurrency.integer(in: 1...64)
        }
        if let targets = top["targets"] {
            var names: Set<String> = []
            for item in try targets.list() {
                let target = try TargetParser(parser: self).parse(item)
                guard names.insert(target.name).inserted else {
                    let nameNode = try item.mapping(allowed: TargetParser.keys).required("name")
                    throw nameNode.error(.invalidValue, "another target has the same name")
                }
                configuration.targets.append(target)
            }
        }
        return configuration
    }

    /// A path from the file, resolved against the file's folder.
    func resolve(_ path: String) -> String {
        PathResolution.resolve(path, against: context.baseDirectory)
    }

    private func parseClinic(_ node: ConfigNode) throws(ConfigError) -> ClinicSettings {
        let entries = try node.mapping(allowed: ["base", "organization"])
        var clinic = ClinicSettings()
        if let base = entries["base"] {
            clinic.base = try URLCheck.url(base, schemes: ["https", "http"])
        }
        if let organization = entries["organization"] { clinic.organization = try organization.string() }
        return clinic
    }

    private func parseRetry(_ node: ConfigNode) throws(ConfigError) -> RetrySettings {
        let entries = try node.mapping(allowed: ["maxAttempts", "initialDelay", "maxDelay", "multiplier"])
        var retry = RetrySettings()
        if let value = entries["maxAttempts"] { retry.maxAttempts = try value.integer(in: 1...100) }
        if let value = entries["initialDelay"] {
            retry.initialDelay = try value.duration(in: .milliseconds(1)...(.seconds(3600)))
        }
        if let value = entries["maxDelay"] {
            retry.maxDelay = try value.duration(in: .milliseconds(1)...(.seconds(86_400)))
            guard retry.maxDelay >= retry.initialDelay else {
                throw value.error(.invalidValue, "must not be shorter than initialDelay")
            }
        } else if retry.maxDelay < retry.initialDelay {
            retry.maxDelay = retry.initialDelay
        }
        if let value = entries["multiplier"] { retry.multiplier = try value.number(in: 1...10) }
        return retry
    }

    /// A Yams error as a ``ConfigError`` with the place; libyaml's problem text names what it
    /// expected, never the file's content (the snippet Yams would print is left out).
    private func syntaxError(_ error: any Error, yaml: String) -> ConfigError {
        func located(_ problem: String, _ mark: Mark) -> ConfigError {
            context.error(.syntax, problem, line: mark.line, column: mark.column, path: "")
        }
        guard let yamlError = error as? YamlError else {
            return context.error(.syntax, "not valid YAML", line: nil, column: nil, path: "")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return located(problem, mark)
        case .duplicatedKeysInMapping(let duplicates, let yamsContext):
            let key = duplicates.first ?? ""
            let path = YAMLGuards.duplicateKeyPath(yaml, key: key, mark: yamsContext.mark) ?? key
            return context.error(
                .duplicateKey, "the key appears twice", line: yamsContext.mark.line, column: yamsContext.mark.column,
                path: path)
        case .reader(let problem, _, _, _):
            return context.error(.syntax, problem, line: nil, column: nil, path: "")
        default:
            return context.error(.syntax, "not valid YAML", line: nil, column: nil, path: "")
        }
    }
}
