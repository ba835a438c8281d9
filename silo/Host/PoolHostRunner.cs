using System.Runtime.CompilerServices;
using Orleans.Dashboard;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.PoolHost;

/// <summary>
/// Runs the pool the command line describes: one pool (a sub pool joining a main pool, or a stand-alone main pool),
/// or, with <c>--sub-pools</c>, the main pool of an <see cref="ActorPool"/> with its own sub pool processes. Announces
/// readiness on standard output and stops gracefully on SIGINT or SIGTERM.
/// </summary>
internal static partial class PoolHostRunner
{
    public static async Task<int> RunAsync(PoolHostArguments arguments)
    {
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(arguments.LogLevel));
        var logger = loggers.CreateLogger("Xoscar.Orleans.PoolHost");
        if (arguments.ParentProcessId is { } parent) FateSharing.Bind(parent, logger);
        if (arguments.Core is { } core) CoreAffinity.Pin(core);   // before the silo starts its threads

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        foreach (var (name, value) in arguments.Env) Environment.SetEnvironmentVariable(name, value);
        var assemblies = arguments.Assemblies.Select(ActorAssemblies.Load).ToList();
        LogStarting(logger, arguments.Kind, arguments.Index, arguments.Address, assemblies.Count);

        if (arguments.Standby) await StandbyRehearsal.RunAsync(assemblies, logger);
        IRunningPool started;
        try
        {
            started = await StartAsync(arguments, assemblies);
        }
        catch (PoolPortInUseException error)
        {
            // Said in one line, not as a crash: the port is the operator's to change.
            await Console.Error.WriteLineAsync($"xoscar-pool: {error.Message}");
            return PoolHostProtocol.PortInUseExitCode;
        }

        await using var pool = started;
        Console.Out.WriteLine(PoolHostProtocol.Ready(pool.Address));
        Console.Out.Flush();
        await stop.Task;
        LogStopping(logger, pool.Address);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private static async Task<IRunningPool> StartAsync(PoolHostArguments arguments, IReadOnlyList<Assembly> assemblies)
    {
        if (arguments.SubPools > 0)
        {
            var options = new ActorPoolOptions
            {
                Address = arguments.Address, GatewayPort = arguments.GatewayPort, SubPools = arguments.SubPools, ClusterId = arguments.ClusterId,
                LogLevel = arguments.LogLevel, Membership = arguments.Membership, Tls = arguments.Tls, Secret = arguments.Secret,
                OrleansActivities = arguments.OrleansActivities,
            };
            foreach (var assembly in assemblies) options.ActorAssemblies.Add(assembly);
            var actorPool = await ActorPool.CreateAsync(options);
            AnnounceConnectionFile(actorPool.ConnectionFile, new IPEndPoint(PoolEndpoints.Parse(actorPool.Address, "--address").Address, actorPool.GatewayPort));
            for (var i = 1; i < actorPool.Addresses.Count; i++)
            {
                Console.Out.WriteLine(PoolHostProtocol.SubPool(actorPool.Addresses[i], actorPool.SubPoolProcessIds[i - 1]));
            }

            return new RunningActorPool(actorPool);
        }

        var endpoint = PoolEndpoints.Parse(arguments.Address, "--address", portZero: !arguments.Standby);
        var primary = arguments.Join is null ? null : PoolEndpoints.Parse(arguments.Join, "--join");
        // A GPU pool names its device in its config; discovering it first also fails fast on a device that is not there.
        var device = arguments.Gpu is { } spec ? GpuDevices.Select(GpuDevices.Discover(), spec).ToString() : null;
        // Claimed before anything starts; the pool's silo serves the claimed sockets (port 0: free ports, chosen here). A
        // standby's address is held by the sub pool it stands by for: it binds as it takes over, on a gateway port of its own.
        var ports = arguments.Standby ? null : PoolPorts.Claim(endpoint, arguments.GatewayPort);
        endpoint = ports?.Silo ?? endpoint;
        var gatewayPort = ports?.GatewayPort ?? (arguments.GatewayPort == 0 ? PoolEndpoints.FreePort(endpoint.Address) : arguments.GatewayPort);
        var main = arguments.Kind == PoolKind.Sub ? primary!.ToString() : endpoint.ToString();
        var identity = new PoolIdentity(arguments.Index, arguments.Label, arguments.Kind, arguments.Env, main, arguments.Recoverable, arguments.Core, device, arguments.Recovering);
        Action<ISiloBuilder>? configure = arguments.Gpu is { } gpu ? silo => silo.AddXoscarGpu(o => o.Device = gpu) : null;
        if (arguments.Dashboard) configure += AddDashboard;
        var secret = arguments.Secret ?? ClusterSecret.Generate();
        var settings = new PoolHostSettings(endpoint, gatewayPort, primary, arguments.ClusterId, arguments.LogLevel, null, identity, assemblies, configure)
        {
            BeforeJoin = arguments.JoinOnCue || arguments.Standby ? WaitForJoinCueAsync : null,
            Standby = arguments.Standby,
            Membership = arguments.Membership,
            Tls = arguments.Tls,
            Secret = secret,
            // A sub pool's clients use its main pool's connection file.
            ConnectionFile = arguments.Kind == PoolKind.Main ? PoolSecrets.WriteConnectionFile(null, arguments.ClusterId, endpoint, gatewayPort, secret) : null,
            Ports = ports,
            OrleansActivities = arguments.OrleansActivities,
        };
        var pool = await EmbeddedActorPool.StartAsync(settings, CancellationToken.None);
        if (pool.ConnectionFile is { } file) AnnounceConnectionFile(file, new IPEndPoint(endpoint.Address, gatewayPort));
        return new RunningEmbeddedPool(pool);
    }

    // As Jupyter prints its kernel's connection file: where a client finds the gateway and the secret (never the secret itself).
    private static void AnnounceConnectionFile(string path, IPEndPoint gateway)
    {
        Console.Out.WriteLine(PoolHostProtocol.ConnectionFile(path, gateway.ToString()));
        Console.Out.WriteLine(PoolHostProtocol.ClientLine(path));
        Console.Out.Flush();
    }

    // Its own method, so that a pool without the dashboard never loads the dashboard's assemblies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddDashboard(ISiloBuilder silo) => silo.AddDashboard();

    // The main pool cues its sub pools one at a time: Orleans' membership table takes one join at a time, and a
    // join that loses the race backs off for seconds. Standard input closing means the main pool is gone.
    private static async Task WaitForJoinCueAsync(CancellationToken cancellationToken)
    {
        while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == PoolHostProtocol.JoinCue) return;
        }

        FateSharing.Exit(PoolHostProtocol.ParentDiedExitCode);
    }

    /// <summary>The pool this process runs, whichever kind it is.</summary>
    private interface IRunningPool : IAsyncDisposable
    {
        string Address { get; }
    }

    private sealed class RunningEmbeddedPool(EmbeddedActorPool pool) : IRunningPool
    {
        public string Address => pool.Address;

        public ValueTask DisposeAsync() => pool.DisposeAsync();
    }

    private sealed class RunningActorPool(ActorPool pool) : IRunningPool
    {
        public string Address => pool.Address;

        public ValueTask DisposeAsync() => pool.DisposeAsync();
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Starting {Kind} pool {Index} at {Address} with {Assemblies} actor assemblies")]
    private static partial void LogStarting(ILogger logger, PoolKind kind, int index, string address, int assemblies);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Stopping pool {Address}")]
    private static partial void LogStopping(ILogger logger, string address);
}
