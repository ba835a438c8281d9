using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Xoscar.Orleans.Gpu;

/// <summary>Finds the devices ILGPU can use: every CUDA device, and the CPU accelerator as the fallback.</summary>
public static class GpuDevices
{
    /// <summary>Lists the CUDA devices, then the CPU accelerator; logs each one (event 5100) and which CUDA library loaded (5101).</summary>
    public static IReadOnlyList<GpuDeviceInfo> Discover(ILogger? logger = null)
    {
        using var context = CreateContext(logger ?? NullLogger.Instance);
        return Describe(context).Select(d => d.Info).ToList();
    }

    /// <summary>Whether at least one CUDA device is usable in this process.</summary>
    public static bool HasCuda() => Discover().Any(d => d.Kind == GpuDeviceKind.Cuda);

    /// <summary>
    /// The device a pool's <c>Device</c> option names: <c>auto</c> (the first CUDA device, else the CPU
    /// accelerator), <c>cpu</c>, a CUDA ordinal (<c>0</c>) or <c>cuda:0</c>.
    /// </summary>
    /// <exception cref="GpuDeviceNotFoundException">No device matches; the message lists those found.</exception>
    public static GpuDeviceInfo Select(IReadOnlyList<GpuDeviceInfo> devices, string spec)
    {
        var wanted = spec.Trim().ToLowerInvariant();
        var match = wanted switch
        {
            "auto" => devices.FirstOrDefault(d => d.Kind == GpuDeviceKind.Cuda) ?? devices.FirstOrDefault(d => d.Kind == GpuDeviceKind.Cpu),
            "cpu" => devices.FirstOrDefault(d => d.Kind == GpuDeviceKind.Cpu),
            _ when int.TryParse(wanted.StartsWith("cuda:", StringComparison.Ordinal) ? wanted[5..] : wanted, out var index) =>
                devices.FirstOrDefault(d => d.Kind == GpuDeviceKind.Cuda && d.Index == index),
            _ => null,
        };
        return match ?? throw new GpuDeviceNotFoundException(spec, devices);
    }

    internal static Context CreateContext(ILogger logger)
    {
        if (!CudaLibraryResolver.Install()) GpuLog.ResolverNotInstalled(logger);
        var context = Context.Create(b => b.Cuda().CPU(CPUDevice.Default));
        if (CudaLibraryResolver.LoadedLibrary is { } library) GpuLog.CudaLibraryLoaded(logger, library);
        if (context.GetCudaDevices().Count == 0)
        {
            GpuLog.NoCudaDevice(logger, CudaLibraryResolver.LoadedLibrary is null ? "no CUDA driver library could be loaded" : "the CUDA driver reports no device");
        }

        var described = Describe(context);
        foreach (var (info, _) in described) GpuLog.DeviceFound(logger, info);
        return context;
    }

    internal static IReadOnlyList<(GpuDeviceInfo Info, Device Device)> Describe(Context context)
    {
        var found = new List<(GpuDeviceInfo, Device)>();
        var cuda = context.GetCudaDevices();
        for (var i = 0; i < cuda.Count; i++)
        {
            var device = cuda[i];
            var architecture = device.Architecture is { } a ? a.ToString() : "unknown";
            found.Add((new GpuDeviceInfo(i, device.Name, device.MemorySize, GpuDeviceKind.Cuda, architecture, CudaLibraryResolver.LoadedLibrary ?? "cuda"), device));
        }

        var cpu = context.GetCPUDevices();
        if (cpu.Count > 0)
        {
            found.Add((new GpuDeviceInfo(0, cpu[0].Name, cpu[0].MemorySize, GpuDeviceKind.Cpu, "cpu", "none"), cpu[0]));
        }

        return found;
    }
}
