using System.Diagnostics;

namespace Xoscar.Orleans.Bench;

/// <summary>One row of the table: our figure and the raw Orleans figure for the same work, measured side by side.</summary>
public sealed record BenchRow(string Name, string Unit, double Value, double Baseline)
{
    public double Ratio => Baseline == 0 ? 0 : Value / Baseline;
}

/// <summary>Times operations over fixed windows, alternating ours and the baseline, and keeps the medians.</summary>
public sealed class Measurement(BenchSettings settings)
{
    /// <summary>Calls per second of <paramref name="call"/> awaited one after another for one window.</summary>
    public Task<double> SequentialAsync(Func<Task> call) => ConcurrentAsync(1, call);

    /// <summary>Calls per second of <paramref name="callers"/> loops, each awaiting <paramref name="call"/> one after another, for one window.</summary>
    public async Task<double> ConcurrentAsync(int callers, Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        var window = settings.Window;
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            long n = 0;
            while (clock.Elapsed < window)
            {
                await call();
                n++;
            }

            return n;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Warms both sides up (tiered JIT settles), then measures them in alternating rounds, so that drift on a
    /// noisy machine hits both, and returns the median of each.
    /// </summary>
    /// <returns>The row, or null where the row is not among those this run measures.</returns>
    public async Task<BenchRow?> CompareAsync(string name, string unit, Func<Task<double>> ours, Func<Task<double>> baseline)
    {
        if (!settings.Includes(name)) return null;
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < settings.WarmUp;)
        {
            await ours();
            await baseline();
        }

        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < settings.Rounds; i++)
        {
            a.Add(await ours());
            b.Add(await baseline());
        }

        return new BenchRow(name, unit, Median(a), Median(b));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
