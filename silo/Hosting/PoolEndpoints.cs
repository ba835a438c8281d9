using System.Net;
using System.Net.Sockets;

namespace Xoscar.Orleans.Silo;

/// <summary>Parsing pool addresses and finding or checking ports, for every way a pool is started.</summary>
internal static class PoolEndpoints
{
    /// <summary>Reads <c>host:port</c> with an IP host.</summary>
    /// <exception cref="ArgumentException">The address is not <c>host:port</c>; names <paramref name="argument"/>.</exception>
    public static IPEndPoint Parse(string address, string argument) =>
        IPEndPoint.TryParse(address, out var endpoint) && address.Contains(':')
            ? endpoint
            : throw new ArgumentException($"Pool address '{address}' is not host:port with an IP host (e.g. 127.0.0.1:0).", argument);

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
