using Xoscar.Orleans.Gpu;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>A test that needs a CUDA device: skipped, with the reason shown, where ILGPU finds none.</summary>
public sealed class GpuCudaFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> HasCuda = new(GpuDevices.HasCuda);

    public GpuCudaFactAttribute()
    {
        if (!HasCuda.Value) Skip = "No CUDA device: ILGPU found none (libcuda.so.1 absent or no GPU); runs on the GPU machine (gpu/device/run-gpu-checks.sh).";
    }
}
