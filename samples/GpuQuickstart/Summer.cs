using Xoscar.Orleans;
using Xoscar.Orleans.Gpu;

namespace GpuQuickstart;

public interface ISummer : IActor
{
    /// <summary>The sum of the buffer's elements and where the buffer lives.</summary>
    Task<(double Sum, long DevicePointer)> Sum(GpuBuffer<float> values);
}

public sealed class Summer : Actor, ISummer
{
    public Task<(double Sum, long DevicePointer)> Sum(GpuBuffer<float> values) =>
        Task.FromResult((values.ToArray().Sum(v => (double)v), values.DevicePointer));
}
