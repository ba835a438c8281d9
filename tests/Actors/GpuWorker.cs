using ILGPU;
using ILGPU.Runtime;
using Xoscar.Orleans.Gpu;

namespace Xoscar.Orleans.Tests.Actors;

public interface IGpuWorker : IActor
{
    /// <summary>SAXPY on host arrays, computed on the pool's device.</summary>
    Task<float[]> Saxpy(float a, float[] x, float[] y);

    /// <summary>a·x + y into a new buffer (x and y are borrowed).</summary>
    Task<GpuBuffer<float>> SaxpyBuffers(float a, GpuBuffer<float> x, GpuBuffer<float> y);

    /// <summary>Adds a value to every element of a new copy, with a kernel only this actor uses.</summary>
    Task<float[]> AddScalar(float[] data, float value);

    Task<GpuBuffer<float>> Upload(float[] data);

    Task<GpuBuffer<float>> Echo(GpuBuffer<float> buffer);

    Task<GpuBuffer<float>> Copy(GpuBuffer<float> buffer);

    Task<float[]> Read(GpuBuffer<float> buffer);

    /// <summary>Where the buffer's elements are, seen from this actor.</summary>
    Task<long> Pointer(GpuBuffer<float> buffer);

    /// <summary>Keeps a device buffer of this many bytes until <see cref="Drop"/>.</summary>
    Task Hold(long bytes);

    Task Drop();

    /// <summary>Keeps a device buffer of <paramref name="length"/> floats and registers it as a copy target.</summary>
    Task<BufferRef> HoldTarget(int length);

    /// <summary>The held target's elements.</summary>
    Task<float[]> ReadTarget();

    /// <summary>Uploads <paramref name="data"/> and copies it from the device into <paramref name="target"/>.</summary>
    Task CopyUploaded(float[] data, BufferRef target, int? blockSize);

    /// <summary>Registers a host-side buffer: refused.</summary>
    Task RegisterHostSide();
}

public sealed class GpuWorker(GpuAccelerator gpu) : Actor, IGpuWorker
{
    private GpuBuffer<byte>? _held;
    private GpuBuffer<float>? _target;

    public Task<float[]> Saxpy(float a, float[] x, float[] y)
    {
        using var dx = gpu.Upload<float>(x);
        using var dy = gpu.Upload<float>(y);
        RunSaxpy(a, dx, dy);
        return Task.FromResult(dy.ToArray());
    }

    public Task<GpuBuffer<float>> SaxpyBuffers(float a, GpuBuffer<float> x, GpuBuffer<float> y)
    {
        y.RequireLength(x.Length);
        var result = gpu.Copy(y);
        RunSaxpy(a, x, result);
        return Task.FromResult(result);
    }

    public Task<float[]> AddScalar(float[] data, float value)
    {
        using var buffer = gpu.Upload<float>(data);
        var add = gpu.Kernels.Load<ArrayView<float>, float>(StandardKernels.AddScalar);
        gpu.Run(a =>
        {
            add((int)buffer.Length, buffer.View, value);
            a.Synchronize();
        });
        return Task.FromResult(buffer.ToArray());
    }

    public Task<GpuBuffer<float>> Upload(float[] data) => Task.FromResult(gpu.Upload<float>(data));

    public Task<GpuBuffer<float>> Echo(GpuBuffer<float> buffer) => Task.FromResult(buffer);

    public Task<GpuBuffer<float>> Copy(GpuBuffer<float> buffer) => Task.FromResult(gpu.Copy(buffer));

    public Task<float[]> Read(GpuBuffer<float> buffer) => Task.FromResult(buffer.ToArray());

    public Task<long> Pointer(GpuBuffer<float> buffer) => Task.FromResult(buffer.DevicePointer);

    public Task Hold(long bytes)
    {
        _held?.Dispose();
        _held = gpu.Allocate<byte>(bytes);
        return Task.CompletedTask;
    }

    public Task Drop()
    {
        _held?.Dispose();
        _held = null;
        return Task.CompletedTask;
    }

    public override Task PreDestroyAsync() => Drop();

    private void RunSaxpy(float a, GpuBuffer<float> x, GpuBuffer<float> y)
    {
        var saxpy = gpu.Kernels.Load<float, ArrayView<float>, ArrayView<float>>(StandardKernels.Saxpy);
        gpu.Run(accelerator =>
        {
            saxpy((int)y.Length, a, x.View, y.View);
            accelerator.Synchronize();
        });
    }

    public Task<BufferRef> HoldTarget(int length)
    {
        _target?.Dispose();
        _target = gpu.Allocate<float>(length);
        return Task.FromResult(gpu.BufferRef(_target));
    }

    public Task<float[]> ReadTarget() => Task.FromResult(_target!.ToArray());

    public async Task CopyUploaded(float[] data, BufferRef target, int? blockSize)
    {
        using var source = gpu.Upload<float>(data);
        await gpu.CopyToAsync([source], [target], blockSize);
    }

    public Task RegisterHostSide()
    {
        gpu.BufferRef(GpuBuffer<float>.FromHost([1f]));
        return Task.CompletedTask;
    }
}
