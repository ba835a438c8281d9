using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>
/// A main pool's latest sample of each of its GPU pools' device memory (<see cref="IGpuPoolGrain.Sample"/>), taken every
/// <see cref="XoscarOptions.GpuMemorySampleInterval"/>, and on demand by a placement that finds a pool never sampled
/// or no room. Reservations make placement safe between samples; samples make it see memory used outside them.
/// </summary>
internal sealed partial class GpuMemorySamples(PoolDirectory directory, IGrainFactory grains, IOptions<XoscarOptions> options, ILogger<GpuMemorySamples> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Taken> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The latest sample of the pool at <paramref name="address"/>, or null.</summary>
    public Taken? Latest(string address) => _latest.GetValueOrDefault(address);

    /// <summary>Samples the GPU pools never sampled (a pool that just joined).</summary>
    public Task SampleUnsampledAsync() => SampleAsync(GpuPools().Where(p => !_latest.ContainsKey(p.Address)).ToList());

    /// <summary>Samples every GPU pool now.</summary>
    public Task SampleAllAsync() => SampleAsync(GpuPools());

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<GpuMemorySamples>(ServiceLifecycleStage.Active, started =>
        {
            _ = SampleEveryIntervalAsync();
            return Task.CompletedTask;
        }, stopping => _stopping.CancelAsync());

    // Only a main pool places actors; a pool that is not one samples nothing.
    private IReadOnlyList<PoolConfig> GpuPools()
    {
        var local = directory.Local;
        return local.Kind == PoolKind.Main && local.Index == 0 ? directory.ActorPoolOf(local).Where(p => p.Gpu is not null).ToList() : [];
    }

    private async Task SampleEveryIntervalAsync()
    {
        using var timer = new PeriodicTimer(options.Value.GpuMemorySampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var pools = GpuPools();
                foreach (var gone in _latest.Keys.Except(pools.Select(p => p.Address))) _latest.TryRemove(gone, out _);
                await SampleAsync(pools);
            }
        }
        catch (OperationCanceledException)
        {
            // The pool is stopping.
        }
    }

    private Task SampleAsync(IReadOnlyList<PoolConfig> pools) => Task.WhenAll(pools.Select(async pool =>
    {
        try
        {
            var sample = await grains.GetGrain<IGpuPoolGrain>(IGpuPoolGrain.KeyOf(pool.Address)).Sample().WaitAsync(SampleTimeout);
            _latest[pool.Address] = new Taken(sample, DateTime.UtcNow);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A pool that is going (or gone) keeps its last sample until it leaves the directory.
            LogSampleFailed(logger, pool.Address, error.Message);
        }
    }));

    /// <summary>A sample and when it was taken (UTC).</summary>
    public sealed record Taken(GpuMemorySample Sample, DateTime At);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Debug, Message = "GPU pool {Address} could not be sampled: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string address, string reason);
}
