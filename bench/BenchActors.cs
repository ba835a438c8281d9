using Orleans.Concurrency;
using Xoscar.Orleans;

namespace Xoscar.Orleans.Bench;

/// <summary>The work measured: add to a counter and return it, through the façade.</summary>
public interface IBenchCounter : IActor
{
    [Extensible] Task<int> Add(int n);

    /// <summary>Takes a blob and returns its length (the soak's large argument).</summary>
    Task<int> Receive(Blob data);
}

public sealed class BenchCounter : Actor, IBenchCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);

    public Task<int> Receive(Blob data) => Task.FromResult(data.Length);

    [BatchOf(nameof(Add))]
    public int[] AddMany(IReadOnlyList<int> calls)
    {
        var results = new int[calls.Count];
        for (var i = 0; i < results.Length; i++) results[i] = _value += calls[i];
        return results;
    }
}

/// <summary>The same work as a plain Orleans grain (the baseline), placed in a pool the same way.</summary>
public interface IRawCounter : IGrainWithStringKey
{
    Task<int> Add(int n);

    /// <summary>The batch baseline: one call carrying all the arguments as a list.</summary>
    Task<int[]> AddAll(int[] values);

    /// <summary>The tell baseline: a one-way call.</summary>
    [OneWay] Task AddOneWay(int n);

    /// <summary>Completes once the counter has reached <paramref name="value"/> (one-way calls are not ordered with it).</summary>
    [AlwaysInterleave] Task WaitFor(int value);
}

[PoolAddressPlacement]
public sealed class RawCounter : Grain, IRawCounter
{
    private readonly List<(int Value, TaskCompletionSource Reached)> _waiting = [];
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);

    public Task<int[]> AddAll(int[] values)
    {
        var results = new int[values.Length];
        for (var i = 0; i < values.Length; i++) results[i] = _value += values[i];
        return Task.FromResult(results);
    }

    public Task AddOneWay(int n)
    {
        _value += n;
        _waiting.RemoveAll(w => w.Value <= _value && w.Reached.TrySetResult());
        return Task.CompletedTask;
    }

    public Task WaitFor(int value)
    {
        if (_value >= value) return Task.CompletedTask;
        var reached = new TaskCompletionSource();
        _waiting.Add((value, reached));
        return reached.Task;
    }
}
