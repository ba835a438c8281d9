using Orleans.Runtime;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Chooses a GPU pool of the cluster for a new actor, by asking every pool for its device: pass the address it returns
/// to <see cref="IActorContext.CreateActorAsync{TActor, TRef}(object?[], string?, string?)"/>. Works from a client and from inside a pool.
/// </summary>
/// <example>
/// <code>
/// var address = await new GpuPlacement(grainFactory).MostFreeMemoryAsync();
/// var worker = await xo.CreateActorAsync&lt;Worker, IWorker&gt;(address: address);
/// </code>
/// </example>
public sealed class GpuPlacement(IGrainFactory grains)
{
    /// <summary>Every pool of the cluster that is GPU-bound, in address order.</summary>
    public async Task<IReadOnlyList<GpuPoolInfo>> ListAsync() =>
        (await SurveyAsync()).Select(p => p.Info).OfType<GpuPoolInfo>().ToList();

    /// <summary>The GPU pool with the most free device memory.</summary>
    /// <param name="kind">Only pools on devices of this kind; any kind when null.</param>
    /// <exception cref="NoGpuPoolException">No pool qualifies.</exception>
    public Task<string> MostFreeMemoryAsync(GpuDeviceKind? kind = null) =>
        ChooseAsync(kind is null ? "in the cluster" : $"on a {kind} device", p => kind is null || p.Device.Kind == kind,
            candidates => candidates.MaxBy(p => p.FreeMemoryBytes)!);

    /// <summary>Any GPU pool (chosen at random among them).</summary>
    /// <param name="kind">Only pools on devices of this kind; any kind when null.</param>
    /// <exception cref="NoGpuPoolException">No pool qualifies.</exception>
    public Task<string> AnyAsync(GpuDeviceKind? kind = null) =>
        ChooseAsync(kind is null ? "in the cluster" : $"on a {kind} device", p => kind is null || p.Device.Kind == kind,
            candidates => candidates[Random.Shared.Next(candidates.Count)]);

    /// <summary>The pool bound to device <paramref name="index"/> of <paramref name="kind"/> (the first, if several pools share it).</summary>
    /// <exception cref="NoGpuPoolException">No pool is bound to that device.</exception>
    public Task<string> OnDeviceAsync(int index, GpuDeviceKind kind = GpuDeviceKind.Cuda) =>
        ChooseAsync($"on {kind} device {index}", p => p.Device.Kind == kind && p.Device.Index == index, candidates => candidates[0]);

    private async Task<string> ChooseAsync(string wanted, Func<GpuPoolInfo, bool> qualifies, Func<IReadOnlyList<GpuPoolInfo>, GpuPoolInfo> choose)
    {
        var pools = await SurveyAsync();
        var candidates = pools.Select(p => p.Info).OfType<GpuPoolInfo>().Where(qualifies).ToList();
        if (candidates.Count == 0) throw new NoGpuPoolException(wanted, pools.Select(p => $"{p.Address}: {p.Summary}").ToList());
        return choose(candidates).Address;
    }

    private async Task<IReadOnlyList<(string Address, GpuPoolInfo? Info, string Summary)>> SurveyAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var addresses = hosts.Keys.Select(PoolAddresses.Of).Order(StringComparer.Ordinal).ToList();
        return await Task.WhenAll(addresses.Select(async address =>
        {
            try
            {
                var info = await grains.GetGrain<IGpuPoolGrain>(IGpuPoolGrain.KeyOf(address)).Describe();
                return (address, info, info is null
                    ? "no GPU"
                    : $"{info.Device}, {info.FreeMemoryBytes / (1024 * 1024)} MiB free");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                return (address, (GpuPoolInfo?)null, $"no GPU service ({error.GetType().Name}: {error.Message})");
            }
        }));
    }
}
