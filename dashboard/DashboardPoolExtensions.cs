using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Orleans.Dashboard;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Dashboard;

/// <summary>
/// Serves the Orleans Dashboard from a pool: every pool of the cluster appears as a silo (CPU, memory, activations),
/// every actor class as a grain type with its activations, and actors' calls are profiled per method (rate,
/// latency, failures) in every pool of an <see cref="ActorPool"/>, once the dashboard is open. Its Xoscar page,
/// <c>/xoscar</c>, shows the pools as Xoscar sees them (index, label, role, process, pinned core, GPU device), each
/// pool's actors by uid and class, and the latest pool events.
/// </summary>
/// <remarks>
/// The dashboard runs inside the main pool's process, on Kestrel at the URL given. It shows every grain's type and
/// call counts: on loopback (<c>127.0.0.1</c>, the samples' choice) it answers anyone on the machine; bound to any other
/// address it answers only requests carrying the cluster's secret as a bearer token (<c>Authorization: Bearer
/// &lt;secret&gt;</c>), others get 401. Sub pools get the dashboard's silo
/// services (<c>xoscar-pool --dashboard</c>). Profiling adds an Orleans call filter to every pool, so use it where
/// that cost is welcome.
/// </remarks>
public static class DashboardPoolExtensions
{
    /// <summary>Serves the dashboard from the main pool of an <see cref="ActorPool"/> at <paramref name="url"/>.</summary>
    /// <param name="options">The pool's options.</param>
    /// <param name="url">Where Kestrel listens, e.g. <c>http://127.0.0.1:8080</c>.</param>
    /// <param name="configure">The dashboard's own options (update interval, history length, trace).</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute http(s) URL.</exception>
    /// <remarks>The dashboard's port is claimed as the pool starts: one in use fails the start with <see cref="PoolPortInUseException"/>.</remarks>
    public static ActorPoolOptions UseDashboard(this ActorPoolOptions options, string url, Action<DashboardOptions>? configure = null)
    {
        var listen = CheckUrl(url);
        options.ConfigureMainPoolSilo = Profiling(options.ConfigureMainPoolSilo, configure);
        options.ConfigureMainPoolHost = Serving(options.ConfigureMainPoolHost, listen);
        options.ProfileSubPools = true;
        return options;
    }

    /// <summary>Serves the dashboard from an <see cref="EmbeddedActorPool"/> at <paramref name="url"/>.</summary>
    /// <inheritdoc cref="UseDashboard(ActorPoolOptions, string, Action{DashboardOptions}?)" path="/param"/>
    /// <inheritdoc cref="UseDashboard(ActorPoolOptions, string, Action{DashboardOptions}?)" path="/exception"/>
    public static EmbeddedPoolOptions UseDashboard(this EmbeddedPoolOptions options, string url, Action<DashboardOptions>? configure = null)
    {
        var listen = CheckUrl(url);
        options.ConfigureSilo = Profiling(options.ConfigureSilo, configure);
        options.ConfigureHost = Serving(options.ConfigureHost, listen);
        return options;
    }

    /// <summary>The URLs the dashboard of a started pool listens on (with the port Kestrel chose for a port of 0).</summary>
    /// <param name="poolServices">The pool's services (<see cref="EmbeddedActorPool.Services"/>, <see cref="ActorPool.Services"/>).</param>
    public static IReadOnlyList<string> DashboardUrls(IServiceProvider poolServices) =>
        poolServices.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static Uri CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The dashboard URL '{url}' is not an absolute http or https URL such as http://127.0.0.1:8080.", nameof(url));
        }

        if (uri.Port == 0 && !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            throw new ArgumentException($"The dashboard URL '{url}' asks for a free port (0) on a host name; name an IP for that, such as http://127.0.0.1:0.", nameof(url));
        }

        return uri;
    }

    // The pool's silo configuration so far, then the dashboard's services (its grains and call profiler).
    private static Action<ISiloBuilder> Profiling(Action<ISiloBuilder>? before, Action<DashboardOptions>? configure) => silo =>
    {
        before?.Invoke(silo);
        silo.AddDashboard(configure);
    };

    // The pool's host configuration so far, then Kestrel at the URL with the dashboard's endpoints, on sockets claimed
    // as the host is built.
    private static Action<IHostBuilder> Serving(Action<IHostBuilder>? before, Uri url) => host =>
    {
        before?.Invoke(host);
        host.ConfigureWebHost(web => web
            .UseKestrel()
            .UseUrls(url.OriginalString)
            .ConfigureServices(services =>
            {
                services.AddRouting();
                var ports = DashboardPorts.Claim(url);
                // Made by the container as Kestrel's transport is (at the host's start), so disposed with the host.
                services.AddSingleton(_ => ports);
                services.AddOptions<SocketTransportOptions>().Configure<DashboardPorts>((o, claimed) => o.CreateBoundListenSocket = claimed.SocketFor);
            })
            .Configure(app =>
            {
                app.UseDashboardAccess(url);
                app.UseRouting();
                app.UseEndpoints(endpoints =>
                {
                    endpoints.MapOrleansDashboard();
                    endpoints.MapXoscarPage();
                });
            }));
    };
}
