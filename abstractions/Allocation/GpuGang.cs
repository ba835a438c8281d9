namespace Xoscar.Orleans;

/// <summary>
/// How <c>IActorContext.CreateGpuGangAsync</c> places a group of GPU actors (tensor parallel, one rank per device): each
/// member on a distinct device of one host, each holding the reservation <see cref="Each"/> asks for, all or nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("xoscar.GpuGang")]
public sealed record GpuGang
{
    /// <summary>A gang whose members each reserve what <paramref name="each"/> asks.</summary>
    /// <param name="each">The reservation of each member (memory, share) and how devices are picked; its <see cref="GpuPool.Device"/> must be null.</param>
    /// <param name="devices">The devices of the members, by index, one per member in rank order; null: the placement chooses.</param>
    /// <param name="contiguous">Whether the members' devices must have consecutive indices (neighbours on the interconnect), in rank order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="each"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="each"/> names a device, or <paramref name="devices"/> is empty, names one twice or holds a negative index.</exception>
    public GpuGang(GpuPool each, IReadOnlyList<int>? devices = null, bool contiguous = false)
    {
        ArgumentNullException.ThrowIfNull(each);
        if (each.Device is { } device)
        {
            throw new ArgumentException($"Each member of a gang goes to its own device: {each} names device {device}; list the devices in 'devices' instead.", nameof(each));
        }

        if (devices is not null)
        {
            if (devices.Count == 0) throw new ArgumentException("A gang's device list names one device per member; it is empty.", nameof(devices));
            if (devices.FirstOrDefault(d => d < 0) is var negative && negative < 0)
            {
                throw new ArgumentException($"Device index {negative} in [{string.Join(", ", devices)}] is negative.", nameof(devices));
            }

            if (devices.GroupBy(d => d).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new ArgumentException($"Device {twice.Key} is named {twice.Count()} times in [{string.Join(", ", devices)}]: each member of a gang goes to its own device.", nameof(devices));
            }

            if (contiguous && devices.Zip(devices.Skip(1)).Any(pair => pair.Second != pair.First + 1))
            {
                throw new ArgumentException($"Devices [{string.Join(", ", devices)}] are not consecutive, as a contiguous gang's are.", nameof(devices));
            }
        }

        Each = each;
        Devices = devices?.ToArray();
        Contiguous = contiguous;
    }

    /// <summary>The reservation of each member, and how devices are picked.</summary>
    [Id(0)] public GpuPool Each { get; }

    /// <summary>The members' devices by index, in rank order, or null where the placement chooses.</summary>
    [Id(1)] public int[]? Devices { get; }

    /// <summary>Whether the members' devices have consecutive indices.</summary>
    [Id(2)] public bool Contiguous { get; }

    /// <summary>The gang in words, as errors name it.</summary>
    public override string ToString() =>
        $"GpuGang(each {Each}{(Devices is null ? "" : $", devices [{string.Join(", ", Devices)}]")}{(Contiguous ? ", contiguous" : "")})";
}
