using ILGPU;
using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Gpu.Bench;

public interface IGpuBenchActor : IActor
{
    /// <summary>Allocates x and y of <paramref name="n"/> floats (non-zero data) and a small buffer of <paramref name="small"/> floats.</summary>
    Task Prepare(int n, int small);

    /// <summary>y = a·x + y on the held buffers, synchronised.</summary>
    Task Saxpy(float a);

    /// <summary>Launches a small kernel on the small buffer and synchronises.</summary>
    Task Launch();

    /// <summary>Every <paramref name="stride"/>-th element of y.</summary>
    Task<float[]> SampleY(int stride);

    /// <summary>Receives a buffer (a hand-off) and reports where it is.</summary>
    Task<long> Touch(GpuBuffer<float> buffer);

    Task<float[]> Read(GpuBuffer<float> buffer);

    Task Release();

    /// <summary>Holds a zeroed device buffer of <paramref name="n"/> floats registered as a copy target (replacing the last one).</summary>
    Task<BufferRef> HoldTarget(int n);

    /// <summary>The held target's elements.</summary>
    Task<float[]> ReadTarget();

    /// <summary>Allocates <paramref name="buffers"/> device buffers of <paramref name="n"/> floats and forgets them: only the actor's destruction frees them.</summary>
    Task Hoard(int n, int buffers);
}

public sealed class GpuBenchActor(GpuAccelerator gpu) : Actor, IGpuBenchActor
{
    private GpuBuffer<float>? _x, _y, _small, _target;

    public Task Prepare(int n, int small)
    {
        Release();
        _x = gpu.Upload<float>(BenchData.X(n));
        _y = gpu.Upload<float>(BenchData.Y(n));
        _small = gpu.Upload<float>(BenchData.X(small));
        return Task.CompletedTask;
    }

    public Task Saxpy(float a)
    {
        var (x, y) = (_x!, _y!);
        var kernel = gpu.Kernels.Load<float, ArrayView<float>, ArrayView<float>>(StandardKernels.Saxpy);
        gpu.Run(accelerator =>
        {
            kernel((int)y.Length, a, x.View, y.View);
            accelerator.Synchronize();
        });
        return Task.CompletedTask;
    }

    public Task Launch()
    {
        var small = _small!;
        var kernel = gpu.Kernels.Load<ArrayView<float>, float>(StandardKernels.AddScalar);
        gpu.Run(accelerator =>
        {
            kernel((int)small.Length, small.View, 1f);
            accelerator.Synchronize();
        });
        return Task.CompletedTask;
    }

    public Task<float[]> SampleY(int stride)
    {
        var all = _y!.ToArray();
        return Task.FromResult(Enumerable.Range(0, (all.Length + stride - 1) / stride).Select(i => all[i * stride]).ToArray());
    }

    public Task<long> Touch(GpuBuffer<float> buffer) => Task.FromResult(buffer.DevicePointer);

    public Task<float[]> Read(GpuBuffer<float> buffer) => Task.FromResult(buffer.ToArray());

    public Task Release()
    {
        _x?.Dispose();
        _y?.Dispose();
        _small?.Dispose();
        _target?.Dispose();
        (_x, _y, _small, _target) = (null, null, null, null);
        return Task.CompletedTask;
    }

    public Task<BufferRef> HoldTarget(int n)
    {
        _target?.Dispose();
        _target = gpu.Upload<float>(new float[n]);
        return Task.FromResult(gpu.BufferRef(_target));
    }

    public Task<float[]> ReadTarget() => Task.FromResult(_target!.ToArray());

    public Task Hoard(int n, int buffers)
    {
        for (var i = 0; i < buffers; i++) gpu.Allocate<float>(n);
        return Task.CompletedTask;
    }

    public override Task PreDestroyAsync() => Release();
}
