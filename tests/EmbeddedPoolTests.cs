using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class EmbeddedPoolTests
{
    [Fact]
    public async Task Embedded_pool_starts_in_process_and_hosts_actors_at_its_address()
    {
        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "embedded-test" });

        var counter = await pool.Context.CreateActorAsync<Counter, ICounter>([1], "c");

        Assert.StartsWith("127.0.0.1:", pool.Address);
        Assert.Equal(pool.Address, pool.Context.DefaultAddress);
        Assert.Equal(new ActorId(pool.Address, "c"), counter.GetActorId());
        Assert.Equal(2, await counter.Add(1));
    }

    [Fact]
    public async Task Embedded_pool_refuses_an_address_that_is_not_host_and_port()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { Address = "localhost" }));

        Assert.Contains("localhost", error.Message);
    }
}
