namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The turn of the lock held by one call to a <see cref="ReleasesLockAttribute"/> method, carried in the call's
/// async flow, so that <see cref="ActorBase.ReleaseLockWhile{T}(Task{T})"/> releases the lock only of the call
/// that holds it.
/// </summary>
internal sealed class LockTurn(ActorMailbox mailbox, long turn, System.Reflection.MethodInfo method)
{
    private static readonly AsyncLocal<LockTurn?> CurrentTurn = new();

    /// <summary>The turn of the call running in this async flow, if it holds a releasable turn.</summary>
    public static LockTurn? Current
    {
        get => CurrentTurn.Value;
        set => CurrentTurn.Value = value;
    }

    public ActorMailbox Mailbox { get; } = mailbox;

    /// <summary>The call's turn of the lock (<see cref="ActorMailbox.Turn"/>), kept when it releases and retakes the lock.</summary>
    public long Turn { get; } = turn;

    /// <summary>The method of the call.</summary>
    public System.Reflection.MethodInfo Method { get; } = method;

    /// <summary>Whether the call holds the lock now (false while it awaits with the lock released).</summary>
    public bool Held { get; set; } = true;

    /// <summary>Gives the lock back if the call still holds it; the end of every turn.</summary>
    public void End()
    {
        if (!Held) return;
        Held = false;
        Mailbox.Exit();
    }
}
