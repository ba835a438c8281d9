using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Dashboard;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Silo.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// GPU allocation strategies on the simulated server: devices 0 and 1 of 64 MiB (pools 1, 2), device 2 of 128 MiB
/// (pools 3, 4), a plain pool 5.
/// </summary>
public sealed class GpuPlacementTests(SimulatedGpuFixture fixture) : SimulatedGpuTest(fixture)
{
    private const long MiB = 1 << 20;

    private static object?[] Member(string key, long bytes = 0, bool failToStart = false) => [key, bytes, failToStart];

    private async Task<int> DeviceOf(IGpuMember member) => (await member.Device()).Index;

    [Fact]
    public async Task Pool_config_shows_each_GPU_pool_device_from_its_silo_metadata()
    {
        var configs = await Xo.GetPoolConfigAsync();

        Assert.Equal([null, 0, 1, 2, 2, null], configs.Select(c => c.Gpu?.Device.Index));
        Assert.All(configs.Where(c => c.Gpu is not null), c => Assert.Equal(GpuDeviceKind.Simulated, c.Gpu!.Device.Kind));
        Assert.Equal([64 * MiB, 64 * MiB, 128 * MiB, 128 * MiB], configs.Where(c => c.Gpu is not null).Select(c => c.Gpu!.Device.MemoryBytes));
        Assert.Equal("Simulated GPU 2", configs[4].Gpu!.Device.Name);
    }

    [Fact]
    public async Task Any_places_in_GPU_pools_only()
    {
        var gpuPools = Enumerable.Range(1, 4).Select(Fixture.Address).ToList();

        for (var i = 0; i < 6; i++)
        {
            var member = await CreateAsync<GpuMember, IGpuMember>(GpuPool.Any, Member("any"));
            Assert.Contains(member.GetActorId().Address, gpuPools);
        }
    }

    [Fact]
    public async Task Device_index_places_on_that_device_in_its_least_held_pool()
    {
        var one = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(1), Member("device"));
        var first = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(2), Member("device"));
        var second = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(2), Member("device"));

        Assert.Equal(Fixture.Address(2), one.GetActorId().Address);
        Assert.Equal(1, await DeviceOf(one));
        Assert.Equal(new[] { Fixture.Address(3), Fixture.Address(4) }.Order(), new[] { first, second }.Select(m => m.GetActorId().Address).Order());
    }

    [Fact]
    public async Task Unknown_device_index_is_refused_naming_every_GPU_pool_and_its_device()
    {
        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(7), Member("unknown")));

        Assert.Equal("GpuPool(device 7)", error.Requested);
        Assert.Contains("no GPU pool is bound to a device with index 7", error.Message);
        Assert.Equal([1, 2, 3, 4], error.GpuPools.Select(p => p.Index));
        Assert.All(error.GpuPools, p => Assert.Contains($"{p.Address} (pool {p.Index}) on sim:", error.Message));
    }

    [Fact]
    public async Task Memory_request_goes_to_a_device_that_has_it_and_is_reserved_there()
    {
        var member = await CreateAsync<GpuMember, IGpuMember>(GpuPool.WithMemory(100 * MiB), Member("memory"));
        var device = await DeviceOfPoolAsync(member.GetActorId().Address == Fixture.Address(3) ? 3 : 4);

        Assert.Equal(2, await DeviceOf(member));
        Assert.Equal(100 * MiB, device.ReservedMemoryBytes);
        var reservation = Assert.Single(device.Reservations!);
        Assert.Equal((member.GetActorId().Address, member.GetActorId().Uid, 100 * MiB), (reservation.Address, reservation.Uid, reservation.MemoryBytes));
        Assert.Equal(28 * MiB, device.AvailableMemoryBytes);
    }

    [Fact]
    public async Task Memory_request_no_device_can_hold_is_refused_before_anything_is_created()
    {
        var key = Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(GpuPool.WithMemory(200 * MiB), Member(key)));

        Assert.Equal(0, GpuMember.ConstructedWith(key));
        Assert.Equal("GpuPool(200 MiB)", error.Requested);
        Assert.Contains("cannot hold 200 MiB more", error.Message);
        Assert.Contains("sim:2:134217728 'Simulated GPU 2' (128 MiB): 128 MiB free, 128 MiB available, 0 B and share 0 reserved by 0 actors", error.Message);
    }

    [Fact]
    public async Task Concurrent_memory_requests_never_over_commit_a_device()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                return (object)await Xo.CreateActorAsync<GpuMember, IGpuMember>(GpuPool.WithMemory(40 * MiB), Member("concurrent"));
            }
            catch (NoGpuCapacityException error)
            {
                return error;
            }
        }));
        var placed = attempts.OfType<IGpuMember>().ToList();
        DestroyAtEnd(placed);

        // 40 MiB fits once in each 64 MiB device and three times in the 128 MiB one.
        Assert.Equal(5, placed.Count);
        Assert.Equal(5, attempts.OfType<NoGpuCapacityException>().Count());
        Assert.Equal([1, 1, 3], (await Task.WhenAll(placed.Select(DeviceOf))).GroupBy(d => d).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(await GpuPoolsAsync(), p => Assert.True(p.Gpu!.ReservedMemoryBytes <= p.Gpu.Device.MemoryBytes));
    }

    [Fact]
    public async Task Shares_put_several_actors_on_one_device_up_to_a_whole_device()
    {
        var quarter = new GpuPool(device: 0, share: 0.25);
        for (var i = 0; i < 4; i++) await CreateAsync<GpuMember, IGpuMember>(quarter, Member("share"));

        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(quarter, Member("share")));

        Assert.Contains("sim:0:67108864 cannot hold share 0.25 more", error.Message);
        var device = await DeviceOfPoolAsync(1);
        Assert.Equal(1.0, device.ReservedShare);
        Assert.Equal(4, device.Reservations!.Count);
    }

    [Fact]
    public async Task Packed_shares_fill_one_device_before_the_next()
    {
        var half = new GpuPool(share: 0.5, pick: GpuPick.Packed);
        var devices = new List<int>();
        for (var i = 0; i < 4; i++) devices.Add(await DeviceOf(await CreateAsync<GpuMember, IGpuMember>(half, Member("packed"))));

        Assert.Equal([0, 0, 1, 1], devices);
    }

    [Fact]
    public async Task Most_free_memory_follows_memory_used_as_its_pools_sample_it()
    {
        Assert.Equal(2, await DeviceOf(await CreateAsync<GpuMember, IGpuMember>(GpuPool.MostFreeMemory, Member("most-free"))));

        // Memory used on device 2 outside any reservation: seen once its pools are sampled.
        var user = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(2), Member("most-free"));
        await user.Keep(100 * MiB);
        await WaitUntilAsync(async () => (await DeviceOfPoolAsync(3)).FreeMemoryBytes < 64 * MiB);

        Assert.NotEqual(2, await DeviceOf(await CreateAsync<GpuMember, IGpuMember>(GpuPool.MostFreeMemory, Member("most-free"))));
    }

    [Fact]
    public async Task Memory_allocated_outside_reservations_is_not_available_until_it_is_freed()
    {
        var user = await CreateAsync<GpuMember, IGpuMember>(GpuPool.OnDevice(0), Member("outside", bytes: 40 * MiB));
        var request = new GpuPool(device: 0, memoryBytes: 40 * MiB);
        await WaitUntilAsync(async () => (await DeviceOfPoolAsync(1)).FreeMemoryBytes == 24 * MiB);

        await Assert.ThrowsAsync<NoGpuCapacityException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(request, Member("outside")));
        await user.Release();

        // The last sample still has the memory in use: a placement that finds no room samples again before it refuses.
        await CreateAsync<GpuMember, IGpuMember>(request, Member("outside"));
    }

    [Fact]
    public async Task Memory_an_actor_reserved_and_allocated_counts_once()
    {
        var owner = await CreateAsync<GpuMember, IGpuMember>(new GpuPool(device: 0, memoryBytes: 40 * MiB), Member("once", bytes: 40 * MiB));
        await WaitUntilAsync(async () => (await DeviceOfPoolAsync(1)).FreeMemoryBytes == 24 * MiB);

        Assert.Equal(24 * MiB, (await DeviceOfPoolAsync(1)).AvailableMemoryBytes);
        await CreateAsync<GpuMember, IGpuMember>(new GpuPool(device: 0, memoryBytes: 20 * MiB), Member("once"));
    }

    [Fact]
    public async Task Destroying_an_actor_releases_its_reservation_at_once()
    {
        var request = new GpuPool(device: 1, memoryBytes: 50 * MiB);
        var first = await CreateAsync<GpuMember, IGpuMember>(request, Member("destroy"));
        await Assert.ThrowsAsync<NoGpuCapacityException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(request, Member("destroy")));

        await DestroyAsync(first);

        Assert.Empty((await DeviceOfPoolAsync(2)).Reservations!);
        await CreateAsync<GpuMember, IGpuMember>(request, Member("destroy"));
    }

    [Fact]
    public async Task A_creation_that_fails_leaves_no_reservation()
    {
        var request = new GpuPool(device: 1, memoryBytes: 50 * MiB, share: 1);

        await Assert.ThrowsAsync<InvalidDataException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(request, Member("failing", failToStart: true)));
        await Assert.ThrowsAsync<FormatException>(() => Xo.CreateActorAsync<Failing, IFailing>(request, ["ctor"]));

        Assert.Empty((await DeviceOfPoolAsync(2)).Reservations!);
        await CreateAsync<GpuMember, IGpuMember>(request, Member("failing"));
    }

    [Fact]
    public async Task A_sub_pool_shows_the_reservations_its_main_pool_holds()
    {
        var member = await CreateAsync<GpuMember, IGpuMember>(new GpuPool(device: 0, memoryBytes: 8 * MiB, share: 0.5), Member("shown"));

        var seenFromSubPool = (await Xo.GetPoolConfigAsync(Fixture.Address(5))).Single(p => p.Index == 1).Gpu!;

        Assert.Equal(new GpuReservation(member.GetActorId().Address, member.GetActorId().Uid, 8 * MiB, 0.5), Assert.Single(seenFromSubPool.Reservations!));
        Assert.Equal(0.5, seenFromSubPool.ReservedShare);
    }

    [Fact]
    public async Task Idle_label_slot_is_free_again_once_its_actor_is_destroyed_or_failed_to_start()
    {
        var slot = new IdleLabel("gpu", Guid.NewGuid().ToString("N"));
        await Assert.ThrowsAsync<InvalidDataException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(slot, Member("idle", failToStart: true)));
        var holders = new List<IGpuMember>();
        for (var i = 0; i < 4; i++) holders.Add(await CreateAsync<GpuMember, IGpuMember>(slot, Member("idle")));
        await Assert.ThrowsAsync<NoIdleSlotException>(() => Xo.CreateActorAsync<GpuMember, IGpuMember>(slot, Member("idle")));

        await DestroyAsync(holders[2]);

        Assert.Equal(holders[2].GetActorId().Address, (await CreateAsync<GpuMember, IGpuMember>(slot, Member("idle"))).GetActorId().Address);
    }

    [Fact]
    public async Task Idle_label_slot_whose_actor_vanished_unannounced_is_found_free_when_every_slot_is_held()
    {
        var slot = new IdleLabel("gpu", Guid.NewGuid().ToString("N"));
        var holders = new List<IGpuMember>();
        for (var i = 0; i < 4; i++) holders.Add(await CreateAsync<GpuMember, IGpuMember>(slot, Member("vanish")));
        var vanished = holders[1].GetActorId();
        var registry = Fixture.Pools.Single(p => p.Address == vanished.Address).Services.GetRequiredService<ActorRegistry>();

        // Its spec goes without the main pool hearing of it, as when the news of a destroy is lost on the way.
        Assert.True(registry.TryGet(vanished.Uid, out var spec));
        registry.Remove(vanished.Uid, spec.ActorType);

        Assert.Equal(vanished.Address, (await CreateAsync<GpuMember, IGpuMember>(slot, Member("vanish"))).GetActorId().Address);
    }

    [Fact]
    public async Task Dashboard_row_of_a_GPU_pool_shows_its_devices_reservations_and_a_plain_pool_row_no_device()
    {
        await CreateAsync<GpuMember, IGpuMember>(new GpuPool(device: 1, memoryBytes: 8 * MiB, share: 0.25), Member("dashboard"));
        var main = Fixture.Pools[0].Services;

        var rows = XoscarPage.PoolRows(main.GetRequiredService<PoolDirectory>(), main.GetRequiredService<PoolAllocator>());

        Assert.Contains("8 MiB and share 0.25 reserved by 1 actors", rows.Single(r => r.Index == 2).Gpu);
        Assert.Contains("0 B and share 0 reserved by 0 actors", rows.Single(r => r.Index == 1).Gpu);
        Assert.Null(rows.Single(r => r.Index == 5).Gpu);
    }

    [Fact]
    public void Requests_out_of_range_are_refused_naming_the_argument()
    {
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => GpuPool.WithShare(1.5)).ParamName);
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => GpuPool.WithShare(0)).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => GpuPool.WithMemory(0)).ParamName);
        Assert.Equal("device", Assert.Throws<ArgumentOutOfRangeException>(() => GpuPool.OnDevice(-1)).ParamName);
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => new GpuPool(share: double.NaN)).ParamName);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        // Samples are taken every 200 ms here: allow for a busy machine.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition()) await Task.Delay(50, deadline.Token);
    }
}
