using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Logs the connections a pool refused: one line per peer address and reason a minute at most, with how many more
/// were refused meanwhile, so that a peer retrying in a loop cannot flood the log.
/// </summary>
internal sealed partial class RefusedPeers(ILogger<RefusedPeers> logger)
{
    private const long IntervalMs = 60_000;
    private readonly ConcurrentDictionary<(string Peer, string Why), Entry> _entries = new();

    /// <summary>Records a refused connection from <paramref name="peer"/> at <paramref name="listener"/>, logging it unless one like it was logged within the minute.</summary>
    public void Report(EndPoint? peer, string listener, string why)
    {
        var address = peer is IPEndPoint ip ? ip.Address.ToString() : peer?.ToString() ?? "an unknown peer";
        var entry = _entries.GetOrAdd((address, why), _ => new Entry());
        var now = Environment.TickCount64;
        int unlogged;
        lock (entry)
        {
            if (entry.LoggedAt is { } last && now - last < IntervalMs)
            {
                entry.Unlogged++;
                return;
            }

            unlogged = entry.Unlogged;
            entry.Unlogged = 0;
            entry.LoggedAt = now;
        }

        LogRefused(logger, address, listener, why, unlogged);
    }

    private sealed class Entry
    {
        public long? LoggedAt { get; set; }

        public int Unlogged { get; set; }
    }

    [LoggerMessage(EventId = 4801, Level = LogLevel.Warning,
        Message = "Refused a connection from {Peer} at this pool's {Listener}: {Why}; {Unlogged} more like it in the minute before were not logged")]
    private static partial void LogRefused(ILogger logger, string peer, string listener, string why, int unlogged);
}
