using BenchmarkDotNet.Attributes;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench.Micro;

/// <summary>
/// The delay-form batch (<c>Batch(values.Select(n =&gt; a.Delay(x =&gt; x.Add(n))))</c>, Xoscar's shape) at the size of the
/// benchmark's <c>batch1000_delay_cross</c> row, beside the batch over an argument list and the capture alone: what a
/// delayed call costs its caller, per call.
/// </summary>
[MemoryDiagnoser]
public class DelayedCallBenchmarks
{
    private const int BatchSize = 1000;

    private EmbeddedActorPool _pool = null!;
    private IBenchCounter _actor = null!;
    private readonly int[] _ones = Enumerable.Repeat(1, BatchSize).ToArray();
    private readonly DelayedCall<IBenchCounter, int>[] _captured = new DelayedCall<IBenchCounter, int>[BatchSize];

    [GlobalSetup]
    public async Task StartAsync()
    {
        _pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "micro-delay", LogLevel = Microsoft.Extensions.Logging.LogLevel.Error });
        _actor = await _pool.Context.CreateActorAsync<BenchCounter, IBenchCounter>();
    }

    [GlobalCleanup]
    public async Task StopAsync() => await _pool.DisposeAsync();

    [Benchmark(Baseline = true, Description = "batch of 1000 over arguments", OperationsPerInvoke = BatchSize)]
    public Task Batch() => _actor.Batch(_ones, (a, n) => a.Add(n));

    [Benchmark(Description = "batch of 1000 delayed calls", OperationsPerInvoke = BatchSize)]
    public Task DelayBatch() => _actor.Batch(_ones.Select(n => _actor.Delay(a => a.Add(n))).ToList());

    [Benchmark(Description = "1000 delayed calls captured, not sent", OperationsPerInvoke = BatchSize)]
    public void Capture()
    {
        for (var i = 0; i < _captured.Length; i++)
        {
            var n = _ones[i];
            _captured[i] = _actor.Delay(a => a.Add(n));
        }
    }
}
