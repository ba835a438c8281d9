using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// The one ILGPU accelerator of a GPU pool, created when the pool starts and disposed with it. Actors of the pool
/// receive it by constructor injection; it allocates <see cref="GpuBuffer{T}"/>s, compiles and caches kernels
/// (<see cref="Kernels"/>) and runs device work with the accelerator bound to the calling thread (<see cref="Run"/>).
/// </summary>
/// <example>
/// <code>
/// public sealed class Scaler(GpuAccelerator gpu) : Actor, IScaler
/// {
///     public Task Saxpy(float a, GpuBuffer&lt;float&gt; x, GpuBuffer&lt;float&gt; y)
///     {
///         var saxpy = gpu.Kernels.Load&lt;float, ArrayView&lt;float&gt;, ArrayView&lt;float&gt;&gt;(StandardKernels.Saxpy);
///         gpu.Run(_ => saxpy((int)y.Length, a, x.View, y.View));   // y = a·x + y, on the pool's device
///         gpu.Synchronize();
///         return Task.CompletedTask;
///     }
/// }
/// </code>
/// </example>
public sealed unsafe class GpuAccelerator : IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly ILogger _logger;
    private readonly HostMemoryPins _pins;
    private int _disposed;

    internal GpuAccelerator(string deviceSpec, ILogger logger)
    {
        _logger = logger;
        _context = GpuDevices.CreateContext(logger);
        try
        {
            var devices = GpuDevices.Describe(_context);
            Device = GpuDevices.Select(devices.Select(d => d.Info).ToList(), deviceSpec);
            // A simulated device runs on the CPU accelerator, held to its own memory size.
            var backing = Device.Kind == GpuDeviceKind.Simulated ? devices.First(d => d.Info.Kind == GpuDeviceKind.Cpu) : devices.First(d => d.Info == Device);
            _accelerator = backing.Device.CreateAccelerator(_context);
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        Kernels = new GpuKernelCache(this, logger);
        _pins = new HostMemoryPins(_accelerator, logger);
        GpuLog.PoolBound(logger, Device);
    }

    /// <summary>The device this pool is bound to.</summary>
    public GpuDeviceInfo Device { get; }

    /// <summary>The pool's compiled kernels.</summary>
    public GpuKernelCache Kernels { get; }

    /// <summary>What the pool has allocated through <see cref="GpuBuffer{T}"/> and not yet freed.</summary>
    public GpuMemoryLedger Ledger { get; } = new();

    /// <summary>
    /// Free device memory in bytes: the driver's figure on CUDA; on the CPU accelerator and a simulated device, its
    /// memory size less what this pool's buffers hold.
    /// </summary>
    public long FreeMemoryBytes => _accelerator is CudaAccelerator cuda
        ? Run(_ => cuda.GetFreeMemory())
        : Device.MemoryBytes - Ledger.LiveBytes;

    /// <summary>The address of the pool the accelerator serves (named in errors).</summary>
    internal string PoolAddress { get; init; } = "(no pool)";

    /// <summary>Where the actor running now is found, so that the buffers it allocates are its own; null outside a pool.</summary>
    internal IGrainContextAccessor? GrainContexts { get; init; }

    /// <summary>Which actor owns each live buffer: an actor destroyed frees those it still owns.</summary>
    internal GpuBufferOwners Owners { get; } = new();

    /// <summary>
    /// Runs synchronous device work with the accelerator bound to the calling thread, then unbinds it; use it around
    /// kernel launches, copies and synchronisation (ILGPU binds per thread, and actor turns move between threads).
    /// </summary>
    public TResult Run<TResult>(Func<Accelerator, TResult> work)
    {
        ThrowIfDisposed();
        using var binding = _accelerator.BindScoped();
        return work(_accelerator);
    }

    /// <summary>Runs synchronous device work with the accelerator bound to the calling thread (see <see cref="Run{TResult}"/>).</summary>
    public void Run(Action<Accelerator> work) => Run(a =>
    {
        work(a);
        return true;
    });

    /// <summary>
    /// Allocates an uninitialised buffer of <paramref name="length"/> elements on the pool's device. Allocated in an
    /// actor's turn (or constructor), it is that actor's: freed when the actor is destroyed, if not before.
    /// </summary>
    /// <exception cref="GpuOutOfMemoryException">The device cannot hold it (the driver refused, or a CPU or simulated device's memory size would be exceeded).</exception>
    public GpuBuffer<T> Allocate<T>(long length) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bytes = checked(length * Unsafe.SizeOf<T>());
        // The driver enforces a GPU's memory; a CPU accelerator's or a simulated device's is enforced here.
        var cuda = _accelerator is CudaAccelerator;
        if (!cuda && !Ledger.TryAllocate(bytes, Device.MemoryBytes)) throw OutOfMemory(bytes, cause: null);
        MemoryBuffer1D<T, Stride1D.Dense> device;
        try
        {
            device = Run(a => a.Allocate1D<T>(length));
        }
        catch (Exception error) when (error is OutOfMemoryException || (error is CudaException cudaError && cudaError.Error == nameof(CudaError.CUDA_ERROR_OUT_OF_MEMORY)))
        {
            if (!cuda) Ledger.Released(bytes);
            throw OutOfMemory(bytes, error.Message);
        }

        if (cuda) Ledger.Allocated(bytes);
        var buffer = new GpuBuffer<T>(this, device);
        if (Owners.ActorOf(GrainContexts?.GrainContext) is { } actor) Owners.Own(actor, buffer);
        return buffer;
    }

    /// <summary>The pool's device memory now, for its main pool's placement.</summary>
    internal GpuMemorySample Sample() => new(FreeMemoryBytes, Ledger.LiveBytes, Owners.BytesByActor());

    private GpuOutOfMemoryException OutOfMemory(long bytes, string? cause)
    {
        var error = new GpuOutOfMemoryException(PoolAddress, Device.ToString(), bytes, FreeMemoryBytes, Ledger.LiveBytes, cause);
        GpuLog.OutOfMemory(_logger, PoolAddress, bytes, Device.ToString(), error.FreeBytes);
        return error;
    }

    /// <summary>Allocates a buffer on the pool's device holding a copy of <paramref name="elements"/>.</summary>
    public GpuBuffer<T> Upload<T>(ReadOnlySpan<T> elements) where T : unmanaged
    {
        var buffer = Allocate<T>(elements.Length);
        ThrowIfDisposed();
        using var binding = _accelerator.BindScoped();
        ((ArrayView<T>)buffer.View).CopyFromCPU(elements);
        return buffer;
    }

    /// <summary>
    /// The buffer on this pool's device: <paramref name="buffer"/> itself when it already is, else a new device copy
    /// of a host-side buffer (which the caller then owns).
    /// </summary>
    /// <exception cref="ArgumentException">The buffer belongs to another pool's device.</exception>
    public GpuBuffer<T> ToDevice<T>(GpuBuffer<T> buffer) where T : unmanaged
    {
        if (ReferenceEquals(buffer.Owner, this)) return buffer.RequireLength(buffer.Length);
        if (buffer.HostArray is { } host) return Upload<T>(host);
        throw new ArgumentException($"{buffer} belongs to another pool's device; pass it through an actor call to copy it here.", nameof(buffer));
    }

    /// <summary>A new buffer on this pool's device with the same elements (device to device when the source is here).</summary>
    public GpuBuffer<TElement> Copy<TElement>(GpuBuffer<TElement> buffer) where TElement : unmanaged
    {
        if (!ReferenceEquals(buffer.Owner, this)) return buffer.HostArray is { } host ? Upload<TElement>(host) : Upload<TElement>(buffer.ToArray());
        var copy = Allocate<TElement>(buffer.Length);
        var (source, target) = (buffer.View, copy.View);
        Run(_ => source.CopyTo(target));
        return copy;
    }

    /// <summary>
    /// Registers device buffer <paramref name="buffer"/> of this pool as a copy target and returns its ref (Xoscar's
    /// <c>buffer_ref</c> of a GPU buffer): blocks copied to it with <c>IActorContext.CopyToAsync</c> go from the message,
    /// or straight from the shared memory segment they wait in, to the device. Held weakly: keep the buffer.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer is host-side or belongs to another pool.</exception>
    /// <exception cref="InvalidOperationException">This accelerator is not a pool's (no <c>AddXoscar()</c> silo).</exception>
    public BufferRef BufferRef<T>(GpuBuffer<T> buffer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!ReferenceEquals(buffer.Owner, this)) throw new ArgumentException($"{buffer} is not a device buffer of this pool, so this pool cannot receive copies into it.", nameof(buffer));
        var targets = Transfers ?? throw new InvalidOperationException("Copies are received by pools: this accelerator belongs to no AddXoscar() silo.");
        ((IGpuBufferHandOff)buffer).Claimed = true;
        return new BufferRef(targets.Address, targets.Add(buffer), buffer.LengthInBytes);
    }

    /// <summary>
    /// Copies each of <paramref name="sources"/> into the buffer of the same index in <paramref name="targets"/> (Xoscar's
    /// <c>copy_to</c> of GPU buffers), as <c>IActorContext.CopyToAsync</c> copies host memory: each block goes from the
    /// device straight into the page-locked shared memory segment it travels in (or into its message), and on into a
    /// host buffer, or a device buffer registered with <see cref="BufferRef{T}"/>, in the target pool. The sources are
    /// borrowed until the returned task completes.
    /// </summary>
    /// <exception cref="ArgumentException">A source is a device buffer of another pool, the lists are empty or of different lengths, or a source is longer than its target.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is not positive.</exception>
    /// <exception cref="TransferTargetNotFoundException">A target's pool holds no such buffer (any more).</exception>
    /// <exception cref="InvalidOperationException">This accelerator is not a pool's (no <c>AddXoscar()</c> silo).</exception>
    public Task CopyToAsync<T>(IReadOnlyList<GpuBuffer<T>> sources, IReadOnlyList<BufferRef> targets, int? blockSize = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(sources);
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is { IsOnDevice: true } source && !ReferenceEquals(source.Owner, this))
                throw new ArgumentException($"Source {i}, {source}, is a device buffer of another pool; copy it from there.", nameof(sources));
            if (sources[i] is IGpuBufferHandOff used) used.Claimed = true;
        }

        var sender = Sender ?? throw new InvalidOperationException("Copies are sent through a pool's services: this accelerator belongs to no AddXoscar() silo.");
        return sender.CopyAsync(sources.Select(s => (Xoscar.Orleans.Transfers.IBlockSource)s).ToArray(), targets, blockSize, cancellationToken);
    }

    /// <summary>Waits until all work launched on the pool's device has finished.</summary>
    public void Synchronize() => Run(a => a.Synchronize());

    /// <summary>Releases the accelerator and its context; buffers still allocated are freed with it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        GpuLog.PoolReleased(_logger, Device, Ledger.LiveBuffers, Ledger.LiveBytes);
        using (_accelerator.BindScoped()) _pins.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    internal GpuBuffer<T> Adopt<T>(T[] elements) where T : unmanaged
    {
        var buffer = Upload<T>(elements);
        ((IGpuBufferHandOff)buffer).IsTransferCopy = true;
        return buffer;
    }

    /// <summary>The pool's copy targets, where the accelerator belongs to a pool.</summary>
    internal Xoscar.Orleans.Transfers.TransferTargets? Transfers { get; init; }

    /// <summary>The pool's copy sender, where the accelerator belongs to a pool.</summary>
    internal Xoscar.Orleans.Transfers.TransferSender? Sender { get; init; }

    /// <summary>Copies the bytes of <paramref name="device"/> at byte <paramref name="offset"/> into <paramref name="destination"/> (inside <paramref name="window"/> when it goes through shared memory).</summary>
    internal void ReadBlock<T>(MemoryBuffer1D<T, Stride1D.Dense> device, long offset, Span<byte> destination, SharedMemoryWindow? window) where T : unmanaged
    {
        ThrowIfDisposed();
        using var binding = _accelerator.BindScoped();
        if (window is { } mapped) _pins.Pin(mapped);
        var source = device.View.AsContiguous().Cast<byte>().SubView(offset, destination.Length);
        fixed (byte* pinned = destination) source.CopyToCPU(ref *pinned, destination.Length);   // ILGPU takes the address: a managed array must not move
    }

    /// <summary>Copies <paramref name="bytes"/> (inside <paramref name="window"/> when it came through shared memory) into <paramref name="device"/> at byte <paramref name="offset"/>.</summary>
    internal void WriteBlock<T>(MemoryBuffer1D<T, Stride1D.Dense> device, long offset, ReadOnlySpan<byte> bytes, SharedMemoryWindow? window) where T : unmanaged
    {
        ThrowIfDisposed();
        using var binding = _accelerator.BindScoped();
        if (window is { } mapped) _pins.Pin(mapped);
        var target = device.View.AsContiguous().Cast<byte>().SubView(offset, bytes.Length);
        fixed (byte* pinned = bytes) target.CopyFromCPU(ref *pinned, bytes.Length);   // ILGPU takes the address: a managed array must not move
    }

    /// <summary>Shared memory mappings page-locked for transfers so far.</summary>
    internal int PinnedMappings => _pins.Count;

    /// <summary>A new buffer of <paramref name="length"/> elements uploaded from <paramref name="window"/>: a copy that arrived from another pool.</summary>
    internal GpuBuffer<T> AdoptFrom<T>(SharedMemoryWindow window, long length) where T : unmanaged
    {
        var buffer = Allocate<T>(length);
        try
        {
            ((Xoscar.Orleans.Transfers.IBlockTarget)buffer).WriteBlock(0, window);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        ((IGpuBufferHandOff)buffer).IsTransferCopy = true;
        return buffer;
    }

    internal void Release<T>(GpuBuffer<T> buffer, MemoryBuffer1D<T, Stride1D.Dense> device) where T : unmanaged
    {
        Owners.Disown(buffer);
        var bytes = device.LengthInBytes;
        if (Volatile.Read(ref _disposed) == 0) Run(_ => device.Dispose());
        Ledger.Released(bytes);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
