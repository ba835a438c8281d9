namespace Xoscar.Orleans;

/// <summary>
/// A call came back to a stateful actor whose lock is held by a call that waits on it: waiting for the lock would
/// never end (Xoscar waits forever and, in debug mode, logs "Call cycle detected"). Raised at once, in the pool of
/// that actor, to the call that closed the cycle; it travels back along the chain like any error.
/// </summary>
[GenerateSerializer, Alias("xoscar.CallCycleException")]
public sealed class CallCycleException : XoscarException
{
    /// <summary>Creates the error for <paramref name="actor"/>, reached again through <paramref name="chain"/>.</summary>
    /// <param name="actor">The actor whose lock the cycle waits for.</param>
    /// <param name="chain">The locked calls of the cycle, each <c>uid@address.Method</c>, ending with the call refused.</param>
    public CallCycleException(ActorId actor, IReadOnlyList<string> chain)
        : base($"Call cycle: actor '{actor.Uid}' in pool {actor.Address} is locked by {chain[0]}, which waits on this call: " +
               $"{string.Join(" -> ", chain)}. The call would wait for the lock forever. Tell instead of send, mark the " +
               "method [NoLock], or await with the lock released ([ReleasesLock] and ReleaseLockWhile).")
    {
        Actor = actor;
        Chain = [.. chain];
    }

    /// <summary>The actor whose lock the cycle waits for.</summary>
    [Id(0)] public ActorId Actor { get; private set; }

    /// <summary>The locked calls of the cycle in call order, each <c>uid@address.Method</c>; first and last are calls to <see cref="Actor"/>.</summary>
    [Id(1)] public string[] Chain { get; private set; }
}
