using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// The kernels of one GPU pool, compiled once for its accelerator and shared by all its actors, keyed by the kernel
/// method. Launchers run on the accelerator's default stream and must be called inside <see cref="GpuAccelerator.Run"/>.
/// </summary>
public sealed class GpuKernelCache
{
    private readonly ConcurrentDictionary<(MethodInfo Method, Type Launcher), Lazy<Delegate>> _kernels = new();
    private readonly GpuAccelerator _gpu;
    private readonly ILogger _logger;
    private long _compiled;
    private long _loads;

    internal GpuKernelCache(GpuAccelerator gpu, ILogger logger)
    {
        _gpu = gpu;
        _logger = logger;
    }

    /// <summary>Kernels compiled in this pool.</summary>
    public long Compiled => Interlocked.Read(ref _compiled);

    /// <summary>Loads that found the kernel already compiled.</summary>
    public long Hits => Interlocked.Read(ref _loads) - Compiled;

    /// <summary>The launcher of a one-parameter kernel (one GPU thread per index; groups sized by ILGPU).</summary>
    public Action<Index1D, T1> Load<T1>(Action<Index1D, T1> kernel)
        where T1 : struct =>
        GetOrLoad(kernel, a => a.LoadAutoGroupedStreamKernel(kernel));

    /// <summary>The launcher of a two-parameter kernel.</summary>
    public Action<Index1D, T1, T2> Load<T1, T2>(Action<Index1D, T1, T2> kernel)
        where T1 : struct where T2 : struct =>
        GetOrLoad(kernel, a => a.LoadAutoGroupedStreamKernel(kernel));

    /// <summary>The launcher of a three-parameter kernel.</summary>
    public Action<Index1D, T1, T2, T3> Load<T1, T2, T3>(Action<Index1D, T1, T2, T3> kernel)
        where T1 : struct where T2 : struct where T3 : struct =>
        GetOrLoad(kernel, a => a.LoadAutoGroupedStreamKernel(kernel));

    /// <summary>The launcher of a four-parameter kernel.</summary>
    public Action<Index1D, T1, T2, T3, T4> Load<T1, T2, T3, T4>(Action<Index1D, T1, T2, T3, T4> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        GetOrLoad(kernel, a => a.LoadAutoGroupedStreamKernel(kernel));

    private TLauncher GetOrLoad<TLauncher>(Delegate kernel, Func<Accelerator, TLauncher> load)
        where TLauncher : Delegate
    {
        var entry = _kernels.GetOrAdd((kernel.Method, typeof(TLauncher)), _ => new Lazy<Delegate>(() =>
        {
            var launcher = _gpu.Run(load);
            Interlocked.Increment(ref _compiled);
            GpuLog.KernelCompiled(_logger, $"{kernel.Method.DeclaringType?.Name}.{kernel.Method.Name}", _gpu.Device.Spec);
            return launcher;
        }));
        var result = (TLauncher)entry.Value;
        Interlocked.Increment(ref _loads);
        return result;
    }
}
