using System.Net;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Runs a throwaway pool in a standby's process before it waits for its cue: a pool's start and its first calls are
/// mostly the JIT compiling Orleans and Xoscar, and a standby that has done that once takes its sub pool's address over
/// with compiled code. A client in the process calls the pool through its gateway too, so that connecting, the
/// secret's handshake and messages over a socket are compiled as well (most of a takeover is its first connection to
/// the main pool). The rehearsal pool is alone (its own cluster id, secret and free ports on loopback), writes no
/// file, and is stopped before the standby's own pool is built.
/// </summary>
internal static partial class StandbyRehearsal
{
    public static async Task RunAsync(IReadOnlyList<Assembly> assemblies, ILogger logger)
    {
        try
        {
            var ports = PoolPorts.Claim(new IPEndPoint(IPAddress.Loopback, 0), 0);
            var clusterId = $"xoscar-rehearsal-{Environment.ProcessId}";
            var secret = ClusterSecret.Generate();
            var settings = new PoolHostSettings(ports.Silo, ports.GatewayPort, null, clusterId, LogLevel.None, ActorAssemblies: assemblies)
            {
                Secret = secret,
                Ports = ports,
            };
            await using var pool = await EmbeddedActorPool.StartAsync(settings, CancellationToken.None);
            var actor = await pool.Context.CreateActorAsync<Rehearsal, IRehearsal>([1]);
            await actor.Add(1);
            await actor.Tell(a => a.Add(1));
            await actor.Batch([1, 1], (a, n) => a.Add(n));
            await pool.Context.DestroyActorAsync(actor);

            var client = new ActorClientOptions { ClusterId = clusterId, Secret = secret };
            client.Gateways.Add($"{IPAddress.Loopback}:{ports.GatewayPort}");
            await using var connected = await ActorClient.ConnectAsync(client);
            var remote = await connected.Context.CreateActorAsync<Rehearsal, IRehearsal>([1], address: pool.Address);
            await remote.Add(1);
            await remote.Tell(a => a.Add(1));
            await remote.Batch([1, 1], (a, n) => a.Add(n));
            await connected.Context.DestroyActorAsync(remote);
        }
        catch (Exception error)
        {
            // Only the takeover's speed depends on it.
            LogRehearsalFailed(logger, error);
        }
    }

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "The standby's rehearsal pool failed; it takes over without one")]
    private static partial void LogRehearsalFailed(ILogger logger, Exception error);

    /// <summary>What the rehearsal calls: a send, a tell and a batch.</summary>
    internal interface IRehearsal : IActor
    {
        [Extensible] Task<int> Add(int n);
    }

    /// <summary>The rehearsal's actor.</summary>
    internal sealed class Rehearsal(int start) : Actor, IRehearsal
    {
        private int _value = start;

        public Task<int> Add(int n) => Task.FromResult(_value += n);
    }
}
