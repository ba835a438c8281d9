using System.Diagnostics;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>Finds out whether processes the tests did not start themselves still run, and ends them.</summary>
public static class ProcessCleanup
{
    /// <summary>Whether process <paramref name="processId"/> has ended (a zombie waiting to be reaped counts as ended).</summary>
    public static bool HasEnded(int processId) => ProcessState.HasEnded(processId);

    /// <summary>Waits up to <paramref name="timeout"/> for every process to end; the ones still running.</summary>
    public static async Task<IReadOnlyList<int>> WaitForEndAsync(IEnumerable<int> processIds, TimeSpan timeout)
    {
        // These are not our children: there is no exit event to await, so look every 50 ms.
        var running = processIds.ToList();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            running.RemoveAll(HasEnded);
            if (running.Count == 0 || clock.Elapsed >= timeout) return running;
            await Task.Delay(50);
        }
    }

    /// <summary>Stops <paramref name="pool"/>, then kills any of its sub pool processes that outlived the stop (as the testing fixture does).</summary>
    public static Task StopAsync(ActorPool pool) => SubPoolProcesses.StopAsync(pool);

    /// <summary>Kills every process of <paramref name="processIds"/> that still runs.</summary>
    public static void KillIfRunning(IEnumerable<int> processIds) => SubPoolProcesses.KillIfRunning(processIds);
}
