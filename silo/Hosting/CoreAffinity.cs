using System.Runtime.InteropServices;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Pins this process to one CPU core: every thread it has now (read from <c>/proc/self/task</c>) and, through
/// inheritance, every thread it starts later (Xoscar's <c>taskset</c> for <c>XOSCAR_CPU_AFFINITY</c>).
/// Setting <c>Process.ProcessorAffinity</c> alone would pin only the main thread on Linux.
/// </summary>
internal static class CoreAffinity
{
    /// <summary>Pins the process to <paramref name="core"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The machine has no such core.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static void Pin(int core)
    {
        if (core < 0 || core >= Environment.ProcessorCount || core >= 64)
        {
            throw new ArgumentOutOfRangeException(nameof(core), core, $"This machine has cores 0..{Environment.ProcessorCount - 1}.");
        }

        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Pinning a pool to a core is supported on Linux.");
        var mask = 1UL << core;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), out var threadId)) continue;
            if (SchedSetAffinity(threadId, sizeof(ulong), ref mask) != 0 && Directory.Exists(task))
            {
                throw new InvalidOperationException($"sched_setaffinity for thread {threadId} failed with errno {Marshal.GetLastPInvokeError()}.");
            }
        }
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int pid, nint cpuSetSize, ref ulong mask);
}
