using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Placement;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// An actor pool of several processes (Xoscar's <c>create_actor_pool(n_process=…)</c>): the main pool is a silo in
/// this process, each sub pool a separate <c>xoscar-pool</c> process that joins the main pool's cluster over
/// loopback TCP. Actors are created in any of them by address or by <see cref="AllocationStrategy"/>, and call each
/// other across them. Sub pools end when this process ends, however it ends.
/// </summary>
/// <example>
/// <code>
/// await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 2, Labels = [null, "gpu", "gpu"] });
/// var worker = await pool.Context.CreateActorAsync&lt;Worker, IWorker&gt;(new IdleLabel("gpu", "worker"));
/// </code>
/// </example>
public sealed partial class ActorPool : IAsyncDisposable
{
    private readonly EmbeddedActorPool _main;
    private readonly SubPoolSupervisor _subPools;
    private readonly SubPoolCommandLine _commandLine;
    private readonly ILogger _logger;

    private ActorPool(EmbeddedActorPool main, SubPoolSupervisor subPools, SubPoolCommandLine commandLine, ILogger logger)
    {
        _main = main;
        _subPools = subPools;
        _commandLine = commandLine;
        _logger = logger;
    }

    /// <summary>The main pool's address, <c>host:port</c>.</summary>
    public string Address => _main.Address;

    /// <summary>The port Orleans clients connect to the main pool on.</summary>
    public int GatewayPort => _main.GatewayPort;

    /// <summary>
    /// The main pool's connection file: cluster id, gateway, address and the cluster's secret, readable by its owner
    /// alone; what <see cref="ActorClientOptions.ConnectionFile"/> and <c>xoscar-pool --secret-file</c> read.
    /// </summary>
    public string ConnectionFile => _main.ConnectionFile!;

    /// <summary>Every pool's address in index order: the main pool, then the sub pools.</summary>
    public IReadOnlyList<string> Addresses => [_main.Address, .. _subPools.Current.Select(p => p.Address)];

    /// <summary>The process ids of the sub pools, in index order (a restarted sub pool has a new one).</summary>
    public IReadOnlyList<int> SubPoolProcessIds => _subPools.Current.Select(p => p.ProcessId).ToList();

    /// <summary>The façade, with the main pool as its default address.</summary>
    public IActorContext Context => _main.Context;

    /// <summary>The main pool's services.</summary>
    public IServiceProvider Services => _main.Services;

    /// <summary>
    /// Starts the main pool in this process and the sub pools as processes, and returns once every pool accepts
    /// actors and the main pool knows them all.
    /// </summary>
    /// <exception cref="ArgumentException">An option is wrong (a list of the wrong length, a bad label or address); nothing was started.</exception>
    /// <exception cref="PoolPortInUseException">A port asked for (the main pool's, its gateway's, a sub pool's) is in use; nothing was started.
    /// Of pools started at once on one port, exactly one starts.</exception>
    /// <exception cref="FileNotFoundException">The pool host <c>xoscar-pool.dll</c> was not found (only with sub pools).</exception>
    /// <exception cref="TimeoutException">Not every pool was ready within <see cref="ActorPoolOptions.StartTimeout"/>; the message says which was not,
    /// and quotes what each sub pool still starting printed last. Everything started was stopped.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<ActorPool> CreateAsync(ActorPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ActorPoolOptions();
        var caller = Assembly.GetCallingAssembly();
        return CreateCoreAsync(options, caller, cancellationToken);
    }

    private static async Task<ActorPool> CreateCoreAsync(ActorPoolOptions options, Assembly caller, CancellationToken cancellationToken)
    {
        options.Validate();
        var endpoint = PoolEndpoints.Parse(options.Address, nameof(options.Address), portZero: true);
        var hostPath = options.SubPools == 0 ? "" : PoolHostPath(options);
        var assemblies = ActorAssembliesOf(options, caller);

        // Every port asked for is claimed before anything starts, so that one in use fails the start with nothing to
        // stop, and two pools started at once on one port cannot both pass. The main pool's silo serves its claims;
        // a sub pool's port is let go as its process starts, to bind it itself (one left at 0 it chooses itself).
        var ports = PoolPorts.Claim(endpoint, options.GatewayPort);
        var subPorts = options.Ports ?? Enumerable.Repeat(0, options.SubPools).ToList();
        List<PortClaim> subClaims;
        try
        {
            subClaims = ClaimSubPoolPorts(endpoint.Address, subPorts, ports.Silo);
        }
        catch
        {
            ports.Dispose();
            throw;
        }

        endpoint = ports.Silo;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        var identity = new PoolIdentity(0, options.Labels?[0], PoolKind.Main, new Dictionary<string, string>(), endpoint.ToString());
        // Written before the sub pools start: they read the secret from it (never from their command line or environment).
        var secret = options.Secret ?? ClusterSecret.Generate();
        var connectionFile = PoolSecrets.WriteConnectionFile(options.ConnectionFile, options.ClusterId, endpoint, ports.GatewayPort, secret);
        var commandLine = new SubPoolCommandLine(hostPath, endpoint.ToString(), endpoint.Address, options, assemblies) { SecretFile = connectionFile.Path };
        var starts = Enumerable.Range(1, options.SubPools)
            .Select(index => commandLine.Create(index, subPorts[index - 1], options.Labels?[index], options.Envs?[index - 1]))
            .ToList();

        // The sub pool processes start while the main pool does: getting ready (runtime, host, JIT) is most of a
        // pool's start and needs no cluster. Then they join one at a time, each on its cue: Orleans' membership table
        // takes one join at a time, and a join that loses the race backs off for seconds.
        subClaims.ForEach(c => c.Dispose());
        var starting = starts.Select((start, i) => SubPoolProcess.SpawnAsync(start, i + 1)).ToList();
        EmbeddedActorPool main;
        try
        {
            main = await EmbeddedActorPool.StartAsync(
                new PoolHostSettings(endpoint, ports.GatewayPort, null, options.ClusterId, options.LogLevel, options.Configure, identity, assemblies, options.ConfigureMainPoolSilo)
                {
                    ConfigureHost = options.ConfigureMainPoolHost,
                    Membership = options.Membership,
                    Tls = options.Tls,
                    Secret = secret,
                    ConnectionFile = connectionFile,
                    Ports = ports,
                    OrleansActivities = options.OrleansActivities,
                }, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = StartTimedOut(endpoint.ToString(), options, "the main pool had not started", starting);
            await StopAllAsync(starting);
            throw error;
        }
        catch
        {
            await StopAllAsync(starting);
            throw;
        }

        var logger = main.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ActorPool>();
        try
        {
            var subPools = await Task.WhenAll(starting);
            foreach (var (subPool, start) in subPools.Zip(starts))
            {
                subPool.AttachLogger(logger);
                await subPool.JoinAsync(timeout.Token);
                SubPoolCommandLine.KeepAddress(start, subPool.Address);   // a restart comes back at the same address
            }

            await main.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(pools => pools.Count >= options.SubPools + 1, timeout.Token);
            var pool = new ActorPool(main, new SubPoolSupervisor(main, subPools.Zip(starts), options, logger), commandLine, logger);
            LogReady(logger, main.Address, options.SubPools, $"{endpoint.Address}:{ports.GatewayPort}", connectionFile.Path);
            return pool;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = StartTimedOut(main.Address, options, "not every sub pool had joined it", starting);
            await StopAllAsync(starting);
            await main.DisposeAsync();
            throw error;
        }
        catch
        {
            // Stop what did start: the sub pools, then the main pool.
            await StopAllAsync(starting);
            await main.DisposeAsync();
            throw;
        }
    }

    // The ports given to sub pools, claimed (or none of them).
    private static List<PortClaim> ClaimSubPoolPorts(IPAddress host, IReadOnlyList<int> ports, IPEndPoint main)
    {
        var claims = new List<PortClaim>();
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i] != 0) claims.Add(PortClaim.Take(new IPEndPoint(host, ports[i]), $"sub pool {i + 1} of actor pool {main}"));
            }

            return claims;
        }
        catch
        {
            claims.ForEach(c => c.Dispose());
            throw;
        }
    }

    // Says which pool was not there yet, and what each sub pool still starting last printed.
    private static TimeoutException StartTimedOut(string address, ActorPoolOptions options, string stage, IEnumerable<Task<SubPoolProcess>> starting)
    {
        var subPools = starting.Select((start, i) => start.IsCompletedSuccessfully ? start.Result.DescribeStart() : $"sub pool {i + 1} had no process yet");
        return new TimeoutException(
            $"The actor pool at {address} did not start within {options.StartTimeout.TotalSeconds:0.###} s (ActorPoolOptions.StartTimeout): {stage}; " +
            string.Join("; ", subPools.DefaultIfEmpty("it has no sub pools")) + ". Everything started was stopped.");
    }

    private static async Task StopAllAsync(IEnumerable<Task<SubPoolProcess>> starting)
    {
        foreach (var start in starting)
        {
            try
            {
                await (await start).StopAsync(TimeSpan.Zero);
            }
            catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It never started, or ended already; nothing to stop.
            }
        }
    }

    /// <summary>
    /// Starts one more sub pool process (Xoscar's <c>append_sub_pool</c>) with the next index, and returns its address
    /// once actors can be created in it; the pool config of every pool lists it from then on.
    /// </summary>
    /// <param name="label">Its label, or null.</param>
    /// <param name="env">Environment variables for its process, or null.</param>
    /// <param name="cancellationToken">Cancels the start (the process is then killed).</param>
    /// <exception cref="ArgumentException">The label or an env name is not valid.</exception>
    /// <exception cref="FileNotFoundException">The pool host <c>xoscar-pool.dll</c> was not found.</exception>
    /// <exception cref="TimeoutException">It was not ready within <see cref="ActorPoolOptions.StartTimeout"/>; its process was stopped.</exception>
    public async Task<string> AddSubPoolAsync(string? label = null, IReadOnlyDictionary<string, string>? env = null, CancellationToken cancellationToken = default)
    {
        ActorPoolOptions.CheckLabel(label, nameof(label));
        ActorPoolOptions.CheckEnv(env, nameof(env));
        var commandLine = _commandLine.HostPath.Length > 0 ? _commandLine : _commandLine with { HostPath = PoolHostPath(_commandLine.Options) };
        var index = _subPools.Current.Select(p => p.Index).DefaultIfEmpty(0).Max() + 1;
        var start = commandLine.Create(index, 0, label, env);
        var subPool = await _subPools.AddAsync(start, index, cancellationToken);
        return subPool.Address;
    }

    /// <summary>
    /// Stops the sub pool at <paramref name="address"/> gracefully (Xoscar's <c>remove_sub_pool</c>); its actors go with it,
    /// and calls through references to them raise <see cref="ServerClosedException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No sub pool of this pool runs at <paramref name="address"/>.</exception>
    public Task RemoveSubPoolAsync(string address) => _subPools.RemoveAsync(address);

    /// <summary>
    /// Waits until the pool at <paramref name="address"/> is up (Xoscar's <c>wait_actor_pool_recovered</c>): at once for
    /// the main pool, a sub pool that runs, or when <see cref="ActorPoolOptions.AutoRecover"/> is off; after a sub pool's
    /// process died, until it has been restarted (and its actors re-created, with <see cref="SubPoolRecovery.Actors"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No pool of this actor pool runs at <paramref name="address"/>.</exception>
    public Task WaitPoolRecoveredAsync(string address, CancellationToken cancellationToken = default) =>
        address == Address ? Task.CompletedTask : _subPools.WaitRecoveredAsync(address, cancellationToken);

    /// <summary>Stops the sub pools gracefully (killing any that outlast <see cref="ActorPoolOptions.StopTimeout"/>), then the main pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _subPools.StopAsync();
        await _main.DisposeAsync();
        LogStopped(_logger, Address);
    }

    private static IReadOnlyList<Assembly> ActorAssembliesOf(ActorPoolOptions options, Assembly caller)
    {
        IEnumerable<Assembly> chosen = options.ActorAssemblies.Count > 0 ? options.ActorAssemblies : [caller, .. Assembly.GetEntryAssembly() is { } entry ? [entry] : Array.Empty<Assembly>()];
        return chosen
            .Where(a => !a.IsDynamic && a.Location.Length > 0 && a.IsDefined(typeof(ApplicationPartAttribute)) && a != typeof(ActorPool).Assembly)
            .Distinct()
            .ToList();
    }

    private static string PoolHostPath(ActorPoolOptions options)
    {
        var path = Path.GetFullPath(options.PoolHostPath ?? Path.Combine(AppContext.BaseDirectory, PoolHostProtocol.FileName));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The pool host {path} does not exist: reference Xoscar.Orleans.PoolHost from the application's project, or set ActorPoolOptions.PoolHostPath.", path);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Actor pool {Address} is ready with {SubPools} sub pools; clients connect through gateway {Gateway} with connection file {ConnectionFile}")]
    private static partial void LogReady(ILogger logger, string address, int subPools, string gateway, string connectionFile);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Actor pool {Address} stopped")]
    private static partial void LogStopped(ILogger logger, string address);
}
