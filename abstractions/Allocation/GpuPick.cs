namespace Xoscar.Orleans;

/// <summary>Which device a <see cref="GpuPool"/> placement takes among those that can hold the request.</summary>
public enum GpuPick
{
    /// <summary>Any of them, chosen at random.</summary>
    Any,

    /// <summary>The one with the most memory free and not reserved: spreads actors over the devices.</summary>
    MostFreeMemory,

    /// <summary>
    /// The one left fullest by the request (least share, then least memory, remaining; lowest index first): fills a
    /// device before the next, so replicas share devices and whole devices stay free for large requests.
    /// </summary>
    Packed,
}
