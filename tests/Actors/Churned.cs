namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Short-lived actors of every kind, created and destroyed by the thousand to show that nothing stays behind.</summary>
public interface IChurned : IActor
{
    [Extensible] Task<int> Add(int n);
}

public sealed class Churned(int start) : Actor, IChurned
{
    private int _value = start;

    public Task<int> Add(int n) => Task.FromResult(_value += n);
}

public sealed class StatelessChurned(int start) : StatelessActor, IChurned
{
    private int _value = start;

    public Task<int> Add(int n) => Task.FromResult(Interlocked.Add(ref _value, n));
}

[ScaleOut(3)]
public sealed class ScaledOutChurned(int start) : StatelessActor, IChurned
{
    private int _value = start;

    public Task<int> Add(int n) => Task.FromResult(Interlocked.Add(ref _value, n));
}
