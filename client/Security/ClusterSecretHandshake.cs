using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Xoscar.Orleans;

/// <summary>
/// The challenge and response every connection of a cluster runs once, before Orleans' own preamble: each side sends
/// a fresh nonce, the connecting side proves it holds the secret (HMAC-SHA256 over both nonces), the accepting side
/// answers with its verdict and, when it accepts, its own proof. Over TLS it runs inside the encrypted stream.
/// </summary>
/// <remarks>
/// The connecting side proves first, so that a peer without the secret learns nothing computed with it. Proofs of the
/// two sides are labelled apart and cover both nonces, so none can be replayed or reflected.
/// </remarks>
internal static class ClusterSecretHandshake
{
    /// <summary>How long a peer may take to complete the handshake before the connection is dropped.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private const int NonceSize = 32;
    private const int ProofSize = 32;
    private const byte Accepted = 1;
    private const byte Refused = 0;

    private static ReadOnlySpan<byte> Magic => "XOSCAR1\n"u8;

    private static ReadOnlySpan<byte> ClientLabel => "xoscar-client"u8;

    private static ReadOnlySpan<byte> ServerLabel => "xoscar-server"u8;

    /// <summary>What the connecting side learnt.</summary>
    public enum Outcome
    {
        /// <summary>Both sides proved the secret.</summary>
        Accepted,

        /// <summary>The pool refused this side's proof: it holds another secret.</summary>
        Refused,

        /// <summary>The pool answered with something that is not this handshake, or ended the connection before answering.</summary>
        NoHandshake,

        /// <summary>The pool accepted, but its own proof is wrong: it does not hold the secret.</summary>
        PoolUnproven,
    }

    /// <summary>Runs the connecting side's part over <paramref name="pipe"/>.</summary>
    public static async Task<Outcome> ProveAsync(IDuplexPipe pipe, byte[] key, CancellationToken cancellationToken)
    {
        var clientNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await pipe.Output.WriteAsync(Concat(Magic, clientNonce), cancellationToken);
        var hello = await ReadAsync(pipe.Input, Magic.Length + NonceSize, cancellationToken);
        if (hello is null || !hello.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return Outcome.NoHandshake;
        var serverNonce = hello[Magic.Length..];

        await pipe.Output.WriteAsync(Proof(key, ClientLabel, clientNonce, serverNonce), cancellationToken);
        var verdict = await ReadAsync(pipe.Input, 1, cancellationToken);
        if (verdict is null) return Outcome.NoHandshake;
        if (verdict[0] != Accepted) return Outcome.Refused;
        var serverProof = await ReadAsync(pipe.Input, ProofSize, cancellationToken);
        return serverProof is not null && CryptographicOperations.FixedTimeEquals(serverProof, Proof(key, ServerLabel, clientNonce, serverNonce))
            ? Outcome.Accepted
            : Outcome.PoolUnproven;
    }

    /// <summary>Runs the accepting side's part over <paramref name="pipe"/>: null when the peer proved the secret, else why it was refused.</summary>
    public static async Task<string?> CheckAsync(IDuplexPipe pipe, byte[] key, CancellationToken cancellationToken)
    {
        // The magic alone first: a stock Orleans client sends its own preamble, and is refused as soon as it starts.
        var magic = await ReadAsync(pipe.Input, Magic.Length, cancellationToken);
        if (magic is null || !magic.AsSpan().SequenceEqual(Magic)) return "it did not start the cluster-secret handshake (a client or silo without Xoscar's secret)";
        var clientNonce = await ReadAsync(pipe.Input, NonceSize, cancellationToken);
        if (clientNonce is null) return "it ended the connection during the handshake";

        var serverNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await pipe.Output.WriteAsync(Concat(Magic, serverNonce), cancellationToken);
        var clientProof = await ReadAsync(pipe.Input, ProofSize, cancellationToken);
        if (clientProof is null) return "it ended the connection during the handshake";
        if (!CryptographicOperations.FixedTimeEquals(clientProof, Proof(key, ClientLabel, clientNonce, serverNonce)))
        {
            await pipe.Output.WriteAsync(new[] { Refused }, cancellationToken);
            // Closing now could reset the connection before the verdict is read: the peer closes once it has it.
            await AwaitCloseAsync(pipe.Input, cancellationToken);
            return "it does not hold the cluster's secret";
        }

        await pipe.Output.WriteAsync(Concat([Accepted], Proof(key, ServerLabel, clientNonce, serverNonce)), cancellationToken);
        return null;
    }

    private static byte[] Proof(byte[] key, ReadOnlySpan<byte> label, byte[] clientNonce, byte[] serverNonce) =>
        HMACSHA256.HashData(key, (byte[])[.. label, .. clientNonce, .. serverNonce]);

    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => [.. first, .. second];

    private static async Task AwaitCloseAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) return;
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            // Closed or reset by the peer, or it lingered past the handshake's time: either way the refusal stands.
        }
    }

    // Exactly count bytes, leaving whatever follows (Orleans' preamble) in the pipe; null if the peer ended first.
    private static async Task<byte[]?> ReadAsync(PipeReader reader, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled) return null;
        }
    }
}
