using System.Threading.Tasks.Sources;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// One call's place in an <see cref="ActorMailbox"/> queue: a reusable awaitable, so that queueing for the lock
/// allocates nothing once the mailbox's pool is warm. Completed by the mailbox; awaited once by the call.
/// </summary>
internal sealed class LockWaiter : IValueTaskSource
{
    private readonly ActorMailbox _owner;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public LockWaiter(ActorMailbox owner) => _owner = owner;

    /// <summary>The awaitable for the current use of this waiter.</summary>
    public ValueTask Task => new(this, _core.Version);

    /// <summary>Grants the lock to the call waiting here.</summary>
    public void Grant() => _core.SetResult(true);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _owner.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
