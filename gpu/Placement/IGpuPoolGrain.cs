namespace Xoscar.Orleans.Gpu;

/// <summary>A pool's GPU facts, asked of the pool itself; keyed <c>address/xoscar.gpu</c> and placed in that pool.</summary>
internal interface IGpuPoolGrain : IGrainWithStringKey
{
    /// <summary>The key of the grain in the pool at <paramref name="address"/>.</summary>
    static string KeyOf(string address) => address + "/xoscar.gpu";

    /// <summary>The pool's device and memory, or null when the pool is not GPU-bound.</summary>
    Task<GpuPoolInfo?> Describe();
}
