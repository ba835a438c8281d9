using Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>How a pool's address is written: the endpoint of its silo, <c>host:port</c>.</summary>
public static class PoolAddresses
{
    /// <summary>The pool address of the silo at <paramref name="silo"/>.</summary>
    public static string Of(SiloAddress silo) => silo.Endpoint.ToString();
}
