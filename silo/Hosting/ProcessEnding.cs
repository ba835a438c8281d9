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
}
