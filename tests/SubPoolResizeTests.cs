using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class SubPoolResizeTests
{
    [Fact]
    public async Task Added_sub_pool_joins_the_config_with_its_env_and_hosts_actors_until_it_is_removed()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { ClusterId = "resize-test" });

        var added = await pool.AddSubPoolAsync("extra", new Dictionary<string, string> { ["XOSCAR_EXTRA"] = "yes" });
        var config = await pool.Context.GetPoolConfigAsync();
        var probe = await pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(new RandomLabel("extra"));

        Assert.Equal([pool.Address, added], config.Select(p => p.Address));
        Assert.Equal((1, "extra", PoolKind.Sub), (config[1].Index, config[1].Label, config[1].Kind));
        Assert.Equal("yes", config[1].Env["XOSCAR_EXTRA"]);
        Assert.Equal(added, probe.GetActorId().Address);
        Assert.Equal("yes", await probe.Env("XOSCAR_EXTRA"));
        Assert.Equal(pool.SubPoolProcessIds, [await probe.ProcessId()]);

        await pool.RemoveSubPoolAsync(added);

        Assert.Equal([pool.Address], (await pool.Context.GetPoolConfigAsync()).Select(p => p.Address));
        Assert.Empty(pool.SubPoolProcessIds);
        var closed = await Assert.ThrowsAsync<ServerClosedException>(() => probe.ProcessId());
        Assert.Equal(added, closed.Address);
        Assert.Contains("was stopped by RemoveSubPoolAsync", closed.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => pool.RemoveSubPoolAsync(added));
        await Assert.ThrowsAsync<ArgumentException>(() => pool.AddSubPoolAsync("two words"));
    }
}
