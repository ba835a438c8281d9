using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Xoscar.Orleans.Transfers;

/// <summary>
/// The buffers and file objects of this pool that copies may write to (Xoscar's <c>buffer_ref</c> /
/// <c>file_object_ref</c> registry), by id. Held weakly, as Xoscar holds them: registering a buffer does not keep it
/// alive, so a buffer its owner let go of is not leaked by its ref — copying to it raises
/// <see cref="TransferTargetNotFoundException"/>.
/// </summary>
internal sealed class TransferTargets(string address)
{
    private const int SweepEvery = 256;
    private readonly ConcurrentDictionary<Guid, Target> _targets = new();
    private int _registered;

    /// <summary>How many targets are registered (some may be collected and not swept yet).</summary>
    public int Count => _targets.Count;

    /// <summary>The address of the pool that holds them.</summary>
    public string Address { get; } = address;

    /// <summary>Registers <paramref name="buffer"/> (array- or memory-manager-backed) and returns its id.</summary>
    /// <exception cref="ArgumentException">The memory has no owner object to hold (it cannot be registered).</exception>
    public Guid Add(Memory<byte> buffer)
    {
        if (MemoryMarshal.TryGetArray<byte>(buffer, out var segment)) return Add(new Target(segment.Array!, segment.Offset, segment.Count));
        if (MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(buffer, out var manager, out var start, out var length)) return Add(new Target(manager, start, length));
        throw new ArgumentException("The buffer is neither an array's nor a MemoryManager's memory, so it cannot be registered.", nameof(buffer));
    }

    /// <summary>Registers <paramref name="stream"/> and returns its id.</summary>
    public Guid Add(Stream stream) => Add(new Target(stream, 0, 0));

    /// <summary>Registers <paramref name="target"/> (a device buffer) and returns its id.</summary>
    public Guid Add(IBlockTarget target) => Add(new Target(target, 0, 0));

    /// <summary>The registered device buffer <paramref name="id"/>, if it is still held.</summary>
    public IBlockTarget? FindBlockTarget(Guid id) => Find(id, out _) as IBlockTarget;

    /// <summary>The registered buffer <paramref name="id"/>, if it is still held.</summary>
    public bool TryGetBuffer(Guid id, out Memory<byte> buffer)
    {
        var owner = Find(id, out var target);
        buffer = owner switch
        {
            byte[] array => new Memory<byte>(array, target.Start, target.Length),
            MemoryManager<byte> manager => manager.Memory.Slice(target.Start, target.Length),
            _ => default,
        };
        return owner is byte[] or MemoryManager<byte>;
    }

    /// <summary>The registered stream <paramref name="id"/>, if it is still held.</summary>
    public Stream? FindStream(Guid id) => Find(id, out _) as Stream;

    private Guid Add(Target target)
    {
        if (Interlocked.Increment(ref _registered) % SweepEvery == 0) Sweep();
        var id = Guid.NewGuid();
        _targets[id] = target;
        return id;
    }

    private object? Find(Guid id, out Target target)
    {
        if (!_targets.TryGetValue(id, out target!)) return null;
        if (target.Owner.TryGetTarget(out var owner)) return owner;
        _targets.TryRemove(id, out _);
        return null;
    }

    private void Sweep()
    {
        foreach (var (id, target) in _targets)
        {
            if (!target.Owner.TryGetTarget(out _)) _targets.TryRemove(id, out _);
        }
    }

    private sealed class Target(object owner, int start, int length)
    {
        public WeakReference<object> Owner { get; } = new(owner);

        public int Start { get; } = start;

        public int Length { get; } = length;
    }
}
