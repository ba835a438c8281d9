using System.Collections.Concurrent;

namespace Xoscar.Orleans.Runtime;

/// <summary>The last <see cref="PoolObituary"/> of each address this pool was told of (one per silo).</summary>
internal sealed class PoolObituaries
{
    private readonly ConcurrentDictionary<string, PoolObituary> _byAddress = new(StringComparer.Ordinal);

    public void Record(PoolObituary obituary) => _byAddress[obituary.Address] = obituary;

    /// <summary>How the pool last at <paramref name="address"/> ended, or null when no such end was told.</summary>
    public PoolObituary? Of(string address) => _byAddress.GetValueOrDefault(address);
}
