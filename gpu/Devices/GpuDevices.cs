using System.Globalization;
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
    /// accelerator), <c>cpu</c>, a CUDA ordinal (<c>0</c>) or <c>cuda:0</c>; or a device of a simulated inventory,
    /// <c>sim:INDEX:MEMORY</c> (memory in bytes or with a unit: <c>sim:1:512MiB</c>, <c>sim:2:8GiB</c>), which ILGPU's CPU
    /// accelerator stands in for with that index and memory (see <see cref="GpuDeviceKind.Simulated"/>).
    /// </summary>
    /// <exception cref="GpuDeviceNotFoundException">No device matches; the message lists those found.</exception>
    /// <exception cref="ArgumentException">A simulated device's spec is not <c>sim:INDEX:MEMORY</c>.</exception>
    public static GpuDeviceInfo Select(IReadOnlyList<GpuDeviceInfo> devices, string spec)
    {
        var wanted = spec.Trim().ToLowerInvariant();
        if (wanted.StartsWith("sim:", StringComparison.Ordinal)) return Simulated(spec);
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

    /// <summary>The spec of simulated device <paramref name="index"/> with <paramref name="memoryBytes"/> of memory: <c>sim:INDEX:BYTES</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or the memory not positive.</exception>
    public static string SimulatedSpec(int index, long memoryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryBytes);
        return new GpuDeviceInfo(index, "", memoryBytes, GpuDeviceKind.Simulated, "", "").Spec;
    }

    private static GpuDeviceInfo Simulated(string spec)
    {
        var parts = spec.Trim().Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || Bytes(parts[2]) is not { } memory)
        {
            throw new ArgumentException($"Simulated device '{spec}' is not sim:INDEX:MEMORY, such as sim:0:8GiB or sim:1:1073741824.", nameof(spec));
        }

        return new GpuDeviceInfo(index, $"Simulated GPU {index}", memory, GpuDeviceKind.Simulated, "sim", "none");
    }

    private static long? Bytes(string text)
    {
        var units = new[] { ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("B", 1L) };
        var (unit, scale) = units.FirstOrDefault(u => text.EndsWith(u.Item1, StringComparison.OrdinalIgnoreCase), ("", 1L));
        return long.TryParse(text[..^unit.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 && count <= long.MaxValue / scale
            ? count * scale
            : null;
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
