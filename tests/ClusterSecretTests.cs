using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Every connection to a pool proves the cluster's secret before any message is accepted: a stock Orleans client, a
/// client with another secret and a pool with another secret are refused at once, clients with the secret are served,
/// and the secret appears in no sub pool's command line or environment and in no log.
/// </summary>
[Collection(PoolProcessesCollection.Name)]
public sealed class ClusterSecretTests(PoolProcessesFixture fixture)
{
    private const string ClusterId = "pool-processes-test";

    private ActorPool Pool => fixture.Pool;

    private IActorContext Xo => fixture.Pool.Context;

    private string Gateway => $"127.0.0.1:{Pool.GatewayPort}";

    private string Secret => PoolConnectionFile.Read(Pool.ConnectionFile).Secret;

    // An Orleans client of the pool's gateway with AddXoscar and the secret given.
    private IHost OrleansClientWithXoscar(string secret) => new HostBuilder()
        .UseOrleansClient(client => client
            .UseStaticClustering(IPEndPoint.Parse(Gateway))
            .Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = ClusterId)
            .AddXoscar(o => o.ClusterSecret = secret))
        .Build();

    [Fact]
    public async Task Stock_Orleans_client_with_the_right_cluster_id_is_refused_and_the_pool_logs_it()
    {
        var refusal = fixture.Logs.WaitForAsync(line => line.Contains("Refused a connection from 127.0.0.1 at this pool's gateway: it did not start the cluster-secret handshake"));
        using var host = new HostBuilder()
            .UseOrleansClient(client => client
                .UseStaticClustering(IPEndPoint.Parse(Gateway))
                .Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = ClusterId)
                .UseConnectionRetryFilter((_, _) => Task.FromResult(false)))
            .Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.IsType<ConnectionFailedException>(error);   // the gateway closed the connection; not a timeout
        await refusal.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Client_with_another_secret_is_refused_within_a_second_saying_where_the_secret_is()
    {
        var options = new ActorClientOptions { Gateways = { Gateway }, ClusterId = ClusterId, Secret = ClusterSecret.Generate() };
        var refusal = fixture.Logs.WaitForAsync(line => line.Contains("Refused a connection from 127.0.0.1 at this pool's gateway: it does not hold the cluster's secret"));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterSecretRejectedException>(() => ActorClient.ConnectAsync(options));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refused after {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(Gateway, error.Address);
        Assert.Contains("requires its secret", error.Message);
        Assert.Contains("connection file", error.Message);
        Assert.DoesNotContain(options.Secret, error.Message);
        await refusal.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Client_without_a_secret_is_told_where_to_find_it_before_connecting()
    {
        var subPool = (await Xo.GetPoolConfigAsync())[1];   // a sub pool's gateway has no connection file of its own
        var gateway = $"127.0.0.1:{subPool.GatewayPort}";

        var error = await Assert.ThrowsAsync<ClusterSecretRejectedException>(() => ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { gateway }, ClusterId = ClusterId }));

        Assert.Equal(gateway, error.Address);
        Assert.Contains(PoolConnectionFile.DefaultFolder, error.Message);
    }

    [Fact]
    public async Task Client_given_only_the_connection_file_calls_actors()
    {
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { ConnectionFile = Pool.ConnectionFile });

        var counter = await client.Context.CreateActorAsync<Counter, ICounter>([1], address: Pool.Addresses[1]);

        Assert.Equal(2, await counter.Add(1));
    }

    [Fact]
    public async Task Client_of_the_main_pool_gateway_finds_the_secret_in_its_connection_file()
    {
        await using var client = await ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { Gateway }, ClusterId = ClusterId });

        var counter = await client.Context.CreateActorAsync<Counter, ICounter>([10], address: Pool.Address);

        Assert.Equal(11, await counter.Add(1));
    }

    [Fact]
    public async Task Orleans_client_with_AddXoscar_and_the_secret_calls_actors()
    {
        using var host = OrleansClientWithXoscar(Secret);
        await host.StartAsync();
        try
        {
            var xo = host.Services.GetRequiredService<IActorContext>();
            var counter = await xo.CreateActorAsync<Counter, ICounter>([20], address: Pool.Addresses[2]);

            Assert.Equal(21, await counter.Add(1));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Orleans_client_with_AddXoscar_and_another_secret_fails_its_start_at_once()
    {
        using var host = OrleansClientWithXoscar(ClusterSecret.Generate());

        var error = await Record.ExceptionAsync(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.IsType<ClusterSecretRejectedException>(RefusalRetryFilter.Refusal(error));
    }

    [Fact]
    public async Task Pool_with_another_secret_cannot_join_the_cluster()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var intruder = await EmbeddedActorPool.StartAsync(
                new EmbeddedPoolOptions { JoinAddress = Pool.Address, ClusterId = ClusterId, Secret = ClusterSecret.Generate() }, timeout.Token);
        });

        Assert.NotNull(error);
        Assert.Equal(Pool.Addresses.Count, (await Xo.GetPoolConfigAsync()).Count);
    }

    [Fact]
    public void Secret_is_in_no_sub_pool_command_line_or_environment()
    {
        var secret = Encoding.UTF8.GetBytes(Secret);

        foreach (var processId in Pool.SubPoolProcessIds)
        {
            Assert.False(File.ReadAllBytes($"/proc/{processId}/cmdline").AsSpan().IndexOf(secret) >= 0, $"sub pool {processId}'s command line");
            Assert.False(File.ReadAllBytes($"/proc/{processId}/environ").AsSpan().IndexOf(secret) >= 0, $"sub pool {processId}'s environment");
            Assert.Contains(Pool.ConnectionFile, File.ReadAllText($"/proc/{processId}/cmdline"));   // where it reads it from instead
        }
    }

    [Fact]
    public async Task Secret_is_in_no_log_line_of_any_pool()
    {
        // A refusal first, so that what is logged about refused peers is among the lines checked.
        await Assert.ThrowsAsync<ClusterSecretRejectedException>(() => ActorClient.ConnectAsync(
            new ActorClientOptions { Gateways = { Gateway }, ClusterId = ClusterId, Secret = ClusterSecret.Generate() }));

        Assert.NotEmpty(fixture.Logs.Lines);
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(Secret));
    }

    [Fact]
    public async Task Silo_with_AddXoscar_and_no_secret_fails_its_start_saying_so()
    {
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering(PoolEndpoints.FreePort(IPAddress.Loopback), PoolEndpoints.FreePort(IPAddress.Loopback)).AddXoscar())
            .Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("XoscarOptions.ClusterSecret is not set", error.Message);
    }

    [Fact]
    public async Task Short_secret_is_refused_without_quoting_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { Secret = "too-short" }));

        Assert.Equal(nameof(EmbeddedPoolOptions.Secret), error.ParamName);
        Assert.DoesNotContain("too-short", error.Message);
    }

    [Fact]
    public async Task Redis_membership_without_a_secret_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorPool.CreateAsync(new ActorPoolOptions { Membership = PoolMembership.Redis("127.0.0.1:6379") }));

        Assert.Equal(nameof(ActorPoolOptions.Secret), error.ParamName);
    }
}
