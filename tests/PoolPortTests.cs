using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xoscar.Orleans.Dashboard;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Every listener of a pool claims its port exclusively before anything starts: a port in use is refused with
/// <see cref="PoolPortInUseException"/> naming it, and no two listeners ever share a port.
/// </summary>
public sealed class PoolPortTests
{
    [Fact]
    public async Task Of_two_pools_started_at_the_same_moment_on_one_port_one_starts_and_the_other_is_refused_naming_it()
    {
        var port = PoolEndpoints.FreePort(IPAddress.Loopback);
        var options = new EmbeddedPoolOptions { Address = $"127.0.0.1:{port}", ClusterId = "port-race" };

        var (started, refused) = await RaceAsync(() => EmbeddedActorPool.StartAsync(options));

        await using (started)
        {
            var error = Assert.IsType<PoolPortInUseException>(refused);
            Assert.Equal(port, error.Port);
            Assert.Contains($"Cannot start an actor pool on 127.0.0.1:{port}: port {port} is already in use", error.Message);
            Assert.Equal(1, Listeners(port));
            var counter = await started.Context.CreateActorAsync<Counter, ICounter>([0]);
            Assert.Equal(1, await counter.Add(1));
        }

        Assert.Equal(0, Listeners(port));   // nothing of the refused pool holds it
    }

    [Fact]
    public async Task Of_two_actor_pools_started_at_the_same_moment_on_one_port_one_starts_and_the_other_is_refused()
    {
        var port = PoolEndpoints.FreePort(IPAddress.Loopback);
        var options = new ActorPoolOptions { Address = $"127.0.0.1:{port}", ClusterId = "actor-pool-port-race" };

        var (started, refused) = await RaceAsync(() => ActorPool.CreateAsync(options));

        await using (started)
        {
            Assert.Equal(port, Assert.IsType<PoolPortInUseException>(refused).Port);
            Assert.Equal(1, Listeners(port));
        }

        Assert.Equal(0, Listeners(port));
    }

    [Fact]
    public async Task A_pool_on_the_port_or_the_gateway_port_of_a_running_pool_is_refused()
    {
        await using var running = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "port-holder" });

        var onItsPort = await Assert.ThrowsAsync<PoolPortInUseException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { Address = running.Address }));
        var onItsGateway = await Assert.ThrowsAsync<PoolPortInUseException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { GatewayPort = running.GatewayPort }));

        Assert.Contains($"an actor pool on {running.Address}", onItsPort.Message);
        Assert.Equal(running.GatewayPort, onItsGateway.Port);
        Assert.Contains($"Cannot start the gateway of actor pool 127.0.0.1:", onItsGateway.Message);
        Assert.Equal(1, Listeners(int.Parse(running.Address.Split(':')[1], CultureInfo.InvariantCulture)));
        Assert.Equal(1, Listeners(running.GatewayPort));
    }

    [Fact]
    public async Task A_gateway_port_held_by_another_process_is_refused_naming_it_and_the_pools_port_is_let_go()
    {
        using var taken = Listening();
        var poolPort = PoolEndpoints.FreePort(IPAddress.Loopback);

        var error = await Assert.ThrowsAsync<PoolPortInUseException>(() => EmbeddedActorPool.StartAsync(
            new EmbeddedPoolOptions { Address = $"127.0.0.1:{poolPort}", GatewayPort = Port(taken) }));

        Assert.Equal(Port(taken), error.Port);
        Assert.Equal("127.0.0.1", error.Host);
        Assert.Equal(0, Listeners(poolPort));
    }

    [Fact]
    public async Task A_dashboard_port_in_use_fails_the_start_naming_it_with_nothing_left_running()
    {
        using var taken = Listening();
        var poolPort = PoolEndpoints.FreePort(IPAddress.Loopback);

        var error = await Assert.ThrowsAsync<PoolPortInUseException>(() => EmbeddedActorPool.StartAsync(
            new EmbeddedPoolOptions { Address = $"127.0.0.1:{poolPort}", ClusterId = "dashboard-port" }.UseDashboard($"http://127.0.0.1:{Port(taken)}")));

        Assert.Equal(Port(taken), error.Port);
        Assert.Contains($"Cannot start the dashboard on 127.0.0.1:{Port(taken)}", error.Message);
        Assert.Equal(0, Listeners(poolPort));
        Assert.Equal(1, Listeners(Port(taken)));
    }

    [Fact]
    public async Task The_pool_host_on_a_port_in_use_exits_saying_so()
    {
        using var taken = Listening();

        var (exitCode, error) = await PoolHostLauncher.RunAsync("--address", $"127.0.0.1:{Port(taken)}");

        Assert.Equal(PoolHostProtocol.PortInUseExitCode, exitCode);
        Assert.Contains($"xoscar-pool: Cannot start an actor pool on 127.0.0.1:{Port(taken)}: port {Port(taken)} is already in use", error);
        Assert.Equal(1, Listeners(Port(taken)));
    }

    // Starts two at the same moment; exactly one must start and one fail.
    private static async Task<(T Started, Exception Refused)> RaceAsync<T>(Func<Task<T>> start) where T : class
    {
        using var together = new Barrier(2);
        var starts = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            together.SignalAndWait();
            return start();
        })).ToList();
        var outcomes = new List<(T? Started, Exception? Error)>();
        foreach (var attempt in starts)
        {
            try
            {
                outcomes.Add((await attempt, null));
            }
            catch (Exception error)
            {
                outcomes.Add((null, error));
            }
        }

        var started = outcomes.Where(o => o.Started is not null).Select(o => o.Started!).ToList();
        var refused = outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
        if (started.Count != 1)
        {
            foreach (var pool in started.OfType<IAsyncDisposable>()) await pool.DisposeAsync();
            Assert.Fail($"{started.Count} of 2 pools started on one port; errors: {string.Join("; ", refused.Select(e => e.Message))}");
        }

        return (started[0], Assert.Single(refused));
    }

    private static TcpListener Listening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    // How many sockets of this machine listen on TCP port `port` (Linux: the kernel's socket tables).
    private static int Listeners(int port)
    {
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields.Length > 3 && fields[1].EndsWith(":" + hex, StringComparison.Ordinal) && fields[3] == "0A");
    }
}
