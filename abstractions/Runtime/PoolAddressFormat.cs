using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// What a pool address is: <c>host:port</c> with an IP host (an IPv6 one in brackets), written as pools write their
/// own — the endpoint their silo listens on, <c>127.0.0.1:11111</c> or <c>[::1]:11111</c>. Checked wherever an address
/// is taken, so that a malformed one fails at once, naming itself, instead of as a pool that does not run.
/// </summary>
internal static class PoolAddressFormat
{
    /// <summary>Returns <paramref name="address"/> if it names a pool (its port is 1–65535).</summary>
    /// <exception cref="ArgumentException">It does not; names <paramref name="argument"/> and says what is wrong.</exception>
    public static string Check(string? address, string argument)
    {
        Parse(address, argument, portZero: false);
        return address!;
    }

    /// <summary>Reads <paramref name="address"/> as an endpoint; <paramref name="portZero"/> lets port 0 (a pool starting on a free port) through.</summary>
    /// <exception cref="ArgumentException">It is not a pool address; names <paramref name="argument"/> and says what is wrong.</exception>
    public static IPEndPoint Parse(string? address, string argument, bool portZero)
    {
        if (address is null) throw new ArgumentNullException(argument, "A pool address is needed (host:port, e.g. 127.0.0.1:11111).");
        if (Problem(address, portZero, out var endpoint) is { } problem)
        {
            throw new ArgumentException(
                $"Pool address {PrintableText.Quote(address)} {problem}; a pool address is host:port with an IP host, as pools write theirs (e.g. 127.0.0.1:11111 or [::1]:11111).",
                argument);
        }

        return endpoint!;
    }

    private static string? Problem(string address, bool portZero, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (address.Trim().Length == 0) return "is empty";
        var colon = address.LastIndexOf(':');
        if (colon < 0 || address.EndsWith(']')) return "has no port";
        var host = address[..colon];
        var portText = address[(colon + 1)..];
        if (host.Length == 0) return "has no host";
        var lowest = portZero ? 0 : 1;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < lowest || port > IPEndPoint.MaxPort)
        {
            return port == 0 && portText.Length > 0 && portText.All(char.IsAsciiDigit)
                ? "has port 0, which no running pool has (0 only asks a pool that starts to take a free port)"
                : $"has port {PrintableText.Quote(portText)}, which is not a number from {lowest} to {IPEndPoint.MaxPort}";
        }

        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (!IPAddress.TryParse(bracketed ? host[1..^1] : host, out var ip)) return $"has host {PrintableText.Quote(host)}, which is not an IP address";
        endpoint = new IPEndPoint(ip, port);
        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed) return $"has an IPv6 host out of brackets; write {endpoint}";
        var written = endpoint.ToString();
        return written == address ? null : $"is not written as a pool writes it: {written}";
    }
}
