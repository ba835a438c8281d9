namespace Xoscar.Orleans;

/// <summary>
/// A client's connection to its cluster through the pools' gateways. Orleans answers a call in flight through a
/// gateway that died only when the call times out (30 s by default); this tells the calls at once instead, so that they
/// fail with <see cref="ServerClosedException"/> (see <see cref="CallFailureFilter"/>). A pool has no such connection:
/// it learns of a dead pool from the membership, and Orleans fails those calls itself.
/// </summary>
internal sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private CancellationTokenSource? _lost;

    /// <summary>Cancelled when the connection that calls made now travel on is lost (no gateway left); never in a pool.</summary>
    public CancellationToken Lost => Volatile.Read(ref _lost)?.Token ?? CancellationToken.None;

    /// <summary>Watches the connection: the process is a client.</summary>
    public void Watch() => Interlocked.CompareExchange(ref _lost, new CancellationTokenSource(), null);

    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        if (Volatile.Read(ref _lost) is null) return;
        var lost = Interlocked.Exchange(ref _lost, new CancellationTokenSource());
        lost?.Cancel();
        lost?.Dispose();
    }

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
    }
}
