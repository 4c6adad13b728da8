import ArgumentParser

/// Exit codes shared by every command: 0 success, 1 findings, 2 usage or input error.
public enum FHIRGateExit {
    public static let success = ExitCode(0)
    public static let findings = ExitCode(1)
    public static let inputError = ExitCode(2)
}
