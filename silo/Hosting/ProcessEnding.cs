namespace Xoscar.Orleans.Silo;

/// <summary>How a pool process ended, in words, from its exit code (on Unix, 128 + n for a death by signal n).</summary>
internal static class ProcessEnding
{
    public static string Describe(int exitCode) => exitCode switch
    {
        0 => "exited normally",
        PoolHostProtocol.ParentDiedExitCode => "exited because its parent process (its main pool) had ended",
        PoolHostProtocol.PortInUseExitCode => "exited because its port was in use by another process or pool",
        128 + 9 => "was killed by SIGKILL (kill -9, or the kernel's out-of-memory killer when memory ran out)",
        128 + 6 => "aborted with SIGABRT (a fatal runtime error, Environment.FailFast, or a native crash)",
        128 + 11 => "crashed with SIGSEGV (a native memory fault)",
        128 + 15 => "was terminated by SIGTERM from outside",
        128 + 2 => "was interrupted by SIGINT",
        > 128 and < 128 + 65 => $"was killed by signal {exitCode - 128}",
        _ => $"exited with code {exitCode}",
    };

    /// <summary>The signal that ended a process with <paramref name="exitCode"/> (<c>SIGKILL</c>, ...), or null where none did.</summary>
    public static string? SignalOf(int? exitCode) => exitCode is > 128 and < 128 + 65 and var code
        ? (code - 128) switch
        {
            1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL",
            11 => "SIGSEGV", 13 => "SIGPIPE", 14 => "SIGALRM", 15 => "SIGTERM", var other => $"signal {other}",
        }
        : null;
}
