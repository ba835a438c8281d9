namespace Xoscar.Orleans.Runtime;

/// <summary>
/// A GPU pool's device memory, asked of the pool itself by its main pool's placement; keyed <c>address/xoscar.gpu</c>
/// and placed in that pool. Implemented where the pool is GPU-bound (<c>AddXoscarGpu</c>).
/// </summary>
[Alias("xoscar.IGpuPoolGrain")]
internal interface IGpuPoolGrain : IGrainWithStringKey
{
    /// <summary>The key of the grain in the pool at <paramref name="address"/>.</summary>
    static string KeyOf(string address) => address + "/xoscar.gpu";

    /// <summary>The pool's device memory now.</summary>
    [Alias("Sample")] Task<GpuMemorySample> Sample();
}
