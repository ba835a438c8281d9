namespace Xoscar.Orleans;

/// <summary>What a pool publishes about itself (Xoscar's <c>get_pool_config</c> entry).</summary>
/// <param name="Address">The pool address, <c>host:port</c>.</param>
/// <param name="Index">Its index: 0 for the main pool, 1..n for sub pools; -1 for a pool started without pool metadata (a plain <c>AddXoscar</c> silo).</param>
/// <param name="Label">Its label, or null.</param>
/// <param name="Kind">Main or sub pool.</param>
/// <param name="ProcessId">The id of the process it runs in; 0 where a pool without metadata runs elsewhere.</param>
/// <param name="Env">The environment variables it was started with on top of its parent's.</param>
/// <param name="Core">The CPU core its process is pinned to, or null when it may run on any.</param>
/// <param name="Device">For a GPU pool, the accelerator device it owns, as discovered (name, memory, architecture, library); else null.</param>
/// <param name="MainAddress">The address of the main pool of the actor pool it belongs to (its own for a main pool): pools with the same one were started together on one host; null for a pool without metadata.</param>
/// <param name="Gpu">For a GPU pool, its device (index, name, kind, architecture, memory) and, as its main pool's placement sees them, the device's free memory and reservations; else null.</param>
/// <param name="GatewayPort">The port Orleans clients connect to it on (same host as <paramref name="Address"/>); 0 where unknown.</param>
[GenerateSerializer, Immutable, Alias("xoscar.PoolConfig")]
public sealed record PoolConfig(
    [property: Id(0)] string Address,
    [property: Id(1)] int Index,
    [property: Id(2)] string? Label,
    [property: Id(3)] PoolKind Kind,
    [property: Id(4)] int ProcessId,
    [property: Id(5)] IReadOnlyDictionary<string, string> Env,
    [property: Id(6)] int GatewayPort,
    [property: Id(7)] int? Core = null,
    [property: Id(8)] string? Device = null,
    [property: Id(9)] string? MainAddress = null,
    [property: Id(10)] PoolGpu? Gpu = null);
