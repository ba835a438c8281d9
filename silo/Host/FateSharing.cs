using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.PoolHost;

/// <summary>
/// Ends this process when its parent (the process of the main pool) ends, as Xoscar's <c>fate_sharing.py</c> does:
/// on Linux the kernel sends SIGKILL at once (<c>PR_SET_PDEATHSIG</c>); everywhere the parent is also polled every
/// 100 ms and this process exits with code 233 when it is gone.
/// </summary>
internal static partial class FateSharing
{
    private const int PrSetPdeathsig = 1;
    private const int SigKill = 9;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Binds this process's life to that of process <paramref name="parentId"/>.</summary>
    public static void Bind(int parentId, ILogger logger)
    {
        if (OperatingSystem.IsLinux()) _ = prctl(PrSetPdeathsig, SigKill, 0, 0, 0);
        // The parent may have died before prctl took effect: then the poll below ends this process at its first pass.
        var direct = OperatingSystem.IsLinux() && getppid() == parentId;
        _ = Task.Run(() => WatchAsync(parentId, direct, logger));
    }

    private static async Task WatchAsync(int parentId, bool direct, ILogger logger)
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            // A direct child is re-parented when its parent dies: a different parent id says so even if the pid was reused.
            if (direct ? getppid() != parentId : ProcessState.HasEnded(parentId))
            {
                LogParentDied(logger, parentId);
                Exit(PoolHostProtocol.ParentDiedExitCode);
            }
        }
        while (await timer.WaitForNextTickAsync());
    }

    /// <summary>Ends this process at once with <paramref name="code"/>.</summary>
    public static void Exit(int code)
    {
        // No graceful shutdown: the cluster's primary is gone, and leaving it would only wait for time-outs.
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        _exit(code);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("libc")]
    private static extern void _exit(int status);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Parent process {ParentId} is gone; this pool exits")]
    private static partial void LogParentDied(ILogger logger, int parentId);
}
