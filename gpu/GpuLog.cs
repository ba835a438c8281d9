using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Gpu;

/// <summary>What GPU pools log, with stable event ids (5100–5199).</summary>
internal static partial class GpuLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "GPU device found: {Device}")]
    public static partial void DeviceFound(ILogger logger, GpuDeviceInfo device);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "CUDA driver library: {Library}")]
    public static partial void CudaLibraryLoaded(ILogger logger, string library);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "No CUDA device found ({Reason}); the CPU accelerator is the fallback")]
    public static partial void NoCudaDevice(ILogger logger, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "The CUDA library resolver was not installed: ILGPU already has one (WSL)")]
    public static partial void ResolverNotInstalled(ILogger logger);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "GPU pool bound to {Device}")]
    public static partial void PoolBound(ILogger logger, GpuDeviceInfo device);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "GPU pool released {Device}; {Buffers} buffers ({Bytes} bytes) were still allocated")]
    public static partial void PoolReleased(ILogger logger, GpuDeviceInfo device, long buffers, long bytes);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning,
        Message = "The device refused to page-lock a shared memory segment of {Bytes} bytes ({Reason}); GPU buffers cross pools through pageable memory, more slowly")]
    public static partial void PageLockRefused(ILogger logger, long bytes, string reason);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Warning, Message = "GPU pool {Address} could not allocate {Bytes} bytes on {Device} ({Free} bytes free)")]
    public static partial void OutOfMemory(ILogger logger, string address, long bytes, string device, long free);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Debug, Message = "Actor {Actor} was destroyed owning {Buffers} GPU buffers ({Bytes} bytes): freed")]
    public static partial void BuffersFreedWithActor(ILogger logger, GrainId actor, int buffers, long bytes);

    [LoggerMessage(EventId = 5120, Level = LogLevel.Debug, Message = "Kernel {Kernel} compiled for {Device}")]
    public static partial void KernelCompiled(ILogger logger, string kernel, string device);
}
