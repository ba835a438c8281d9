using System.Net;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The directory of pool-placed grains: a pool records its own activations only.</summary>
public sealed class PoolAddressGrainDirectoryTests
{
    private static readonly SiloAddress Here = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress There = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 1);
    private static readonly GrainId Actor = GrainId.Create("actor", "127.0.0.1:11111/a");

    private static PoolAddressGrainDirectory Directory() => new(new FixedSilo(Here));

    private static GrainAddress Activation(SiloAddress silo) => new() { GrainId = Actor, SiloAddress = silo, ActivationId = ActivationId.NewId() };

    [Fact]
    public async Task Second_activation_of_a_grain_gets_the_first_one_back()
    {
        var directory = Directory();
        var first = Activation(Here);

        await directory.Register(first);
        var second = await directory.Register(Activation(Here));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Registration_naming_the_previous_activation_replaces_it()
    {
        var directory = Directory();
        var first = Activation(Here);
        var next = Activation(Here);
        await directory.Register(first);

        Assert.Equal(next, await directory.Register(next, first));
        Assert.Equal(next, await directory.Lookup(Actor));
    }

    [Fact]
    public async Task Unregistering_another_activation_leaves_the_registered_one()
    {
        var directory = Directory();
        var registered = Activation(Here);
        await directory.Register(registered);

        await directory.Unregister(Activation(Here));

        Assert.Equal(registered, await directory.Lookup(Actor));
    }

    [Fact]
    public async Task Unregistered_grain_is_not_found()
    {
        var directory = Directory();
        var registered = Activation(Here);
        await directory.Register(registered);

        await directory.Unregister(registered);

        Assert.Null(await directory.Lookup(Actor));
    }

    [Fact]
    public async Task Activation_in_another_pool_is_refused_naming_both_pools()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Directory().Register(Activation(There)));

        Assert.Contains(Here.ToString(), error.Message);
        Assert.Contains(There.ToString(), error.Message);
    }

    private sealed class FixedSilo(SiloAddress address) : ILocalSiloDetails
    {
        public string Name => "test";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress => address;
        public SiloAddress GatewayAddress => address;
    }
}
