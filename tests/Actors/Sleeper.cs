namespace Xoscar.Orleans.Tests.Actors;

/// <summary>Long-running methods that react to cancellation in different ways, or not at all.</summary>
public interface ISleeper : IActor
{
    Task<int> SleepOrReturn(int value, CancellationToken cancellationToken);
    Task<int> SleepOrThrow(CancellationToken cancellationToken);
    Task<int> Stuck(CancellationToken cancellationToken);
    Task<int> Quick(int value, CancellationToken cancellationToken);
    Task Count(CancellationToken cancellationToken);
    Task<int> Counted();
    Task Hold();
    [NoLock] Task Release();
    [NoLock] Task Started();
}

public sealed class Sleeper : Actor, ISleeper
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _counted;

    public async Task<int> SleepOrReturn(int value, CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        try
        {
            await Task.Delay(30_000, cancellationToken);
            return value;
        }
        catch (OperationCanceledException)
        {
            return value + 1;
        }
    }

    public async Task<int> SleepOrThrow(CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        await Task.Delay(30_000, cancellationToken);
        return 0;
    }

    public async Task<int> Stuck(CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        await new TaskCompletionSource().Task;   // ignores its token: only a deadline on the caller's side ends the wait
        return 0;
    }

    public Task<int> Quick(int value, CancellationToken cancellationToken) => Task.FromResult(value);

    public Task Count(CancellationToken cancellationToken)
    {
        _counted++;
        return Task.CompletedTask;
    }

    public Task<int> Counted() => Task.FromResult(_counted);

    public Task Hold() => _released.Task;

    public Task Release()
    {
        _released.TrySetResult();
        return Task.CompletedTask;
    }

    public Task Started() => _started.Task;
}
