namespace Xoscar.Orleans;

/// <summary>
/// The pool a call was addressed to is not running (never started, stopped, or its process died).
/// The message names the address and the pools that are known.
/// </summary>
[GenerateSerializer, Alias("xoscar.ServerClosedException")]
public sealed class ServerClosedException : XoscarException
{
    /// <summary>Creates the error for the pool at <paramref name="address"/>.</summary>
    public ServerClosedException(string address, string message) : base(message) => Address = address;

    /// <summary>Creates the error for the pool at <paramref name="address"/>, caused by <paramref name="innerException"/>.</summary>
    public ServerClosedException(string address, string message, Exception? innerException) : base(message, innerException) => Address = address;

    /// <summary>The address of the pool that could not be reached.</summary>
    [Id(0)] public string Address { get; private set; }
}
