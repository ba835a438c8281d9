using Microsoft.Extensions.Logging.Abstractions;
using Xoscar.Orleans.Gpu;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Checks that need a real CUDA device (run by gpu/device/run-gpu-checks.sh on a lent GPU machine).</summary>
public sealed class GpuCudaTests
{
    [GpuCudaFact]
    public void CUDA_device_reports_its_architecture_and_the_driver_library()
    {
        var cuda = GpuDevices.Discover().First(d => d.Kind == GpuDeviceKind.Cuda);

        Assert.StartsWith("SM_", cuda.Architecture);
        Assert.Contains("cuda", cuda.Library);
        Assert.True(cuda.MemoryBytes > 1L << 30);
    }

    [GpuCudaFact]
    public void SAXPY_on_a_CUDA_device_matches_the_CPU_reference_and_frees_its_buffers()
    {
        using var gpu = new GpuAccelerator("0", NullLogger.Instance);
        var n = 1 << 20;
        var x = Enumerable.Range(1, n).Select(i => i * 0.001f).ToArray();
        var y = Enumerable.Range(1, n).Select(i => 1f - i * 0.0005f).ToArray();

        using (var dx = gpu.Upload<float>(x))
        using (var dy = gpu.Upload<float>(y))
        {
            var saxpy = gpu.Kernels.Load<float, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>>(StandardKernels.Saxpy);
            gpu.Run(a =>
            {
                saxpy(n, 2f, dx.View, dy.View);
                a.Synchronize();
            });
            var result = dy.ToArray();
            for (var i = 0; i < n; i += 997) Assert.Equal(2f * x[i] + y[i], result[i], 1e-3f);
        }

        Assert.Equal(0, gpu.Ledger.LiveBuffers);
        Assert.True(gpu.FreeMemoryBytes > 0);
    }
}
