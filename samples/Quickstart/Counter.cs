using Xoscar.Orleans;

namespace Quickstart;

/// <summary>The counter's typed interface: each method is a message.</summary>
public interface ICounter : IActor
{
    [Extensible] Task<int> Add(int n);   // may be called in batches
    Task<int> Value();
}

/// <summary>A stateful actor: its calls run one at a time, in arrival order.</summary>
public sealed class Counter(int start) : Actor, ICounter
{
    private int _value = start;

    public override Task PostCreateAsync()
    {
        Console.WriteLine($"  post-create: counter '{Uid}' in pool {Address} starts at {_value}");
        return Task.CompletedTask;
    }

    public override Task PreDestroyAsync()
    {
        Console.WriteLine($"  pre-destroy: counter '{Uid}' ends at {_value}");
        return Task.CompletedTask;
    }

    public Task<int> Add(int n) => Task.FromResult(_value += n);

    public Task<int> Value() => Task.FromResult(_value);
}
