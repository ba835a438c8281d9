namespace Xoscar.Orleans.Tests.Actors;

/// <summary>A stateless helper for lock-release tests: a barrier, a computation, a failure, a cancellable sleep.</summary>
public interface IHelper : IActor
{
    Task Arrive();
    Task<int> Compute(int x);
    Task<int> Fail(string message);
    Task Sleep(int delayMs, CancellationToken cancellationToken);
    Task SleepStarted();
    Task<List<string>> Events();
}

public sealed class Helper(int parties) : StatelessActor, IHelper
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sleeping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _events = [];
    private int _arrived;

    public Task Arrive()
    {
        if (++_arrived == parties) _all.TrySetResult();
        return _all.Task;
    }

    public Task<int> Compute(int x) => Task.FromResult(x * 10);

    public Task<int> Fail(string message) => throw new InvalidOperationException(message);

    public async Task Sleep(int delayMs, CancellationToken cancellationToken)
    {
        _events.Add("start");
        _sleeping.TrySetResult();
        try
        {
            await Task.Delay(delayMs, cancellationToken);
            _events.Add("done");
        }
        catch (OperationCanceledException)
        {
            _events.Add("cancelled");
            throw;
        }
    }

    public Task SleepStarted() => _sleeping.Task;

    public Task<List<string>> Events() => Task.FromResult(_events.ToList());
}

/// <summary>Xoscar's promise_chain: a stateful actor that awaits other actors with its lock released.</summary>
public interface IChain : IActor
{
    [ReleasesLock] Task Run(string name, IHelper barrier);
    [ReleasesLock] Task<int[]> Gather(IHelper helper);
    [ReleasesLock] Task<string> Convert(IHelper helper);
    [ReleasesLock] Task Wait(IHelper helper, CancellationToken cancellationToken);
    Task<string> Misuse(IHelper helper);
    Task<List<string>> Log();
}

public sealed class Chain : Actor, IChain
{
    private readonly List<string> _log = [];

    public async Task Run(string name, IHelper barrier)
    {
        _log.Add($"A-{name}");
        await ReleaseLockWhile(barrier.Arrive());
        _log.Add($"B-{name}");
    }

    public Task<int[]> Gather(IHelper helper) => ReleaseLockWhile(Task.WhenAll(helper.Compute(1), helper.Compute(2), helper.Compute(3)));

    public async Task<string> Convert(IHelper helper)
    {
        try
        {
            return (await ReleaseLockWhile(helper.Fail("thrown back"))).ToString();
        }
        catch (InvalidOperationException error)
        {
            return $"caught: {error.Message}";
        }
    }

    public Task Wait(IHelper helper, CancellationToken cancellationToken) =>
        ReleaseLockWhile(helper.Sleep(30_000, cancellationToken));

    public async Task<string> Misuse(IHelper helper) => (await ReleaseLockWhile(helper.Compute(1))).ToString();

    public Task<List<string>> Log() => Task.FromResult(_log.ToList());
}
