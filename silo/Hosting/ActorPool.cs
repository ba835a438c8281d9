using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo.Runtime;

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
    private readonly ILogger _logger;

    private ActorPool(EmbeddedActorPool main, SubPoolSupervisor subPools, ILogger logger)
    {
        _main = main;
        _subPools = subPools;
        _logger = logger;
    }

    /// <summary>The main pool's address, <c>host:port</c>.</summary>
    public string Address => _main.Address;

    /// <summary>The port Orleans clients connect to the main pool on.</summary>
    public int GatewayPort => _main.GatewayPort;

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
    /// <exception cref="PoolPortInUseException">A port asked for is in use; nothing was started.</exception>
    /// <exception cref="FileNotFoundException">The pool host <c>xoscar-pool.dll</c> was not found (only with sub pools).</exception>
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
        var endpoint = PoolEndpoints.Parse(options.Address, nameof(options.Address));
        var subPorts = options.Ports ?? Enumerable.Repeat(0, options.SubPools).ToList();
        foreach (var port in subPorts.Prepend(endpoint.Port).Where(p => p != 0)) PoolEndpoints.EnsureFree(endpoint.Address, port);
        var hostPath = options.SubPools == 0 ? "" : PoolHostPath(options);
        var assemblies = ActorAssembliesOf(options, caller);

        if (endpoint.Port == 0) endpoint.Port = PoolEndpoints.FreePort(endpoint.Address);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        var identity = new PoolIdentity(0, options.Labels?[0], PoolKind.Main, new Dictionary<string, string>());
        var main = await EmbeddedActorPool.StartAsync(
            new PoolHostSettings(endpoint, options.GatewayPort == 0 ? PoolEndpoints.FreePort(endpoint.Address) : options.GatewayPort, null, options.ClusterId, options.LogLevel, options.Configure, identity, assemblies),
            timeout.Token);
        var logger = main.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ActorPool>();

        var starting = new List<Task<SubPoolProcess>>();
        try
        {
            var starts = Enumerable.Range(1, options.SubPools).Select(index =>
            {
                var port = subPorts[index - 1] != 0 ? subPorts[index - 1] : PoolEndpoints.FreePort(endpoint.Address);
                return SubPoolStart(options, hostPath, assemblies, main.Address, new IPEndPoint(endpoint.Address, port), index);
            }).ToList();
            starting.AddRange(starts.Select((start, i) => SubPoolProcess.StartAsync(start, i + 1, logger, timeout.Token)));
            var subPools = await Task.WhenAll(starting);
            await main.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(pools => pools.Count >= options.SubPools + 1, timeout.Token);
            var pool = new ActorPool(main, new SubPoolSupervisor(main, subPools, starts, options, logger), logger);
            LogReady(logger, main.Address, options.SubPools);
            return pool;
        }
        catch
        {
            // Stop what did start: the sub pools that came up, then the main pool.
            var started = starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.StopAsync(TimeSpan.Zero));
            await Task.WhenAll(started);
            await main.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the sub pools gracefully (killing any that outlast <see cref="ActorPoolOptions.StopTimeout"/>), then the main pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _subPools.StopAsync();
        await _main.DisposeAsync();
        LogStopped(_logger, Address);
    }

    private static ProcessStartInfo SubPoolStart(ActorPoolOptions options, string hostPath, IReadOnlyList<Assembly> assemblies, string mainAddress, IPEndPoint endpoint, int index)
    {
        var start = new ProcessStartInfo(DotNetHost());
        string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        start.ArgumentList.Add(hostPath);
        foreach (var argument in new[]
                 {
                     "--address", endpoint.ToString(), "--gateway-port", Text(PoolEndpoints.FreePort(endpoint.Address)),
                     "--join", mainAddress, "--cluster-id", options.ClusterId, "--index", Text(index), "--kind", nameof(PoolKind.Sub),
                     "--parent-pid", Text(Environment.ProcessId), "--log-level", options.LogLevel.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        if (options.Labels?[index] is { } label) start.ArgumentList.Add("--label=" + label);
        if (options.AutoRecover) start.ArgumentList.Add("--recoverable");
        foreach (var (name, value) in options.Envs?[index - 1] ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
            start.ArgumentList.Add("--env=" + name + "=" + value);
        }

        foreach (var assembly in assemblies) start.ArgumentList.Add("--assembly=" + assembly.Location);
        return start;
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

    private static string DotNetHost()
    {
        // Under `dotnet test`/`dotnet run` the CLI names itself; an application started as `dotnet app.dll` is run by it.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } cli && File.Exists(cli)) return cli;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Actor pool {Address} is ready with {SubPools} sub pools")]
    private static partial void LogReady(ILogger logger, string address, int subPools);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Actor pool {Address} stopped")]
    private static partial void LogStopped(ILogger logger, string address);
}
