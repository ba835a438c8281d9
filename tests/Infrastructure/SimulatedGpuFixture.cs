using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Testing;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// A multi-GPU server simulated in this process: a main pool and four GPU sub pools on a simulated inventory of three
/// devices (ILGPU's CPU accelerator standing in for each, held to its configured memory) — device 0 and 1 of 64 MiB,
/// device 2 of 128 MiB with two pools on it — and a plain sub pool. Every pool is a silo of this process, with the
/// pool metadata of an actor pool, so the main pool places actors by strategy as it does across processes.
/// </summary>
public sealed class SimulatedGpuFixture : IAsyncLifetime
{
    public const long DeviceMemory = 64L << 20;
    public const long LargeDeviceMemory = 128L << 20;
    public const string Secret = "simulated-gpu-fixture-secret-41c2";

    /// <summary>The sub pools after the main pool: their device (null: a plain pool), in index order.</summary>
    public static readonly string?[] SubPoolDevices =
    [
        GpuDevices.SimulatedSpec(0, DeviceMemory),
        GpuDevices.SimulatedSpec(1, DeviceMemory),
        GpuDevices.SimulatedSpec(2, LargeDeviceMemory),
        GpuDevices.SimulatedSpec(2, LargeDeviceMemory),
        null,
    ];

    private readonly List<EmbeddedActorPool> _pools = [];

    /// <summary>Every pool in index order: the main pool first.</summary>
    public IReadOnlyList<EmbeddedActorPool> Pools => _pools;

    /// <summary>The main pool's façade.</summary>
    public IActorContext Xo => _pools[0].Context;

    /// <summary>What the pools log at warning level and above, and each actor destroyed with GPU buffers (debug, event 5114).</summary>
    public PoolLogs Logs { get; } = new() { MinimumLevel = LogLevel.Debug };

    /// <summary>The address of pool <paramref name="index"/>.</summary>
    public string Address(int index) => _pools[index].Address;

    /// <summary>Completes once a pool has freed the GPU buffers destroyed actor <paramref name="uid"/> still owned: call before destroying it.</summary>
    public Task<string> BuffersFreedWithAsync(string uid) => Logs.WaitForNewAsync(line => line.StartsWith("Debug [5114]", StringComparison.Ordinal) && line.Contains($"/{uid} was destroyed owning", StringComparison.Ordinal));

    /// <summary>The accelerator of GPU pool <paramref name="index"/>.</summary>
    public GpuAccelerator Gpu(int index) => _pools[index].Services.GetRequiredService<GpuAccelerator>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var main = await StartAsync(0, null, null, timeout.Token);
        // Orleans' membership table takes one join at a time: the sub pools join one after the other.
        for (var index = 1; index <= SubPoolDevices.Length; index++) await StartAsync(index, SubPoolDevices[index - 1], main, timeout.Token);
        await _pools[0].Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(p => p.Count == _pools.Count, timeout.Token);
    }

    private async Task<EmbeddedActorPool> StartAsync(int index, string? device, EmbeddedActorPool? main, CancellationToken cancellationToken)
    {
        var ports = PoolPorts.Claim(new IPEndPoint(IPAddress.Loopback, 0), 0);
        var gpu = device is null ? null : GpuDevices.Select([], device);
        var identity = new PoolIdentity(index, gpu is null ? null : "gpu", main is null ? PoolKind.Main : PoolKind.Sub, new Dictionary<string, string>(),
            main?.Address ?? ports.Silo.ToString(), Gpu: gpu);
        var settings = new PoolHostSettings(ports.Silo, ports.GatewayPort, main is null ? null : IPEndPoint.Parse(main.Address), "simulated-gpu-test", LogLevel.Warning,
            o =>
            {
                o.SharedMemory = true;
                o.GpuMemorySampleInterval = TimeSpan.FromMilliseconds(200);
            },
            identity,
            ConfigureSilo: silo =>
            {
                if (device is not null) silo.AddXoscarGpu(o => o.Device = device);
                silo.Services.AddLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Warning)
                    .AddFilter<PoolLogs>("Xoscar.Orleans.Gpu.GpuBuffersOfDestroyedActors", LogLevel.Debug));
            })
        {
            Secret = Secret,
            Ports = ports,
        };
        var pool = await EmbeddedActorPool.StartAsync(settings, cancellationToken);
        _pools.Add(pool);
        return pool;
    }

    public async Task DisposeAsync()
    {
        // Sub pools first, then the main pool, which keeps the membership.
        for (var i = _pools.Count - 1; i >= 0; i--) await _pools[i].DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatedGpuCollection : ICollectionFixture<SimulatedGpuFixture>
{
    public const string Name = "simulated gpus";
}

/// <summary>
/// A test class on the simulated multi-GPU server. Tests share its pools one after the other: each destroys the actors
/// it created, so that the next one finds every device free of reservations.
/// </summary>
[Collection(SimulatedGpuCollection.Name)]
public abstract class SimulatedGpuTest(SimulatedGpuFixture fixture) : IAsyncLifetime
{
    private readonly List<IActor> _created = [];

    protected SimulatedGpuFixture Fixture => fixture;

    /// <summary>The main pool's façade.</summary>
    protected IActorContext Xo => fixture.Xo;

    /// <summary>Creates an actor by <paramref name="strategy"/>, destroyed when the test ends.</summary>
    protected async Task<TRef> CreateAsync<TActor, TRef>(AllocationStrategy strategy, object?[]? args = null)
        where TActor : ActorBase, TRef
        where TRef : IActor
    {
        var actor = await Xo.CreateActorAsync<TActor, TRef>(strategy, args);
        _created.Add(actor);
        return actor;
    }

    /// <summary>Destroys an actor this test created now rather than at its end.</summary>
    protected async Task DestroyAsync(IActor actor)
    {
        _created.Remove(actor);
        await Xo.DestroyActorAsync(actor);
    }

    /// <summary>Has the test's end destroy <paramref name="actors"/> (created some other way).</summary>
    protected void DestroyAtEnd(IEnumerable<IActor> actors) => _created.AddRange(actors);

    /// <summary>The GPU pools' configs as the main pool's placement sees them now, by pool index.</summary>
    protected async Task<IReadOnlyList<PoolConfig>> GpuPoolsAsync() => (await Xo.GetPoolConfigAsync()).Where(p => p.Gpu is not null).ToList();

    /// <summary>The device figures of GPU pool <paramref name="index"/>.</summary>
    protected async Task<PoolGpu> DeviceOfPoolAsync(int index) => (await Xo.GetPoolConfigAsync()).Single(p => p.Index == index).Gpu!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var actor in _created)
        {
            try
            {
                await Xo.DestroyActorAsync(actor);
            }
            catch (ActorNotExistException)
            {
                // The test destroyed it, or its creation was undone.
            }
        }

        Assert.All(await GpuPoolsAsync(), p => Assert.Empty(p.Gpu!.Reservations!));
    }
}
