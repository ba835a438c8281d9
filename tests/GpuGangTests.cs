using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Gang placement on the simulated server: devices 0 and 1 of 64 MiB, device 2 of 128 MiB.</summary>
public sealed class GpuGangTests(SimulatedGpuFixture fixture) : SimulatedGpuTest(fixture)
{
    private const long MiB = 1 << 20;

    private static object?[][] Members(string key, int count, int failing = -1) =>
        Enumerable.Range(0, count).Select(rank => new object?[] { key, 0L, rank == failing }).ToArray();

    private async Task<IReadOnlyList<IGpuMember>> GangAsync(GpuGang gang, object?[][] members, IReadOnlyList<string>? uids = null)
    {
        var gangMembers = await Xo.CreateGpuGangAsync<GpuMember, IGpuMember>(gang, members, uids);
        DestroyAtEnd(gangMembers);
        return gangMembers;
    }

    private static async Task<int[]> DevicesOf(IEnumerable<IGpuMember> members) => (await Task.WhenAll(members.Select(m => m.Device()))).Select(d => d.Index).ToArray();

    [Fact]
    public async Task Gang_puts_each_member_on_its_own_device_in_rank_order_with_its_reservation()
    {
        var members = await GangAsync(new GpuGang(GpuPool.WithMemory(16 * MiB)), Members("gang", 3));

        Assert.Equal(new[] { 0, 1, 2 }, await DevicesOf(members));
        Assert.All(await GpuPoolsAsync(), p => Assert.Equal(16 * MiB, p.Gpu!.ReservedMemoryBytes));
    }

    [Fact]
    public async Task Gang_that_needs_more_devices_than_can_hold_it_is_refused_with_nothing_created()
    {
        var key = Guid.NewGuid().ToString("N");

        var tooMany = await Assert.ThrowsAsync<NoGpuCapacityException>(() => GangAsync(new GpuGang(GpuPool.WithShare(0.5)), Members(key, 4)));
        var tooLarge = await Assert.ThrowsAsync<NoGpuCapacityException>(() => GangAsync(new GpuGang(GpuPool.WithMemory(100 * MiB)), Members(key, 2)));

        Assert.Contains("fewer than 4 devices of one kind can each hold share 0.5", tooMany.Message);
        Assert.Contains("fewer than 2 devices of one kind can each hold 100 MiB", tooLarge.Message);
        Assert.Equal(0, GpuMember.ConstructedWith(key));
        Assert.All(await GpuPoolsAsync(), p => Assert.Empty(p.Gpu!.Reservations!));
    }

    [Fact]
    public async Task Gang_whose_member_fails_to_start_leaves_no_member_and_no_reservation()
    {
        var uids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("N")).ToList();

        await Assert.ThrowsAsync<InvalidDataException>(() => GangAsync(new GpuGang(GpuPool.WithMemory(16 * MiB)), Members("failing-gang", 3, failing: 1), uids));

        var configs = await Xo.GetPoolConfigAsync();
        Assert.All(configs.Where(p => p.Gpu is not null), p => Assert.Empty(p.Gpu!.Reservations!));
        foreach (var pool in configs)
        {
            foreach (var uid in uids) await Assert.ThrowsAsync<ActorNotExistException>(() => Xo.ActorRefAsync<IGpuMember>(pool.Address, uid));
        }
    }

    [Fact]
    public async Task Gang_on_named_devices_goes_there_in_rank_order()
    {
        var members = await GangAsync(new GpuGang(GpuPool.WithShare(1), devices: [2, 0]), Members("named", 2));

        Assert.Equal(new[] { 2, 0 }, await DevicesOf(members));
    }

    [Fact]
    public async Task Gang_on_a_named_device_that_cannot_hold_a_member_is_refused_naming_it()
    {
        await GangAsync(new GpuGang(GpuPool.WithShare(1), devices: [1]), Members("blocker", 1));

        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => GangAsync(new GpuGang(GpuPool.WithShare(0.5), devices: [0, 1]), Members("named", 2)));

        Assert.Contains("sim:1:67108864 cannot hold share 0.5 more", error.Message);
    }

    [Fact]
    public async Task Contiguous_gang_takes_devices_with_consecutive_indices()
    {
        // Device 1 is taken whole: no two consecutive devices are left for a whole-device gang.
        await GangAsync(new GpuGang(GpuPool.WithShare(1), devices: [1]), Members("blocker", 1));

        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => GangAsync(new GpuGang(GpuPool.WithShare(1), contiguous: true), Members("contiguous", 2)));
        var spread = await GangAsync(new GpuGang(GpuPool.WithShare(1)), Members("spread", 2));

        Assert.Contains("no 2 devices with consecutive indices can each hold share 1", error.Message);
        Assert.Equal(new[] { 0, 2 }, await DevicesOf(spread));
    }

    [Fact]
    public void Gang_that_names_a_device_twice_or_a_device_for_each_member_is_refused_as_it_is_made()
    {
        var twice = Assert.Throws<ArgumentException>(() => new GpuGang(GpuPool.Any, devices: [0, 1, 0]));
        var each = Assert.Throws<ArgumentException>(() => new GpuGang(GpuPool.OnDevice(1)));
        var gap = Assert.Throws<ArgumentException>(() => new GpuGang(GpuPool.Any, devices: [0, 2], contiguous: true));

        Assert.Equal(("devices", "each", "devices"), (twice.ParamName, each.ParamName, gap.ParamName));
        Assert.Contains("Device 0 is named 2 times in [0, 1, 0]", twice.Message);
    }

    [Fact]
    public async Task Gang_with_a_device_list_or_uids_not_one_per_member_is_refused_before_it_is_sent()
    {
        var devices = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CreateGpuGangAsync<GpuMember, IGpuMember>(new GpuGang(GpuPool.Any, devices: [0, 1]), Members("count", 3)));
        var uids = await Assert.ThrowsAsync<ArgumentException>(() => Xo.CreateGpuGangAsync<GpuMember, IGpuMember>(new GpuGang(GpuPool.Any), Members("count", 2), ["a", "a"]));

        Assert.Equal(("gang", "uids"), (devices.ParamName, uids.ParamName));
    }
}
