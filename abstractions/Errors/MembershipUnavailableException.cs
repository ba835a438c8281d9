namespace Xoscar.Orleans;

/// <summary>A pool could not start because the store its cluster's membership is kept in (e.g. Redis) cannot be reached.</summary>
[GenerateSerializer, Alias("xoscar.MembershipUnavailableException")]
public sealed class MembershipUnavailableException : XoscarException
{
    /// <summary>Creates the error for the pool at <paramref name="address"/> and the store described by <paramref name="store"/>.</summary>
    public MembershipUnavailableException(string address, string store, Exception? innerException = null)
        : base($"Cannot start actor pool {address}: its membership store, {store}, cannot be reached. {innerException?.Message}".TrimEnd(), innerException)
    {
        Address = address;
        Store = store;
    }

    /// <summary>The address of the pool that could not start.</summary>
    [Id(0)] public string Address { get; private set; }

    /// <summary>The membership store, as its endpoints (never its password).</summary>
    [Id(1)] public string Store { get; private set; }
}
