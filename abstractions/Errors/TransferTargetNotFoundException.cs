namespace Xoscar.Orleans;

/// <summary>
/// A copy named a buffer or file object that its pool does not hold: it was never registered there, or whoever
/// registered it let go of it (a pool keeps registered targets only as long as their owner does, as Xoscar does).
/// </summary>
[GenerateSerializer, Alias("xoscar.TransferTargetNotFoundException")]
public sealed class TransferTargetNotFoundException : XoscarException
{
    /// <summary>Creates the error for the target <paramref name="id"/> of pool <paramref name="address"/>.</summary>
    public TransferTargetNotFoundException(string address, Guid id, string what)
        : base($"Pool {address} holds no {what} {id:N}: it was never registered there, or its owner let go of it.")
    {
        Address = address;
        Id = id;
    }

    /// <summary>The pool that was asked.</summary>
    [Id(0)] public string Address { get; private set; }

    /// <summary>The id of the target it does not hold.</summary>
    [Id(1)] public Guid Id { get; private set; }
}
