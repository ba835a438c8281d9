using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// Calls under mutual TLS (<c>_tls</c> rows): from a main pool to its sub pool's process in an actor pool with TLS on
/// every connection, through the façade vs raw Orleans grains in that same sub pool, over the same TLS connections.
/// </summary>
public sealed class TlsBenchmarks(Measurement measure, BenchSettings settings)
{
    private static readonly string[] Rows = ["seq_send_cross_tls", "conc100_cross_tls", "bytes_1MiB_array_cross_tls"];

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        if (!Rows.Any(settings.Includes)) yield break;
        var folder = Directory.CreateTempSubdirectory("xoscar-bench-tls-");
        try
        {
            var tls = PoolTls.CreateSelfSigned(Path.Combine(folder.FullName, "cluster.pfx"));
            await using var secure = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "bench-tls", LogLevel = LogLevel.Error, Tls = tls });
            var sub = secure.Addresses[1];
            var grains = secure.Services.GetRequiredService<IGrainFactory>();
            string RawKey() => $"{sub}/raw-{Guid.NewGuid():N}";

            var counter = await secure.Context.CreateActorAsync<BenchCounter, IBenchCounter>(address: sub);
            var raw = grains.GetGrain<IRawCounter>(RawKey());
            yield return await measure.CompareAsync("seq_send_cross_tls", "calls/s",
                () => measure.SequentialAsync(() => counter.Add(1)),
                () => measure.SequentialAsync(() => raw.Add(1)));
            yield return await measure.CompareAsync("conc100_cross_tls", "calls/s",
                () => measure.ConcurrentAsync(100, () => counter.Add(1)),
                () => measure.ConcurrentAsync(100, () => raw.Add(1)));

            // A 1 MiB byte[]: through shared memory from the façade (never encrypted, it stays on the machine), in the
            // message, encrypted, from raw Orleans.
            var payload = new byte[1 << 20];
            var sink = await secure.Context.CreateActorAsync<BenchSink, IBenchSink>(address: sub);
            var rawSink = grains.GetGrain<IRawSink>(RawKey());
            yield return await measure.CompareAsync("bytes_1MiB_array_cross_tls", "MiB/s",
                () => measure.SequentialAsync(() => sink.Receive(payload)),
                () => measure.SequentialAsync(() => rawSink.Receive(payload)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
