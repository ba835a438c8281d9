using System.Net;

namespace Xoscar.Orleans.Silo;

/// <summary>How a starting pool gets its cluster's secret and hands it on: checked or generated, then written to its connection file.</summary>
internal static class PoolSecrets
{
    /// <summary>Checks a secret given in a pool's options; with a membership store one must be given.</summary>
    /// <exception cref="ArgumentException">The secret is too short, or missing where pools of several hosts must share it.</exception>
    public static void Check(string? secret, PoolMembership membership, string argument)
    {
        if (secret is not null)
        {
            ClusterSecret.Check(secret, argument);
            return;
        }

        if (membership != PoolMembership.MainPool)
        {
            throw new ArgumentException(
                $"Membership is {membership}, through which pools of several hosts form one cluster: they must share one secret, and a secret generated here " +
                $"would be this host's alone. Set {argument} the same on every host (ClusterSecret.Generate() makes one; xoscar-pool --secret-file reads one).", argument);
        }
    }

    /// <summary>Writes the connection file of a pool at <paramref name="endpoint"/> whose gateway is <paramref name="gatewayPort"/>, at <paramref name="path"/> or the default path.</summary>
    public static PoolConnectionFile.Owned WriteConnectionFile(string? path, string clusterId, IPEndPoint endpoint, int gatewayPort, string secret)
    {
        var gateway = new IPEndPoint(endpoint.Address, gatewayPort).ToString();
        return PoolConnectionFile.Write(path ?? PoolConnectionFile.DefaultPath(gateway), clusterId, gateway, endpoint.ToString(), secret);
    }
}
