namespace Xoscar.Orleans.Tests.Actors;

/// <summary>No-lock methods: steps that can only finish if two calls run interleaved, and mutual calls.</summary>
public interface IInterleaver : IActor
{
    [NoLock] Task Step(int first, int second);
    Task<List<int>> Steps();
    [NoLock] Task<int> Ping(IInterleaver other, int depth);
}

public sealed class Interleaver : Actor, IInterleaver
{
    private readonly List<int> _steps = [];
    private readonly TaskCompletionSource _bothStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public async Task Step(int first, int second)
    {
        _steps.Add(first);
        if (++_started == 2) _bothStarted.TrySetResult();
        await _bothStarted.Task;
        _steps.Add(second);
    }

    public Task<List<int>> Steps() => Task.FromResult(_steps.ToList());

    public async Task<int> Ping(IInterleaver other, int depth) =>
        depth == 0 ? 0 : 1 + await other.Ping(Ref<IInterleaver>(), depth - 1);
}
