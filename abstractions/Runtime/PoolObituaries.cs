using System.Collections.Concurrent;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The last <see cref="PoolObituary"/> of each address this pool was told of (one per silo); in a main pool, also the
/// sub pools it is killing on request, whose end is no mystery.
/// </summary>
internal sealed class PoolObituaries
{
    private readonly ConcurrentDictionary<string, PoolObituary> _byAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _killing = new(StringComparer.Ordinal);

    /// <summary>The main pool is about to kill the sub pool at <paramref name="address"/>: <paramref name="why"/> says on whose request.</summary>
    public void Killing(string address, string why) => _killing[address] = why;

    /// <summary>Why the sub pool at <paramref name="address"/> was killed on request, or null; asked once per death.</summary>
    public string? TakeKilling(string address) => _killing.TryRemove(address, out var why) ? why : null;

    public void Record(PoolObituary obituary) => _byAddress[obituary.Address] = obituary;

    /// <summary>How the pool last at <paramref name="address"/> ended, or null when no such end was told.</summary>
    public PoolObituary? Of(string address) => _byAddress.GetValueOrDefault(address);
}
