import FHIRGate
import FHIRGateTesting

/// The validator suite's tallies and its Markdown report, which lists every disagreement with our
/// issues and the Java validator's errors side by side, for triage.
struct ValidatorSuiteReport {
    let results: [ValidatorSuiteResult]
    /// The validator folder (for the Java outcome files).
    let folder: String

    var exact: Int { results.filter(\.exact).count }
    var validity: Int { results.filter(\.validity).count }

    /// Per module, in first-seen order: (module, cases, exact, validity).
    var modules: [(name: String, cases: Int, exact: Int, validity: Int)] {
        var order: [String] = []
        var rows: [String: (Int, Int, Int)] = [:]
        for r in results {
            let m = r.testCase.module
            if rows[m] == nil { order.append(m) }
            var row = rows[m] ?? (0, 0, 0)
            row.0 += 1
            if r.exact { row.1 += 1 }
            if r.validity { row.2 += 1 }
            rows[m] = row
        }
        return order.map { m in
            let row = rows[m] ?? (0, 0, 0)
            return (m, row.0, row.1, row.2)
        }
    }

    /// The per-module table as aligned text (for the test log).
    func table() -> String {
        var lines = ["  module          cases  exact  valid/invalid"]
        for m in modules {
            lines.append(
                "  " + pad(m.name, 14) + " " + left(m.cases, 6) + " " + left(m.exact, 6) + " " + left(m.validity, 14))
        }
        return lines.joined(separator: "\n")
    }

    func markdown() -> String {
        let total = results.count
        var out = "# Validator conformance: \(total) R4 cases of ../shared/corpora/validator\n\n"
        out += "- exact error-count agreement: \(exact)/\(total) (\(percent(exact, total)))\n"
        out += "- valid/invalid agreement: \(validity)/\(total) (\(percent(validity, total)))\n\n"
        out += "A case agrees when our error + fatal count (reader + validator) equals the Java validator's, "
        out += "for the base validation and, when the case names a profile, for the validation against it.\n\n"
        out += "| module | cases | exact | valid/invalid |\n|---|---:|---:|---:|\n"
        for m in modules { out += "| \(m.name) | \(m.cases) | \(m.exact) | \(m.validity) |\n" }
        let disagreements = results.filter { !$0.exact }
        out += "\n## Disagreements (\(disagreements.count))\n"
        for r in disagreements { out += section(r) }
        return out
    }

    private func section(_ r: ValidatorSuiteResult) -> String {
        let c = r.testCase
        var out = "\n### \(c.name) (\(c.module))\n\n"
        out += "file `\(c.file)`"
        if !c.supporting.isEmpty { out += "; supporting " + c.supporting.map { "`\($0)`" }.joined(separator: ", ") }
        out += "\n"
        if !r.base.exact {
            out += run("base", r.base, outcome: c.expectedOutcome)
        }
        if let profile = r.profile, !profile.exact {
            out += run(
                "profile " + (r.profileURL.map { "`\($0)`" } ?? "`\(c.profile ?? "?")`"), profile,
                outcome: c.profileOutcome)
        }
        return out
    }

    private func run(_ title: String, _ run: ValidatorSuiteResult.Run, outcome: String?) -> String {
        var out = "\n**\(title)**: expected \(run.expected), ours \(run.count)"
        if !run.validity { out += " (valid/invalid differs)" }
        out += "\n\n"
        if let note = run.note { out += "note: \(cell(note))\n\n" }
        let ours = run.errors.map { issue -> String in
            var text = "`\(issue.code.rawValue)` \(issue.path ?? "-")"
            if let p = issue.position, p.isKnown { text += " @\(p)" }
            return text + ": " + issue.message
        }
        let theirs = outcome.map { ValidatorSuiteCase.javaErrors(outcome: folder + "/" + $0) } ?? []
        guard !ours.isEmpty || !theirs.isEmpty else { return out + "(no errors on either side)\n" }
        out += "| ours | Java |\n|---|---|\n"
        for i in 0..<max(ours.count, theirs.count) {
            let a = i < ours.count ? cell(ours[i]) : ""
            let b = i < theirs.count ? cell(theirs[i]) : ""
            out += "| \(a) | \(b) |\n"
        }
        return out
    }

    /// Text safe in a Markdown table cell.
    private func cell(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    private func percent(_ n: Int, _ total: Int) -> String {
        guard total > 0 else { return "-" }
        let tenths = (n * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    private func left(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
