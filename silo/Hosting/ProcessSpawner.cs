using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Starts child processes from one thread that lives as long as this process. Linux delivers a child's
/// <c>PR_SET_PDEATHSIG</c> signal when the <em>thread</em> that forked it ends, and pool threads do end when idle:
/// forking from a thread-pool thread would kill sub pools at random.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = new();

    static ProcessSpawner()
    {
        new Thread(Run) { IsBackground = true, Name = "xoscar-process-spawner" }.Start();
    }

    /// <summary>Starts the process described by <paramref name="start"/> on the spawner thread.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"'{start.FileName}' did not start."));
            }
            catch (Exception error)
            {
                started.SetException(error);
            }
        }
    }
}
