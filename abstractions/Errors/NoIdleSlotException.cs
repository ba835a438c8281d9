namespace Xoscar.Orleans;

/// <summary>No pool is idle for an allocation strategy that needs one (Xoscar's <c>NoIdleSlot</c>).</summary>
[GenerateSerializer, Alias("xoscar.NoIdleSlotException")]
public sealed class NoIdleSlotException : XoscarException
{
    /// <summary>Creates the error with a message that names the strategy and what was searched.</summary>
    public NoIdleSlotException(string message) : base(message) { }
}
