using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;

namespace Xoscar.Orleans;

/// <summary>
/// The connecting side's connection middleware (an Orleans client's gateway connections, a pool's connections to other
/// pools): it proves the cluster's secret once, when the connection opens, and turns a refusal into a typed error that
/// fails the connection at once. Nothing runs per message.
/// </summary>
internal static class ClusterSecretConnections
{
    /// <summary>Proves the cluster's secret (<see cref="XoscarOptions.ClusterSecret"/>) on every connection this builder makes; <paramref name="side"/> names this side in errors ("client", "pool").</summary>
    public static IConnectionBuilder UseClusterSecretProof(this IConnectionBuilder builder, string side)
    {
        var key = ClusterSecret.KeyOf(builder.ApplicationServices);
        return builder.Use(next => async context =>
    {
        var tls = context.Features.Get<TlsReached>();
        if (tls is not null) tls.Reached = true;
        var address = context.RemoteEndPoint?.ToString() ?? "(unknown)";
        using var timeout = new CancellationTokenSource(ClusterSecretHandshake.Timeout);
        ClusterSecretHandshake.Outcome outcome;
        try
        {
            outcome = await ClusterSecretHandshake.ProveAsync(context.Transport, key, timeout.Token);
        }
        catch (Exception error) when (tls is not null && error is IOException or AuthenticationException or ConnectionResetException or ConnectionAbortedException)
        {
            throw new TlsHandshakeFailedException(address, $"The pool at {address} ended the TLS connection as it began: it did not accept this {side}'s certificate ({error.Message}).", error);
        }

        switch (outcome)
        {
            case ClusterSecretHandshake.Outcome.Refused:
                throw new ClusterSecretRejectedException(address,
                    $"The pool at {address} refused this {side}: its cluster requires its secret, and this {side} holds another. {PoolConnectionFile.WhereTheSecretIs}");
            case ClusterSecretHandshake.Outcome.PoolUnproven:
                throw new ClusterSecretRejectedException(address,
                    $"The pool at {address} could not prove it holds the cluster's secret: it is not a pool of this cluster; this {side} does not talk to it.");
            case ClusterSecretHandshake.Outcome.NoHandshake when tls is not null:
                throw new TlsHandshakeFailedException(address, $"The pool at {address} closed the TLS connection as it began: it did not accept this {side}'s certificate.");
            case ClusterSecretHandshake.Outcome.NoHandshake:
                throw new ClusterSecretRejectedException(address,
                    $"The pool at {address} did not answer the cluster-secret handshake: it uses TLS and this {side} does not, or it is not an Xoscar.Orleans pool.");
        }

        await next(context);
        });
    }

    /// <summary>
    /// Placed before TLS: fails the connection with <see cref="TlsHandshakeFailedException"/> when TLS ended it before
    /// the secret handshake began (Orleans' TLS middleware only logs a failed handshake and closes, which a client
    /// would retry until its connect timeout).
    /// </summary>
    public static IConnectionBuilder UseTlsFailureReport(this IConnectionBuilder builder, PoolTls tls) => builder.Use(next => async context =>
    {
        var reached = new TlsReached();
        context.Features.Set(reached);
        await next(context);
        if (!reached.Reached)
        {
            var address = context.RemoteEndPoint?.ToString() ?? "(unknown)";
            throw new TlsHandshakeFailedException(address,
                $"The TLS handshake with the pool at {address} failed: the pool did not accept this side's certificate, or this side did not trust the pool's ({tls}).");
        }
    });

    /// <summary>Set on a connection with TLS: whether TLS let it through to the secret handshake.</summary>
    private sealed class TlsReached
    {
        public bool Reached { get; set; }
    }
}
