namespace Xoscar.Orleans;

/// <summary>
/// A connection between a client or pool and a pool was refused because one side could not prove it holds the
/// cluster's secret: every connection of a cluster proves it before any message is accepted. The message names the
/// pool and where the secret is found; it never quotes the secret.
/// </summary>
[GenerateSerializer, Alias("xoscar.ClusterSecretRejectedException")]
public sealed class ClusterSecretRejectedException : XoscarException
{
    /// <summary>Creates the error for the pool at <paramref name="address"/>.</summary>
    public ClusterSecretRejectedException(string address, string message) : base(message) => Address = address;

    /// <summary>The address (gateway or pool endpoint) of the pool that refused, or was refused.</summary>
    [Id(0)] public string Address { get; private set; }
}
