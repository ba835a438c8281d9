using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ActorAssemblyTests
{
    [Fact]
    public async Task Sub_pool_knows_only_the_actor_classes_of_the_assemblies_it_was_given()
    {
        var options = new ActorPoolOptions { SubPools = 1, ClusterId = "actor-assembly-test" };
        options.ActorAssemblies.Add(typeof(ActorPool).Assembly);   // holds no user actors: the sub pool loads none
        await using var pool = await ActorPool.CreateAsync(options);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => pool.Context.CreateActorAsync<Counter, ICounter>([0], address: pool.Addresses[1]));
        var inMainPool = await pool.Context.CreateActorAsync<Counter, ICounter>([0], address: pool.Address);

        Assert.Contains($"is not an actor class loaded in pool {pool.Addresses[1]}", error.Message);
        Assert.Contains("whose actor classes come from no assembly", error.Message);
        Assert.Contains("Start the pool with --assembly PATH", error.Message);
        Assert.Equal(1, await inMainPool.Add(1));
    }
}
