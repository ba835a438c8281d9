using ILGPU;
using ILGPU.Runtime;
using Orleans.Runtime;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// A typed handle to a one-dimensional array of <typeparamref name="T"/> in a GPU pool's device memory, usable as an
/// actor call argument and result.
/// </summary>
/// <remarks>
/// <para>Between actors of the same pool it passes by reference: the receiver sees the same device memory, nothing is
/// copied. To another pool it is copied (device → host → device of the receiving pool: through a page-locked shared
/// memory segment between pools of one machine, in the message otherwise); at a client or a pool
/// without a GPU it arrives as a host-side buffer (<see cref="IsOnDevice"/> false) holding the same elements.</para>
/// <para>Ownership: an argument is borrowed for the call — the caller keeps and frees its buffer, and a copy made for a
/// callee in another pool is freed when the call ends (copy it with <see cref="GpuAccelerator.Copy{TElement}"/> to keep it).
/// A returned buffer is handed to the caller, who frees it; a copy sent to another pool frees the original — so
/// return a buffer the actor does not keep (to share one it keeps, return <see cref="GpuAccelerator.Copy{TElement}"/> of it).
/// Buffers nested inside other arguments, and buffers passed by <c>Tell</c>, are not managed this way: their receiver frees them.</para>
/// <para>Freeing is deterministic: <see cref="Dispose"/>. The pool's <see cref="GpuAccelerator.Ledger"/> counts what is live.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[Immutable]
public sealed class GpuBuffer<T> : IGpuBufferHandOff, Xoscar.Orleans.Transfers.IBlockTarget, Xoscar.Orleans.Transfers.IBlockSource where T : unmanaged
{
    private readonly MemoryBuffer1D<T, Stride1D.Dense>? _device;
    private readonly T[]? _host;
    private int _disposed;

    internal GpuBuffer(GpuAccelerator owner, MemoryBuffer1D<T, Stride1D.Dense> device)
    {
        Owner = owner;
        _device = device;
        Length = device.Length;
    }

    private GpuBuffer(T[] host)
    {
        _host = host;
        Length = host.Length;
    }

    /// <summary>The number of elements.</summary>
    public long Length { get; }

    /// <summary>The size of the elements in bytes.</summary>
    public long LengthInBytes => Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>Whether the elements are in a device's memory (false: a host-side buffer, at a client or a pool without a GPU).</summary>
    public bool IsOnDevice => _device is not null;

    /// <summary>The device holding the elements; null for a host-side buffer.</summary>
    public GpuDeviceInfo? Device => Owner?.Device;

    /// <summary>The device address of the first element (for identity checks and interop); 0 for a host-side buffer.</summary>
    public long DevicePointer => _device is null ? 0 : (long)ThrowIfDisposed(Claim(_device)).NativePtr;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The elements as a kernel argument, in the pool that owns the buffer.</summary>
    /// <exception cref="InvalidOperationException">The buffer is host-side or disposed.</exception>
    public ArrayView1D<T, Stride1D.Dense> View =>
        _device is null
            ? throw new InvalidOperationException($"This {Describe()} is host-side; it has no device view (upload it with GpuAccelerator.ToDevice).")
            : ThrowIfDisposed(Claim(_device)).View;

    bool IGpuBufferHandOff.IsTransferCopy { get; set; }

    bool IGpuBufferHandOff.ReleaseAfterSend { get; set; }

    bool IGpuBufferHandOff.Claimed { get; set; }

    GrainId? IGpuBufferHandOff.Holder { get; set; }

    bool IGpuBufferHandOff.IsOwnedBy(GpuAccelerator gpu) => _device is not null && ReferenceEquals(Owner, gpu) && !IsDisposed;

    internal GpuAccelerator? Owner { get; }

    internal T[]? HostArray => _host;

    /// <summary>The elements in a new host array, without claiming the buffer (for the codec).</summary>
    internal T[] CopyOut()
    {
        if (_host is not null) return (T[])_host.Clone();
        var device = ThrowIfDisposed(_device!);
        return Owner!.Run(_ => device.GetAsArray1D());
    }

    long Xoscar.Orleans.Transfers.IBlockTarget.LengthInBytes => LengthInBytes;

    long Xoscar.Orleans.Transfers.IBlockSource.LengthInBytes => LengthInBytes;

    void Xoscar.Orleans.Transfers.IBlockSource.ReadBlock(long offset, Span<byte> destination) => ReadBlock(offset, destination, window: null);

    void Xoscar.Orleans.Transfers.IBlockSource.ReadBlock(long offset, Xoscar.Orleans.SharedMemory.SharedMemoryWindow window) => ReadBlock(offset, window.Span, window);

    void Xoscar.Orleans.Transfers.IBlockTarget.WriteBlock(long offset, ReadOnlySpan<byte> bytes) =>
        Owner!.WriteBlock(ThrowIfDisposed(_device!), offset, bytes, window: null);

    void Xoscar.Orleans.Transfers.IBlockTarget.WriteBlock(long offset, Xoscar.Orleans.SharedMemory.SharedMemoryWindow window) =>
        Owner!.WriteBlock(ThrowIfDisposed(_device!), offset, window.Span, window);

    private void ReadBlock(long offset, Span<byte> destination, Xoscar.Orleans.SharedMemory.SharedMemoryWindow? window)
    {
        if (_host is not null) System.Runtime.InteropServices.MemoryMarshal.AsBytes(_host.AsSpan()).Slice(checked((int)offset), destination.Length).CopyTo(destination);
        else Owner!.ReadBlock(ThrowIfDisposed(_device!), offset, destination, window);
    }

    /// <summary>Copies the elements into <paramref name="window"/> (from the device when the buffer is on one).</summary>
    internal void CopyTo(Xoscar.Orleans.SharedMemory.SharedMemoryWindow window) => ReadBlock(0, window.Span, window);

    /// <summary>A host-side buffer holding <paramref name="elements"/> (not copied): what a client without a GPU sends.</summary>
    public static GpuBuffer<T> FromHost(T[] elements) => new(elements ?? throw new ArgumentNullException(nameof(elements)));

    /// <summary>Copies the elements to a new host array (from the device when the buffer is on one).</summary>
    public T[] ToArray()
    {
        ((IGpuBufferHandOff)this).Claimed = true;
        return CopyOut();
    }

    /// <summary>
    /// Throws <see cref="GpuBufferMismatchException"/> unless the buffer has <paramref name="expectedLength"/> elements.
    /// </summary>
    public GpuBuffer<T> RequireLength(long expectedLength) =>
        Length == expectedLength ? Claim(this) : throw new GpuBufferMismatchException(Describe(typeof(T), expectedLength), Describe());

    /// <summary>Frees the device memory now (a host-side buffer just lets go of its array). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _device is null) return;
        Owner!.Release(this, _device);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Describe()} {(IsOnDevice ? $"on {Device!.Spec}" : "host-side")}{(IsDisposed ? " (disposed)" : "")}";

    internal static string Describe(Type elementType, long length) => $"GpuBuffer<{elementType.Name}>[{length}]";

    private string Describe() => Describe(typeof(T), Length);

    private TValue Claim<TValue>(TValue value)
    {
        ((IGpuBufferHandOff)this).Claimed = true;
        return value;
    }

    private MemoryBuffer1D<T, Stride1D.Dense> ThrowIfDisposed(MemoryBuffer1D<T, Stride1D.Dense> device) =>
        IsDisposed ? throw new ObjectDisposedException(Describe()) : device;
}
