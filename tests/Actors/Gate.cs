namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Holds its lock until released by a no-lock call; counts the calls that ran.</summary>
public interface IGate : IActor
{
    Task Hold();
    [NoLock] Task Release();
    /// <summary>Waits for the release without taking the lock.</summary>
    [NoLock] Task Wait();
    Task Count();
    Task<int> Counted();
    Task Fail(string message);
}

public sealed class Gate : Actor, IGate
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _counted;

    public Task Hold() => _released.Task;

    public Task Wait() => _released.Task;

    public Task Release()
    {
        _released.TrySetResult();
        return Task.CompletedTask;
    }

    public Task Count()
    {
        _counted++;
        return Task.CompletedTask;
    }

    public Task<int> Counted() => Task.FromResult(_counted);

    public Task Fail(string message) => throw new InvalidOperationException(message);
}

/// <summary>A stateless actor whose calls wait until released.</summary>
public interface IStatelessGate : IActor
{
    Task Hold();
    Task Release();
}

public sealed class StatelessGate : StatelessActor, IStatelessGate
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Hold() => _released.Task;

    public Task Release()
    {
        _released.TrySetResult();
        return Task.CompletedTask;
    }
}
