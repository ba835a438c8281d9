using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Lock release while awaiting: Xoscar's promise_chain, opted into per method with [ReleasesLock].
public abstract partial class ActorBase
{
    /// <summary>
    /// Awaits <paramref name="work"/> (typically a call to another actor) with this actor's lock released, so that
    /// the actor's other calls run meanwhile; takes the lock again, in turn behind calls already waiting, before
    /// returning its result or rethrowing its error. On a stateless actor it simply awaits.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a stateful actor's method that is not marked
    /// <see cref="ReleasesLockAttribute"/> (it does not own a releasable turn of the lock).</exception>
    protected async Task<T> ReleaseLockWhile<T>(Task<T> work)
    {
        var turn = Release();
        try
        {
            return await work;
        }
        finally
        {
            if (turn is not null) await RetakeAsync(turn);
        }
    }

    /// <inheritdoc cref="ReleaseLockWhile{T}(Task{T})"/>
    protected async Task ReleaseLockWhile(Task work)
    {
        var turn = Release();
        try
        {
            await work;
        }
        finally
        {
            if (turn is not null) await RetakeAsync(turn);
        }
    }

    private LockTurn? Release()
    {
        if (!IsStateful) return null;
        var turn = LockTurn.Current;
        if (turn is null || !ReferenceEquals(turn.Mailbox, _mailbox) || !turn.Held)
        {
            throw new InvalidOperationException(
                $"Actor '{Uid}' in pool {Address}: ReleaseLockWhile was called by a call that holds no releasable turn of the lock; " +
                $"mark the interface method [{nameof(ReleasesLockAttribute).Replace("Attribute", "")}].");
        }

        turn.End();
        return turn;
    }

    private static async Task RetakeAsync(LockTurn turn)
    {
        await turn.Mailbox.EnterAsync();
        turn.Mailbox.ResumeTurn(turn.Turn, turn.Method);
        turn.Held = true;
    }
}
