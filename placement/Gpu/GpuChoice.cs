using System.Globalization;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Placement;

/// <summary>Which device a <see cref="GpuPool"/> request, or each member of a <see cref="GpuGang"/>, goes to.</summary>
internal static class GpuChoice
{
    /// <summary>The device for <paramref name="request"/> among <paramref name="devices"/>.</summary>
    /// <exception cref="NoGpuCapacityException">No device can hold it, or none has its index.</exception>
    /// <exception cref="ArgumentException">Its index is held by devices of several kinds.</exception>
    public static GpuDeviceState Device(GpuPool request, IReadOnlyList<GpuDeviceState> devices)
    {
        var (bytes, shares) = (request.MemoryBytes, PlacementHold.SharesOf(request.Share));
        if (devices.Count == 0) throw Refused(request.ToString(), NoGpuPool, devices);
        var candidates = request.Device is { } index ? [Indexed(index, request.ToString(), devices)] : devices;
        var fitting = candidates.Where(d => d.Fits(bytes, shares)).ToList();
        if (fitting.Count == 0) throw Refused(request.ToString(), NoRoom(candidates, bytes, shares), devices);
        return Ranked(fitting, request.Pick, bytes, shares).First();
    }

    /// <summary>The devices of the <paramref name="members"/> members of <paramref name="gang"/>, in rank order.</summary>
    /// <exception cref="NoGpuCapacityException">There are not that many devices that can hold a member, or a device named cannot.</exception>
    /// <exception cref="ArgumentException">The device list is not one per member, or an index is held by devices of several kinds.</exception>
    public static IReadOnlyList<GpuDeviceState> Gang(GpuGang gang, int members, IReadOnlyList<GpuDeviceState> devices)
    {
        var request = $"{gang} for {members} members";
        var (bytes, shares) = (gang.Each.MemoryBytes, PlacementHold.SharesOf(gang.Each.Share));
        if (devices.Count == 0) throw Refused(request, NoGpuPool, devices);
        if (gang.Devices is { } named)
        {
            if (named.Length != members)
            {
                throw new ArgumentException($"{gang} names {named.Length} devices for a gang of {members} members: name one per member.", nameof(gang));
            }

            var listed = named.Select(index => Indexed(index, request, devices)).ToList();
            var full = listed.Where(d => !d.Fits(bytes, shares)).ToList();
            return full.Count == 0 ? listed : throw Refused(request, NoRoom(full, bytes, shares), devices);
        }

        // One kind of device for the whole gang: its members work together.
        foreach (var kind in devices.GroupBy(d => d.Device.Kind).Select(k => k.ToList()))
        {
            var fitting = kind.Where(d => d.Fits(bytes, shares)).ToList();
            if (fitting.Count < members) continue;
            if (!gang.Contiguous) return Ranked(fitting, gang.Each.Pick, bytes, shares).Take(members).OrderBy(d => d.Device.Index).ToList();
            var runs = fitting.Select((d, i) => fitting.Skip(i).Take(members).ToList())
                .Where(run => run.Count == members && run[^1].Device.Index - run[0].Device.Index == members - 1)
                .ToList();
            if (runs.Count > 0) return Run(runs, gang.Each.Pick);
        }

        var why = gang.Contiguous ? $"no {members} devices with consecutive indices" : $"fewer than {members} devices of one kind";
        throw Refused(request, $"{why} can each hold {Wanted(bytes, shares)}", devices);
    }

    // Several runs of consecutive devices fit: the pick chooses among them as it would among devices.
    private static List<GpuDeviceState> Run(List<List<GpuDeviceState>> runs, GpuPick pick) => pick switch
    {
        GpuPick.Any => runs[Random.Shared.Next(runs.Count)],
        GpuPick.MostFreeMemory => runs.MaxBy(run => run.Min(d => d.AvailableBytes))!,
        _ => runs[0],
    };

    private static IEnumerable<GpuDeviceState> Ranked(List<GpuDeviceState> fitting, GpuPick pick, long bytes, long shares) => pick switch
    {
        GpuPick.Any => fitting.OrderBy(_ => Random.Shared.Next()),
        GpuPick.MostFreeMemory => fitting.OrderByDescending(d => d.AvailableBytes).ThenBy(d => d.Holds.Count).ThenBy(d => d.Device.Index),
        _ => fitting.OrderBy(d => d.AvailableShares - shares).ThenBy(d => d.AvailableBytes - bytes).ThenBy(d => d.Device.Index),
    };

    // A device index names one device of the host; where devices of several kinds have it, the request must say which.
    private static GpuDeviceState Indexed(int index, string request, IReadOnlyList<GpuDeviceState> devices)
    {
        var matching = devices.Where(d => d.Device.Index == index).ToList();
        return matching.Count switch
        {
            0 => throw Refused(request, $"no GPU pool is bound to a device with index {index}", devices),
            1 => matching[0],
            _ => throw new ArgumentException(
                $"{request}: device index {index} is held by {matching.Count} devices of this host ({string.Join("; ", matching.Select(d => d.Device))}); " +
                $"bind the pools to distinct devices. Devices: {string.Join("; ", devices.Select(d => d.Device))}.", "strategy"),
        };
    }

    private const string NoGpuPool = "no pool of this actor pool is bound to a GPU (ActorPoolOptions.Gpus, UseGpuPools)";

    private static string NoRoom(IEnumerable<GpuDeviceState> devices, long bytes, long shares) =>
        $"{string.Join(", ", devices.Select(d => d.Device.Spec))} cannot hold {Wanted(bytes, shares)} more";

    private static string Wanted(long bytes, long shares) =>
        (bytes, shares) switch
        {
            (0, 0) => "an actor",
            (_, 0) => Sizes.Of(bytes),
            (0, _) => string.Create(CultureInfo.InvariantCulture, $"share {(double)shares / PlacementHold.WholeDevice:0.###}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{Sizes.Of(bytes)} and share {(double)shares / PlacementHold.WholeDevice:0.###}"),
        };

    private static NoGpuCapacityException Refused(string request, string reason, IReadOnlyList<GpuDeviceState> devices) =>
        new(request, reason, devices.SelectMany(d => d.DescribePools()).OrderBy(p => p.Index).ToList());
}
