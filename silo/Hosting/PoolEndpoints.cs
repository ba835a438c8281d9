using System.Net;
using System.Net.Sockets;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>Parsing pool addresses, for every way a pool is started; a port nothing listens on, for probes.</summary>
internal static class PoolEndpoints
{
    /// <summary>Reads a pool address, <c>host:port</c> with an IP host; <paramref name="portZero"/>: port 0 (take a free one) is allowed.</summary>
    /// <exception cref="ArgumentException">The address is not one; names <paramref name="argument"/> and what is wrong.</exception>
    public static IPEndPoint Parse(string address, string argument, bool portZero = false) => PoolAddressFormat.Parse(address, argument, portZero);

    /// <summary>
    /// A port on <paramref name="address"/> that was free a moment ago: for a probe that needs a port nothing listens on.
    /// Pools never start on one (another process may take it meanwhile): they claim theirs (<see cref="PortClaim"/>).
    /// </summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
