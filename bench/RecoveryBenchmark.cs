using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// How long a killed sub pool takes to come back (<c>recovery_ms</c>): an actor pool with <see cref="SubPoolRecovery.Actors"/>,
/// 20 actors in its sub pool and 100 callers calling them; the sub pool's process is SIGKILLed, and the row is the
/// median time from the kill to the first successful call on a re-created actor; <c>recovery_wait_ms</c>, to the end of
/// <see cref="ActorPool.WaitPoolRecoveredAsync"/> (what an operator waits for). <c>_loaded</c>: the
/// same with a process keeping one core busy. The baseline of both: starting one more sub pool from cold
/// (<see cref="ActorPool.AddSubPoolAsync"/>), what recovery would cost without a spare. Every error the callers saw is
/// counted by type.
/// </summary>
public sealed class RecoveryBenchmark(BenchSettings settings)
{
    private const int Actors = 20;
    private const int Callers = 100;

    // A spare starts two seconds after its sub pool and is ready about a second later: crashes are not that close together.
    private static readonly TimeSpan SpareReady = TimeSpan.FromSeconds(5);

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        foreach (var loaded in new[] { false, true })
        {
            var suffix = loaded ? "_loaded" : "";
            if (!settings.Includes("recovery_ms" + suffix) && !settings.Includes("recovery_wait_ms" + suffix)) continue;
            using var busy = loaded ? new BusyCore() : null;
            var (toCall, toRecovered, coldStart) = await MeasureAsync("recovery" + suffix, kills: settings.Rounds >= 5 ? 5 : 3);
            yield return new BenchRow("recovery_ms" + suffix, "ms", toCall, coldStart);
            yield return new BenchRow("recovery_wait_ms" + suffix, "ms", toRecovered, coldStart);
        }
    }

    private static async Task<(double ToCall, double ToRecovered, double ColdStart)> MeasureAsync(string name, int kills)
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            SubPools = 1, ClusterId = "bench-recovery", AutoRecover = SubPoolRecovery.Actors, LogLevel = LogLevel.Error,
        });
        var sub = pool.Addresses[1];
        var actors = new List<IBenchCounter>();
        for (var i = 0; i < Actors; i++) actors.Add(await pool.Context.CreateActorAsync<BenchCounter, IBenchCounter>(uid: $"survivor-{i}", address: sub));

        var errors = new ConcurrentDictionary<string, int>();
        var firstSuccess = 0L;   // Stopwatch ticks of the first success after the kill; 0 while none
        var killedAt = 0L;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    await actors[i % Actors].Add(1);
                    // Only a call sent after the kill shows the pool back: one sent before may have been answered before it.
                    var kill = Volatile.Read(ref killedAt);
                    if (kill != 0 && sent > kill) Interlocked.CompareExchange(ref firstSuccess, Stopwatch.GetTimestamp(), 0);
                }
                catch (Exception error)
                {
                    errors.AddOrUpdate(error.GetType().Name, 1, (_, n) => n + 1);
                    await Task.Delay(1);
                }
            }
        })).ToList();

        var toCall = new List<double>();
        var toRecovered = new List<double>();
        for (var kill = 0; kill < kills; kill++)
        {
            await Task.Delay(SpareReady);   // calls flow; the sub pool's spare gets ready (ActorPoolOptions.WarmSpares)
            Interlocked.Exchange(ref firstSuccess, 0);
            Process process;
            try
            {
                process = Process.GetProcessById(pool.SubPoolProcessIds[0]);
            }
            catch (ArgumentException)
            {
                throw new InvalidOperationException($"Sub pool {sub} did not come back after kill {kill} (see the log above).");
            }

            using (process)
            {
                Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
                process.Kill();
                await process.WaitForExitAsync();   // until it has ended, the pool still runs: waiting for its recovery would end at once
            }

            await pool.WaitPoolRecoveredAsync(sub).WaitAsync(TimeSpan.FromSeconds(60));
            toRecovered.Add(Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds);
            while (Interlocked.Read(ref firstSuccess) == 0) await Task.Delay(1);
            toCall.Add(Stopwatch.GetElapsedTime(killedAt, firstSuccess).TotalMilliseconds);
            Volatile.Write(ref killedAt, 0);
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers);
        var coldStarts = new List<double>();
        for (var i = 0; i < kills; i++)
        {
            var clock = Stopwatch.StartNew();
            var added = await pool.AddSubPoolAsync();
            coldStarts.Add(clock.Elapsed.TotalMilliseconds);
            await pool.RemoveSubPoolAsync(added);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: to first call {string.Join(", ", toCall.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
            $"to recovered {string.Join(", ", toRecovered.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
            $"errors seen: {(errors.IsEmpty ? "none" : string.Join(", ", errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} × {e.Value}")))}"));
        return (Median(toCall), Median(toRecovered), Median(coldStarts));
    }

    /// <summary>A process spinning on one core while it lives: recovery must not need the machine's spare CPU.</summary>
    private sealed class BusyCore : IDisposable
    {
        private readonly Process _process = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
