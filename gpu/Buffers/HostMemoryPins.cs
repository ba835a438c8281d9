using System.Collections.Concurrent;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Page-locks (CUDA host-registers) each shared memory mapping that GPU buffers cross pools through, once, the first
/// time the pool's device copies into or out of it: the driver then copies by DMA at the bus's speed instead of staging
/// through its own pinned buffers. Mappings live as long as the pool's shared memory channel, and segments are reused
/// from buffer to buffer, so the registration cost is paid once per segment.
/// </summary>
/// <remarks>Best effort: where the driver refuses (no host mapping support, a locked-memory limit), the copy is made
/// from pageable memory as before, and the refusal is logged once.</remarks>
internal sealed class HostMemoryPins(Accelerator accelerator, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<nint, PageLockScope<byte>?> _pins = new();
    private readonly Lock _registering = new();
    private bool _refusalReported;

    /// <summary>Mappings registered so far.</summary>
    public int Count => _pins.Values.Count(p => p is not null);

    /// <summary>Registers the mapping of <paramref name="window"/> unless it is already; call with the accelerator bound.</summary>
    public void Pin(SharedMemoryWindow window)
    {
        if (accelerator is not CudaAccelerator || _pins.ContainsKey(window.Mapping)) return;
        lock (_registering)
        {
            if (_pins.ContainsKey(window.Mapping)) return;
            try
            {
                _pins[window.Mapping] = accelerator.CreatePageLockFromPinned<byte>(window.Mapping, window.MappingLength);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _pins[window.Mapping] = null;
                if (!_refusalReported) GpuLog.PageLockRefused(logger, window.MappingLength, error.Message);
                _refusalReported = true;
            }
        }
    }

    /// <summary>Unregisters every mapping; call with the accelerator bound, before it is disposed.</summary>
    public void Dispose()
    {
        foreach (var pin in _pins.Values)
        {
            try
            {
                pin?.Dispose();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The channel may have unmapped the segment first; the context's end releases the registration anyway.
            }
        }

        _pins.Clear();
    }
}
