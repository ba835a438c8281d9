using Xoscar.Orleans;

namespace OrleansApp;

/// <summary>A counter actor, one per uid, living in this application's silo.</summary>
public interface ICounter : IActor
{
    Task<int> Add(int n);

    Task<int> Value();
}

/// <summary>A stateful actor: its calls run one at a time, so concurrent requests never lose an addition.</summary>
public sealed class Counter : Actor, ICounter
{
    private int _value;

    public Task<int> Add(int n) => Task.FromResult(_value += n);

    public Task<int> Value() => Task.FromResult(_value);
}
