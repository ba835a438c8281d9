using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// What TLS costs (<c>_tls</c> rows): calls from a main pool to its sub pool's process in an actor pool with mutual
/// TLS vs the same calls in a plain actor pool, both running side by side. Here the baseline is our own façade
/// without TLS, not raw Orleans: the ratio is the share of plain throughput that TLS keeps.
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
            await using var plain = await ActorPool.CreateAsync(Options("bench-plain", tls: null));
            await using var secure = await ActorPool.CreateAsync(Options("bench-tls", tls));

            var plainCounter = await plain.Context.CreateActorAsync<BenchCounter, IBenchCounter>(address: plain.Addresses[1]);
            var secureCounter = await secure.Context.CreateActorAsync<BenchCounter, IBenchCounter>(address: secure.Addresses[1]);
            yield return await measure.CompareAsync("seq_send_cross_tls", "calls/s",
                () => measure.SequentialAsync(() => secureCounter.Add(1)),
                () => measure.SequentialAsync(() => plainCounter.Add(1)));
            yield return await measure.CompareAsync("conc100_cross_tls", "calls/s",
                () => measure.ConcurrentAsync(100, () => secureCounter.Add(1)),
                () => measure.ConcurrentAsync(100, () => plainCounter.Add(1)));

            // A byte[] travels in the message, so every byte is encrypted (a Blob would go through shared memory).
            var payload = new byte[1 << 20];
            var plainSink = await plain.Context.CreateActorAsync<BenchSink, IBenchSink>(address: plain.Addresses[1]);
            var secureSink = await secure.Context.CreateActorAsync<BenchSink, IBenchSink>(address: secure.Addresses[1]);
            yield return await measure.CompareAsync("bytes_1MiB_array_cross_tls", "MiB/s",
                () => measure.SequentialAsync(() => secureSink.Receive(payload)),
                () => measure.SequentialAsync(() => plainSink.Receive(payload)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ActorPoolOptions Options(string clusterId, PoolTls? tls) =>
        new() { SubPools = 1, ClusterId = clusterId, LogLevel = LogLevel.Error, Tls = tls };
}
