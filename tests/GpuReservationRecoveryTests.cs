using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Reservations when a GPU sub pool's process dies: released with its actors, or kept and taken back as a recovery re-creates them.</summary>
public sealed class GpuReservationRecoveryTests
{
    private const long MiB = 1 << 20;
    private static readonly GpuPool Large = new(device: 0, memoryBytes: 48 * MiB);

    private static Task<ActorPool> StartAsync(string clusterId, SubPoolRecovery recovery) => ActorPool.CreateAsync(new ActorPoolOptions
    {
        SubPools = 1,
        ClusterId = clusterId,
        Gpus = [GpuDevices.SimulatedSpec(0, 64 * MiB)],
        AutoRecover = recovery,
        WarmSpares = false,
    });

    private static async Task<PoolGpu> DeviceAsync(ActorPool pool) => (await pool.Context.GetPoolConfigAsync()).Single(p => p.Index == 1).Gpu!;

    [Fact]
    public async Task Killing_the_pool_of_a_GPU_actor_releases_its_reservation()
    {
        var pool = await StartAsync("gpu-kill-release-test", SubPoolRecovery.Process);
        try
        {
            var victim = await pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(Large);
            await Assert.ThrowsAsync<NoGpuCapacityException>(() => pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(Large));

            await pool.Context.KillActorAsync(victim);
            await pool.WaitPoolRecoveredAsync(pool.Addresses[1]);

            Assert.Empty((await DeviceAsync(pool)).Reservations!);
            await pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(Large);
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Fact]
    public async Task A_recovery_re_creates_a_GPU_actor_with_its_reservation_taken_again()
    {
        var pool = await StartAsync("gpu-recovery-retake-test", SubPoolRecovery.Actors);
        try
        {
            var survivor = await pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(Large, uid: "survivor");

            await pool.Context.KillActorAsync(survivor);
            await pool.WaitPoolRecoveredAsync(pool.Addresses[1]);

            Assert.True(await pool.Context.HasActorAsync(survivor));
            Assert.Equal(new GpuReservation(pool.Addresses[1], "survivor", 48 * MiB, 0), Assert.Single((await DeviceAsync(pool)).Reservations!));
            await Assert.ThrowsAsync<NoGpuCapacityException>(() => pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(Large));
            await pool.Context.DestroyActorAsync(survivor);
            Assert.Empty((await DeviceAsync(pool)).Reservations!);
        }
        finally
        {
            await ProcessCleanup.StopAsync(pool);
        }
    }

    [Fact]
    public async Task GPU_placement_in_an_actor_pool_without_GPU_pools_is_refused_saying_so()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { ClusterId = "gpu-none-test" });

        var error = await Assert.ThrowsAsync<NoGpuCapacityException>(() => pool.Context.CreateActorAsync<GpuWorker, IGpuWorker>(GpuPool.Any));

        Assert.Contains("no pool of this actor pool is bound to a GPU", error.Message);
        Assert.Empty(error.GpuPools);
    }
}
