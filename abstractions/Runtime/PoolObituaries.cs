using System.Collections.Concurrent;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// The last <see cref="PoolObituary"/> of each address this pool was told of (one per silo), and whether that pool is
/// being recovered; in a main pool, also the sub pools it is killing on request, whose end is no mystery.
/// </summary>
internal sealed class PoolObituaries
{
    private readonly ConcurrentDictionary<string, PoolObituary> _byAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _killing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _news = new(StringComparer.Ordinal);

    /// <summary>The main pool is about to kill the sub pool at <paramref name="address"/>: <paramref name="why"/> says on whose request.</summary>
    public void Killing(string address, string why) => _killing[address] = why;

    /// <summary>Why the sub pool at <paramref name="address"/> was killed on request, or null; asked once per death.</summary>
    public string? TakeKilling(string address) => _killing.TryRemove(address, out var why) ? why : null;

    /// <summary>Records how the pool at its address ended, and whether it is being recovered.</summary>
    public void Record(PoolObituary obituary)
    {
        _byAddress[obituary.Address] = obituary;
        Tell(obituary.Address);
    }

    /// <summary>The pool at <paramref name="address"/> is back: calls to it no longer wait.</summary>
    public void Recovered(string address)
    {
        if (_byAddress.TryGetValue(address, out var obituary) && obituary.Recovering) _byAddress[address] = obituary with { Recovering = false };
        Tell(address);
    }

    /// <summary>How the pool last at <paramref name="address"/> ended, or null when no such end was told.</summary>
    public PoolObituary? Of(string address) => _byAddress.GetValueOrDefault(address);

    /// <summary>Whether the pool at <paramref name="address"/> died and is being recovered.</summary>
    public bool IsRecovering(string address) => Of(address) is { Recovering: true };

    /// <summary>Completes when news of the pool at <paramref name="address"/> arrives (its end, or its recovery), or after <paramref name="timeout"/>.</summary>
    public Task NewsOfAsync(string address, TimeSpan timeout) =>
        _news.GetOrAdd(address, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(timeout).ContinueWith(static _ => { }, TaskScheduler.Default);

    private void Tell(string address)
    {
        if (_news.TryRemove(address, out var waiting)) waiting.TrySetResult();
    }
}
