using Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>Calls on actor references besides <c>send</c> (a plain method call), and their identity.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Tells the actor to run one method call and does not wait for it (Xoscar's <c>ref.m.tell(...)</c>):
    /// completes once the actor's pool has accepted the call. The method runs later, in the actor's order,
    /// so a <c>send</c> issued after this completes sees its effect; its result is dropped and an exception
    /// it throws is logged by the pool with the actor, pool and method.
    /// </summary>
    /// <param name="actor">The actor reference.</param>
    /// <param name="call">One method call on <paramref name="actor"/>, e.g. <c>a => a.Add(1)</c>; it is recorded, not sent.</param>
    /// <exception cref="ActorNotExistException">The actor does not exist.</exception>
    /// <remarks>A stateful actor accepts a tell only while its queue has room; a caller that floods it waits here.</remarks>
    public static ValueTask Tell<TRef>(this TRef actor, Action<TRef> call) where TRef : IActor
    {
        var captured = CallCapture.Capture(actor, call);
        return ActorBatchExtensions.Sender(actor).TellAsync(captured.Target, captured.Request);
    }

    /// <summary>The identity (pool address and uid) of the actor behind <paramref name="actor"/>.</summary>
    public static ActorId GetActorId(this IActor actor) => ActorId.FromGrainKey(actor.GetGrainId().Key.ToString()!);
}
