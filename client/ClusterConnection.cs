namespace Xoscar.Orleans;

/// <summary>
/// A client's connection to its cluster through the pools' gateways. Orleans answers a call in flight through a
/// gateway that died only when the call times out (30 s by default); this tells the calls at once instead, so that they
/// fail with <see cref="ServerClosedException"/> (see <see cref="CallFailureFilter"/>). In a pool it never ends: pools
/// learn of a dead pool from the membership, and Orleans fails those calls itself.
/// </summary>
internal sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _lost = new();

    /// <summary>Cancelled when the connection that calls made now travel on is lost: no gateway is left.</summary>
    public CancellationToken Lost => Volatile.Read(ref _lost).Token;

    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        var lost = Interlocked.Exchange(ref _lost, new CancellationTokenSource());
        lost.Cancel();
        lost.Dispose();
    }

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
    }
}
