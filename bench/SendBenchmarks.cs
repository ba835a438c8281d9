using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// Sends through the façade vs raw Orleans grain calls doing the same work, from code in the main pool to an
/// actor in the same pool (<c>_local</c>) and in a second pool over loopback TCP (<c>_2silo</c>).
/// </summary>
public sealed class SendBenchmarks(EmbeddedActorPool main, EmbeddedActorPool second, Measurement measure)
{
    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        foreach (var (suffix, pool) in new[] { ("local", main.Address), ("2silo", second.Address) })
        {
            var actor = await main.Context.CreateActorAsync<BenchCounter, IBenchCounter>(address: pool);
            var raw = main.Services.GetRequiredService<IGrainFactory>().GetGrain<IRawCounter>($"{pool}/raw-{Guid.NewGuid():N}");

            yield return await measure.CompareAsync($"seq_send_{suffix}", "calls/s",
                () => measure.SequentialAsync(() => actor.Add(1)),
                () => measure.SequentialAsync(() => raw.Add(1)));

            yield return await measure.CompareAsync($"conc100_{suffix}", "calls/s",
                () => measure.ConcurrentAsync(100, () => actor.Add(1)),
                () => measure.ConcurrentAsync(100, () => raw.Add(1)));
        }
    }
}
