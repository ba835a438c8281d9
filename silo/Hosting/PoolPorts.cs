using System.Net;
using System.Net.Sockets;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// The two ports a pool listens on, claimed before it starts (<see cref="PortClaim"/>): its silo port, which makes
/// its address, and its gateway port. A pool asking for a port another holds fails at once, with nothing started;
/// the pool's silo takes the sockets over as it starts listening (<see cref="ClaimedPortListenerFactory"/>).
/// </summary>
internal sealed class PoolPorts : IDisposable
{
    private readonly PortClaim _silo;
    private readonly PortClaim _gateway;

    private PoolPorts(PortClaim silo, PortClaim gateway)
    {
        _silo = silo;
        _gateway = gateway;
    }

    /// <summary>The pool's endpoint, its address (with the port chosen for a port of 0).</summary>
    public IPEndPoint Silo => _silo.Endpoint;

    /// <summary>The pool's gateway port (chosen for a port of 0).</summary>
    public int GatewayPort => _gateway.Endpoint.Port;

    /// <summary>Claims <paramref name="silo"/> and <paramref name="gatewayPort"/> on its host (0: free ports), or neither.</summary>
    /// <exception cref="PoolPortInUseException">One of them is in use.</exception>
    public static PoolPorts Claim(IPEndPoint silo, int gatewayPort)
    {
        var siloClaim = PortClaim.Take(silo, "an actor pool");
        try
        {
            return new PoolPorts(siloClaim, PortClaim.Take(new IPEndPoint(silo.Address, gatewayPort), $"the gateway of actor pool {siloClaim.Endpoint}"));
        }
        catch
        {
            siloClaim.Dispose();
            throw;
        }
    }

    /// <summary>The socket claimed for <paramref name="endpoint"/>, handed over; null if neither port is it.</summary>
    public Socket? Release(EndPoint endpoint)
    {
        var claim = _silo.Endpoint.Equals(endpoint) ? _silo : _gateway.Endpoint.Equals(endpoint) ? _gateway : null;
        return claim?.Release();
    }

    /// <summary>Lets go of the ports no listener took over.</summary>
    public void Dispose()
    {
        _silo.Dispose();
        _gateway.Dispose();
    }
}
