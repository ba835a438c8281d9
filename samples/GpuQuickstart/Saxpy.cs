using ILGPU;
using Xoscar.Orleans;
using Xoscar.Orleans.Gpu;

namespace GpuQuickstart;

public interface ISaxpy : IActor
{
    /// <summary>a·x + y, left on the pool's device.</summary>
    Task<GpuBuffer<float>> Compute(float a, float[] x, float[] y);
}

/// <summary>A GPU actor: it receives its pool's accelerator by constructor injection.</summary>
public sealed class Saxpy(GpuAccelerator gpu) : Actor, ISaxpy
{
    public Task<GpuBuffer<float>> Compute(float a, float[] x, float[] y)
    {
        using var dx = gpu.Upload<float>(x);
        var dy = gpu.Upload<float>(y);
        var kernel = gpu.Kernels.Load<float, ArrayView<float>, ArrayView<float>>(StandardKernels.Saxpy);
        gpu.Run(accelerator =>
        {
            kernel((int)dy.Length, a, dx.View, dy.View);
            accelerator.Synchronize();
        });
        return Task.FromResult(dy);   // handed to the caller, still on the device
    }
}
