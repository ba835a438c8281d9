namespace Xoscar.Orleans;

/// <summary>
/// The TLS handshake with a pool failed: the pool did not accept this side's certificate, or this side did not trust
/// the pool's. Raised at once, instead of waiting for a connect timeout; the message names the pool and the reason
/// TLS gave where it gave one.
/// </summary>
[GenerateSerializer, Alias("xoscar.TlsHandshakeFailedException")]
public sealed class TlsHandshakeFailedException : XoscarException
{
    /// <summary>Creates the error for the pool at <paramref name="address"/>, caused by <paramref name="innerException"/> when TLS said why.</summary>
    public TlsHandshakeFailedException(string address, string message, Exception? innerException = null) : base(message, innerException) => Address = address;

    /// <summary>The address of the pool the handshake was with.</summary>
    [Id(0)] public string Address { get; private set; }
}
