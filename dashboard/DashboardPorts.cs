using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Dashboard;

/// <summary>
/// The sockets the dashboard listens on, claimed as its pool's host is built — before the pool starts — and handed
/// to Kestrel as it binds (<see cref="SocketTransportOptions.CreateBoundListenSocket"/>): a dashboard URL whose port is
/// in use fails the pool's start with <see cref="PoolPortInUseException"/>, with nothing started.
/// </summary>
/// <remarks>The endpoints are those Kestrel binds for the URL: its IP; both loopbacks for <c>localhost</c>; any address
/// (IPv6 and IPv4 where the machine has IPv6) for other hosts.</remarks>
internal sealed class DashboardPorts : IDisposable
{
    private const string Listener = "the dashboard";

    private readonly List<PortClaim> _claims;

    private DashboardPorts(List<PortClaim> claims) => _claims = claims;

    /// <summary>Claims the endpoints of <paramref name="url"/>, an absolute http(s) URL.</summary>
    /// <exception cref="PoolPortInUseException">One is in use.</exception>
    public static DashboardPorts Claim(Uri url)
    {
        var claims = new List<PortClaim>();
        try
        {
            if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip))
            {
                claims.Add(PortClaim.Take(new IPEndPoint(ip, url.Port), Listener));
            }
            else if (url.IsLoopback)
            {
                claims.Add(PortClaim.Take(new IPEndPoint(IPAddress.Loopback, url.Port), Listener));
                if (Optional(new IPEndPoint(IPAddress.IPv6Loopback, url.Port)) is { } v6) claims.Add(v6);
            }
            else
            {
                claims.Add(Optional(new IPEndPoint(IPAddress.IPv6Any, url.Port)) ?? PortClaim.Take(new IPEndPoint(IPAddress.Any, url.Port), Listener));
            }

            return new DashboardPorts(claims);
        }
        catch
        {
            claims.ForEach(c => c.Dispose());
            throw;
        }
    }

    /// <summary>The socket claimed for <paramref name="endpoint"/>, or one Kestrel binds itself for an endpoint not claimed.</summary>
    public Socket SocketFor(EndPoint endpoint) =>
        _claims.FirstOrDefault(c => c.Asked.Equals(endpoint)) is { } claim
            ? claim.Release()
            : SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);

    /// <summary>Lets go of the sockets Kestrel did not take.</summary>
    public void Dispose() => _claims.ForEach(c => c.Dispose());

    // An IPv6 endpoint on a machine that may have no IPv6: Kestrel goes on without it, and so does the claim.
    private static PortClaim? Optional(IPEndPoint endpoint)
    {
        try
        {
            return PortClaim.Take(endpoint, Listener);
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            return null;
        }
    }
}
