using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// A GPU-bound actor pool inside the current process: an <see cref="EmbeddedActorPool"/> made a GPU pool with
/// <see cref="XoscarGpuSiloBuilderExtensions.AddXoscarGpu"/>. Several can join one cluster (one per device).
/// </summary>
/// <example>
/// <code>
/// await using var pool = await EmbeddedGpuPool.StartAsync(gpu: o => o.Device = "cpu");
/// var worker = await pool.Context.CreateActorAsync&lt;Worker, IWorker&gt;(uid: "w");
/// </code>
/// </example>
public sealed class EmbeddedGpuPool : IAsyncDisposable
{
    private readonly EmbeddedActorPool _pool;

    private EmbeddedGpuPool(EmbeddedActorPool pool) => _pool = pool;

    /// <summary>The pool's address, <c>host:port</c>.</summary>
    public string Address => _pool.Address;

    /// <summary>The façade, with this pool as its default address.</summary>
    public IActorContext Context => _pool.Context;

    /// <summary>The pool's accelerator.</summary>
    public GpuAccelerator Gpu => Services.GetRequiredService<GpuAccelerator>();

    /// <summary>The pool's services.</summary>
    public IServiceProvider Services => _pool.Services;

    /// <summary>Starts the pool and returns once it accepts actors; a device that is not there fails the start.</summary>
    /// <param name="pool">Where and how the pool runs (its <see cref="EmbeddedPoolOptions.ConfigureSilo"/> runs too).</param>
    /// <param name="gpu">The device and other GPU options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedGpuPool> StartAsync(EmbeddedPoolOptions? pool = null, Action<GpuPoolOptions>? gpu = null, CancellationToken cancellationToken = default)
    {
        pool ??= new EmbeddedPoolOptions();
        var configureSilo = pool.ConfigureSilo;
        var options = new EmbeddedPoolOptions
        {
            Address = pool.Address,
            GatewayPort = pool.GatewayPort,
            JoinAddress = pool.JoinAddress,
            ClusterId = pool.ClusterId,
            LogLevel = pool.LogLevel,
            Configure = pool.Configure,
            Membership = pool.Membership,
            Tls = pool.Tls,
            Secret = pool.Secret,
            ConnectionFile = pool.ConnectionFile,
            ConfigureHost = pool.ConfigureHost,
            ConfigureSilo = silo =>
            {
                configureSilo?.Invoke(silo);
                silo.AddXoscarGpu(gpu);
            },
        };
        return new EmbeddedGpuPool(await EmbeddedActorPool.StartAsync(options, cancellationToken));
    }

    /// <summary>Stops the pool and releases its accelerator.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
