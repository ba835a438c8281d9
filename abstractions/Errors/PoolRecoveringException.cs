namespace Xoscar.Orleans;

/// <summary>
/// The pool a call was addressed to is being recovered after its process died (<c>ActorPoolOptions.AutoRecover</c>),
/// and did not come back within <see cref="XoscarOptions.RecoveryWait"/>. A call made while a pool recovers waits for
/// it; this error says it waited in vain. The actor named is not known to be gone: calling again after
/// <c>ActorPool.WaitPoolRecoveredAsync</c> may find it re-created.
/// </summary>
[GenerateSerializer, Alias("xoscar.PoolRecoveringException")]
public sealed class PoolRecoveringException : XoscarException
{
    /// <summary>Creates the error for the pool at <paramref name="address"/> and the actor <paramref name="uid"/> (null: the pool itself).</summary>
    public PoolRecoveringException(string address, string? uid, string message) : base(message)
    {
        Address = address;
        Uid = uid;
    }

    /// <summary>The address of the pool being recovered.</summary>
    [Id(0)] public string Address { get; private set; }

    /// <summary>The uid of the actor called, or null for a call to the pool itself.</summary>
    [Id(1)] public string? Uid { get; private set; }
}
