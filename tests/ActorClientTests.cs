using System.Net;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Connecting a client to pools that are not there, or with options that cannot work, fails with a named error instead of waiting.</summary>
public sealed class ActorClientTests
{
    [Fact]
    public async Task Client_of_a_gateway_where_no_pool_runs_fails_naming_it()
    {
        var gateway = $"127.0.0.1:{PoolEndpoints.FreePort(IPAddress.Loopback)}";

        var error = await Assert.ThrowsAsync<ServerClosedException>(() => ActorClient.ConnectAsync(new ActorClientOptions
        {
            Gateways = { gateway },
            Secret = ClusterSecret.Generate(),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }));

        Assert.Equal(gateway, error.Address);
        Assert.Contains($"through gateway {gateway}", error.Message);
    }

    [Fact]
    public async Task Client_of_an_unreachable_membership_store_fails_naming_it_without_its_password()
    {
        var port = PoolEndpoints.FreePort(IPAddress.Loopback);

        var error = await Assert.ThrowsAsync<ServerClosedException>(() => ActorClient.ConnectAsync(new ActorClientOptions
        {
            Membership = PoolMembership.Redis($"127.0.0.1:{port},password=hidden-secret"),
            Secret = ClusterSecret.Generate(),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }));

        Assert.Equal($"Redis at 127.0.0.1:{port}", error.Address);
        Assert.DoesNotContain("hidden-secret", error.Message);
    }

    [Fact]
    public async Task Client_without_gateways_or_a_membership_store_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorClient.ConnectAsync(new ActorClientOptions()));

        Assert.Equal(nameof(ActorClientOptions.Gateways), error.ParamName);
    }

    [Fact]
    public async Task Client_given_gateways_and_a_membership_store_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorClient.ConnectAsync(new ActorClientOptions
        {
            Gateways = { "127.0.0.1:30000" },
            Membership = PoolMembership.Redis("127.0.0.1:6379"),
        }));

        Assert.Equal(nameof(ActorClientOptions.Gateways), error.ParamName);
    }

    [Fact]
    public async Task Gateway_that_is_not_host_and_port_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorClient.ConnectAsync(new ActorClientOptions { Gateways = { "pool-one" } }));

        Assert.Equal(nameof(ActorClientOptions.Gateways), error.ParamName);
        Assert.Contains("pool-one", error.Message);
    }
}
