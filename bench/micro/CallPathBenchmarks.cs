using BenchmarkDotNet.Attributes;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench.Micro;

/// <summary>
/// What one call costs in time and allocated bytes, within one pool (an embedded pool in this process), through each
/// path a caller can take: a send, a tell, a batch over an argument list, a batch of delayed calls — beside a raw
/// Orleans grain call doing the same work in the same pool. Allocations per call are the figure to watch: every byte
/// here is paid on every call of a service. The batches of 1000 are the size of the benchmark's
/// <c>batch1000_cross</c> and <c>batch1000_delay_cross</c> rows; capturing 1000 delayed calls without sending them
/// says what the delayed form (Xoscar's <c>ref.m.delay(...)</c>) costs its caller per call.
/// </summary>
[MemoryDiagnoser]
public class CallPathBenchmarks
{
    private const int BatchSize = 16;
    private const int LargeBatchSize = 1000;

    private EmbeddedActorPool _pool = null!;
    private IBenchCounter _actor = null!;
    private IRawCounter _raw = null!;
    private readonly int[] _ones = Enumerable.Repeat(1, BatchSize).ToArray();
    private readonly int[] _manyOnes = Enumerable.Repeat(1, LargeBatchSize).ToArray();
    private readonly DelayedCall<IBenchCounter, int>[] _captured = new DelayedCall<IBenchCounter, int>[LargeBatchSize];

    [GlobalSetup]
    public async Task StartAsync()
    {
        _pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "micro", LogLevel = Microsoft.Extensions.Logging.LogLevel.Error });
        _actor = await _pool.Context.CreateActorAsync<BenchCounter, IBenchCounter>();
        _raw = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IGrainFactory>(_pool.Services)
            .GetGrain<IRawCounter>($"{_pool.Address}/raw");
        await _raw.Add(0);
    }

    [GlobalCleanup]
    public async Task StopAsync() => await _pool.DisposeAsync();

    [Benchmark(Baseline = true, Description = "raw Orleans call")]
    public Task<int> Raw() => _raw.Add(1);

    [Benchmark(Description = "send")]
    public Task<int> Send() => _actor.Add(1);

    [Benchmark(Description = "tell")]
    public Task Tell() => _actor.Tell(a => a.Add(1)).AsTask();

    [Benchmark(Description = "batch of 16 over arguments", OperationsPerInvoke = BatchSize)]
    public Task Batch() => _actor.Batch(_ones, (a, n) => a.Add(n));

    [Benchmark(Description = "batch of 16 delayed calls", OperationsPerInvoke = BatchSize)]
    public Task DelayBatch() => _actor.Batch(_ones.Select(n => _actor.Delay(a => a.Add(n))).ToList());

    [Benchmark(Description = "batch of 1000 over arguments", OperationsPerInvoke = LargeBatchSize)]
    public Task LargeBatch() => _actor.Batch(_manyOnes, (a, n) => a.Add(n));

    [Benchmark(Description = "batch of 1000 delayed calls", OperationsPerInvoke = LargeBatchSize)]
    public Task LargeDelayBatch() => _actor.Batch(_manyOnes.Select(n => _actor.Delay(a => a.Add(n))).ToList());

    [Benchmark(Description = "1000 delayed calls captured, not sent", OperationsPerInvoke = LargeBatchSize)]
    public void Capture()
    {
        for (var i = 0; i < _captured.Length; i++)
        {
            var n = _manyOnes[i];
            _captured[i] = _actor.Delay(a => a.Add(n));
        }
    }
}
