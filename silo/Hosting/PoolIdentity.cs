using System.Net;
using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Silo;

/// <summary>A pool's place in its cluster, published as silo metadata (see <c>PoolMetadata</c> in Xoscar.Orleans.Placement).</summary>
/// <param name="Index">0 for the main pool, 1..n for sub pools.</param>
/// <param name="Label">The pool's label, or null.</param>
/// <param name="Kind">Main or sub pool.</param>
/// <param name="Env">The environment variables the pool was given on top of its parent's.</param>
/// <param name="Core">The CPU core the pool's process is pinned to, or null.</param>
/// <param name="Gpu">The device a GPU pool is bound to, as discovered (index, name, kind, architecture, memory, library), or null.</param>
/// <param name="MainAddress">The address of the main pool of the actor pool it belongs to: its own for a main pool.</param>
/// <param name="Recoverable">Whether the pool reports the actors it creates and destroys to the main pool, which re-creates them after a restart.</param>
/// <param name="Recovering">Whether the pool starts as the restart of a pool whose process died: until its main pool has re-created its
/// actors, a call to an actor it does not have yet raises <see cref="PoolRecoveringException"/> (the caller waits) rather than <see cref="ActorNotExistException"/>.</param>
internal sealed record PoolIdentity(
    int Index, string? Label, PoolKind Kind, IReadOnlyDictionary<string, string> Env, string MainAddress, bool Recoverable = false, int? Core = null, GpuDeviceInfo? Gpu = null,
    bool Recovering = false)
{
    /// <summary>What the pool at <paramref name="endpoint"/>, taking clients on <paramref name="gatewayPort"/>, publishes about itself.</summary>
    public PoolConfig Describe(IPEndPoint endpoint, int gatewayPort) =>
        new(endpoint.ToString(), Index, Label, Kind, Environment.ProcessId, Env, gatewayPort, Core, Gpu?.ToString(), MainAddress, Gpu is null ? null : new PoolGpu(Gpu));
}
