using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// A pool's connection middleware: every connection it accepts — from clients at its gateway, from other pools at its
/// silo port — proves the cluster's secret before any message is read, and every connection it opens to another pool
/// proves it too. Added after every other middleware, so that with TLS the handshake runs inside TLS. Nothing runs
/// per message.
/// </summary>
internal sealed class ClusterSecretGate(RefusedPeers refused) : IPostConfigureOptions<SiloConnectionOptions>
{
    public void PostConfigure(string? name, SiloConnectionOptions options)
    {
        options.ConfigureSiloInboundConnection(connection => Check(connection, "silo port"));
        options.ConfigureGatewayInboundConnection(connection => Check(connection, "gateway"));
        options.ConfigureSiloOutboundConnection(connection => connection.UseClusterSecretProof("pool"));
    }

    private void Check(IConnectionBuilder builder, string listener)
    {
        var key = ClusterSecret.KeyOf(builder.ApplicationServices);
        builder.Use(next => async context =>
        {
            string? refusal;
            using (var timeout = new CancellationTokenSource(ClusterSecretHandshake.Timeout))
            {
                try
                {
                    refusal = await ClusterSecretHandshake.CheckAsync(context.Transport, key, timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    refusal = $"it did not complete the cluster-secret handshake within {ClusterSecretHandshake.Timeout.TotalSeconds:0} s";
                }
                catch (Exception error) when (error is IOException or ConnectionResetException or ConnectionAbortedException)
                {
                    refusal = "it ended the connection during the handshake";
                }
            }

            if (refusal is not null)
            {
                refused.Report(context.RemoteEndPoint, listener, refusal);
                return;   // the connection closes without Orleans ever reading from it
            }

            await next(context);
        });
    }
}
