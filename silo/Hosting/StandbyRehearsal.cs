using System.Net;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Runs a throwaway pool in a standby's process before it waits for its cue: a pool's start and its first calls are
/// mostly the JIT compiling Orleans and Xoscar, and a standby that has done that once takes its sub pool's address over
/// with compiled code. The rehearsal pool is alone (its own cluster id, secret and free ports on loopback), writes no
/// file, and is stopped before the standby's own pool is built.
/// </summary>
internal static partial class StandbyRehearsal
{
    public static async Task RunAsync(IReadOnlyList<Assembly> assemblies, ILogger logger)
    {
        try
        {
            var ports = PoolPorts.Claim(new IPEndPoint(IPAddress.Loopback, 0), 0);
            var settings = new PoolHostSettings(ports.Silo, ports.GatewayPort, null, $"xoscar-rehearsal-{Environment.ProcessId}", LogLevel.None, ActorAssemblies: assemblies)
            {
                Secret = ClusterSecret.Generate(),
                Ports = ports,
            };
            await using var pool = await EmbeddedActorPool.StartAsync(settings, CancellationToken.None);
            var actor = await pool.Context.CreateActorAsync<Rehearsal, IRehearsal>([1]);
            await actor.Add(1);
            await actor.Tell(a => a.Add(1));
            await actor.Batch([1, 1], (a, n) => a.Add(n));
            await pool.Context.DestroyActorAsync(actor);
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
