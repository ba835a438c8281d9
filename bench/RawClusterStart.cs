using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// The <c>pool_start</c> baseline: three plain Orleans silos (no Xoscar) started in this process with the same
/// development clustering, the primary first and the other two joining it one after the other, as sub pools join —
/// Orleans' own start-up cost without the processes. (Joining at once, one of the two often loses the race for the
/// membership table and Orleans backs it off for seconds: the baseline swung from 0.5 to 3.3 s.)
/// </summary>
public static class RawClusterStart
{
    /// <summary>Seconds until all three silos have started; they are stopped afterwards.</summary>
    public static async Task<double> MeasureAsync()
    {
        var clock = Stopwatch.StartNew();
        var primary = Silo(null);
        await primary.Host.StartAsync();
        var others = new[] { Silo(primary.Endpoint), Silo(primary.Endpoint) };
        foreach (var other in others) await other.Host.StartAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var (host, _) in others.Prepend(primary).Reverse())
        {
            await host.StopAsync();
            host.Dispose();
        }

        return seconds;
    }

    private static (IHost Host, IPEndPoint Endpoint) Silo(IPEndPoint? primary)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PoolEndpoints.FreePort(IPAddress.Loopback));
        var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering(endpoint.Port, PoolEndpoints.FreePort(IPAddress.Loopback), primary, "raw-bench", "raw-bench"))
            .Build();
        return (host, endpoint);
    }
}
