using System.Net;
using System.Net.Sockets;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo;

/// <summary>Parsing pool addresses and finding or checking ports, for every way a pool is started.</summary>
internal static class PoolEndpoints
{
    /// <summary>Reads a pool address, <c>host:port</c> with an IP host; <paramref name="portZero"/>: port 0 (take a free one) is allowed.</summary>
    /// <exception cref="ArgumentException">The address is not one; names <paramref name="argument"/> and what is wrong.</exception>
    public static IPEndPoint Parse(string address, string argument, bool portZero = false) => PoolAddressFormat.Parse(address, argument, portZero);

    /// <summary>A port on <paramref name="address"/> that was free a moment ago.</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Checks that <paramref name="port"/> can be bound on <paramref name="address"/>.</summary>
    /// <exception cref="PoolPortInUseException">It cannot: another process or pool holds it.</exception>
    public static void EnsureFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PoolPortInUseException(address.ToString(), port, error);
        }
    }
}
