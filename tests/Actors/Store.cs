namespace Xoscar.Orleans.Tests.Actors;

public interface IStore : IActor
{
    /// <summary>Has a batch implementation; the single one is not written (falls back to the batch one).</summary>
    [Extensible] Task<int> Put(string key, int value);

    /// <summary>Has no batch implementation: a batch runs it call by call.</summary>
    [Extensible] Task<int> Get(string key);

    /// <summary>Appends slowly, so that a batch of it takes a while.</summary>
    [Extensible] Task Append(string entry);

    Task<List<string>> Log();

    /// <summary>Not extensible: it cannot be batched.</summary>
    Task<bool> Contains(string key);

    Task<int> BatchCalls();
}

public sealed class Store : Actor, IStore
{
    private readonly Dictionary<string, int> _values = [];
    private readonly List<string> _log = [];
    private int _batchCalls;

    public Task<int> Put(string key, int value) => throw new NotImplementedException();

    [BatchOf(nameof(Put))]
    public Task<int[]> PutMany(IReadOnlyList<(string Key, int Value)> calls)
    {
        _batchCalls++;
        var results = new int[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            _values[calls[i].Key] = calls[i].Value;
            results[i] = _values.Count;
        }

        return Task.FromResult(results);
    }

    public Task<int> Get(string key) => Task.FromResult(_values.GetValueOrDefault(key, -1));

    public async Task Append(string entry)
    {
        await Task.Delay(20);
        _log.Add(entry);
    }

    public Task<List<string>> Log() => Task.FromResult(_log.ToList());

    public Task<bool> Contains(string key) => Task.FromResult(_values.ContainsKey(key));

    public Task<int> BatchCalls() => Task.FromResult(_batchCalls);
}

public interface IMisdeclared : IActor
{
    [Extensible] Task<int> Square(int x);
}

/// <summary>Its batch implementation takes the wrong argument list: creating it must fail, naming the method.</summary>
public sealed class Misdeclared : Actor, IMisdeclared
{
    public Task<int> Square(int x) => Task.FromResult(x * x);

    [BatchOf(nameof(Square))]
    public Task<int[]> SquareMany(IReadOnlyList<string> calls) => Task.FromResult(new int[calls.Count]);
}
