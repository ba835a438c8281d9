using System.Diagnostics;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Testing;

/// <summary>Stops an actor pool for good: its graceful stop, then an end to any sub pool process that outlived it.</summary>
internal static class SubPoolProcesses
{
    /// <summary>Stops <paramref name="pool"/>, then kills any of its sub pool processes that outlived the stop.</summary>
    public static async Task StopAsync(ActorPool pool)
    {
        var subPools = pool.SubPoolProcessIds;
        try
        {
            await pool.DisposeAsync();
        }
        finally
        {
            KillIfRunning(subPools);
        }
    }

    /// <summary>Kills every process of <paramref name="processIds"/> that still runs.</summary>
    public static void KillIfRunning(IEnumerable<int> processIds)
    {
        foreach (var id in processIds.Where(id => !ProcessState.HasEnded(id)))
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // ended meanwhile
            }
        }
    }
}
