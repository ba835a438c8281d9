using Xoscar.Orleans;

namespace Xoscar.Orleans.Bench;

/// <summary>The work measured: add to a counter and return it, through the façade.</summary>
public interface IBenchCounter : IActor
{
    [Extensible] Task<int> Add(int n);
}

public sealed class BenchCounter : Actor, IBenchCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);

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
}

[PoolAddressPlacement]
public sealed class RawCounter : Grain, IRawCounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);
}
