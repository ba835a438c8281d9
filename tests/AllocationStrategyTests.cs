using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class AllocationStrategyTests(PoolProcessesFixture fixture) : PoolProcessesTest(fixture)
{
    private async Task<string> PoolOf(AllocationStrategy strategy, string? address = null)
    {
        var counter = await Xo.CreateActorAsync<Counter, ICounter>(strategy, [0], address: address);
        Assert.Equal(1, await counter.Add(1));   // created where the reference says, and callable there
        return counter.GetActorId().Address;
    }

    [Fact]
    public async Task Address_specified_main_pool_and_process_index_choose_that_pool()
    {
        Assert.Equal(Pool.Addresses[2], await PoolOf(new AddressSpecified(Pool.Addresses[2])));
        Assert.Equal(Pool.Addresses[0], await PoolOf(new MainPool()));
        Assert.Equal(Pool.Addresses[1], await PoolOf(new ProcessIndex(1)));
        Assert.Equal(Pool.Addresses[2], await PoolOf(new ProcessIndex(2)));
    }

    [Fact]
    public async Task Strategy_sent_to_a_sub_pool_is_decided_by_the_main_pool()
    {
        Assert.Equal(Pool.Addresses[0], await PoolOf(new MainPool(), address: Pool.Addresses[1]));
        Assert.Equal(Pool.Addresses[2], await PoolOf(new ProcessIndex(2), address: Pool.Addresses[1]));
    }

    [Fact]
    public async Task Random_pool_sub_pool_and_label_choose_only_among_matching_pools()
    {
        var subPools = Pool.Addresses.Skip(1).ToList();
        var chosen = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            chosen.Add(await PoolOf(new RandomSubPool()));
            chosen.Add(await PoolOf(new RandomLabel(PoolProcessesFixture.SubPoolLabel)));
        }

        Assert.All(chosen, address => Assert.Contains(address, subPools));
        Assert.Equal(Pool.Addresses[0], await PoolOf(new RandomLabel("main")));
        Assert.Contains(await PoolOf(new RandomPool()), Pool.Addresses);
    }

    [Fact]
    public async Task Strategy_that_no_pool_fits_raises_no_idle_slot()
    {
        await Assert.ThrowsAsync<NoIdleSlotException>(() => PoolOf(new RandomLabel("gpu")));
        await Assert.ThrowsAsync<NoIdleSlotException>(() => PoolOf(new ProcessIndex(7)));
        await Assert.ThrowsAsync<NoIdleSlotException>(() => PoolOf(new IdleLabel("gpu", "any")));
    }

    [Fact]
    public async Task Idle_label_puts_concurrent_actors_in_different_pools_then_raises_no_idle_slot_until_one_is_destroyed()
    {
        var strategy = new IdleLabel(PoolProcessesFixture.SubPoolLabel, Guid.NewGuid().ToString("N"));

        var both = await Task.WhenAll(
            Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(strategy),
            Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(strategy));
        var processes = await Task.WhenAll(both.Select(p => p.ProcessId()));

        Assert.Equal(Pool.SubPoolProcessIds.Order(), processes.Order());
        await Assert.ThrowsAsync<NoIdleSlotException>(() => Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(strategy));

        // Another mark does not compete for the same slots.
        var otherMark = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(strategy with { Mark = "other-" + strategy.Mark });
        Assert.Contains(otherMark.GetActorId().Address, Pool.Addresses.Skip(1));

        await Xo.DestroyActorAsync(both[1]);
        var again = await Xo.CreateActorAsync<ProcessProbe, IProcessProbe>(strategy);

        Assert.Equal(both[1].GetActorId().Address, again.GetActorId().Address);
    }
}
