using Microsoft.Extensions.Hosting;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.Silo;

/// <summary>How to start an <see cref="ActorPool"/> (Xoscar's <c>create_actor_pool</c> arguments).</summary>
public sealed class ActorPoolOptions
{
    /// <summary>The main pool's address, <c>host:port</c>; port 0 takes a free port. Sub pools use the same host.</summary>
    public string Address { get; set; } = "127.0.0.1:0";

    /// <summary>The port Orleans clients connect to the main pool on; 0 takes a free port.</summary>
    public int GatewayPort { get; set; }

    /// <summary>How many sub pools (processes) to start besides the main pool (Xoscar's <c>n_process</c>).</summary>
    public int SubPools { get; set; }

    /// <summary>One label per pool, main pool first (<see cref="SubPools"/> + 1 entries; null entries have no label); none when null.</summary>
    public IReadOnlyList<string?>? Labels { get; set; }

    /// <summary>Environment variables for each sub pool's process (<see cref="SubPools"/> entries); none when null.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Envs { get; set; }

    /// <summary>The port of each sub pool (<see cref="SubPools"/> entries; 0 takes a free port); free ports when null.</summary>
    public IReadOnlyList<int>? Ports { get; set; }

    /// <summary>
    /// The CPU core each sub pool's process is pinned to (Linux), one entry per sub pool; null entries, or no list,
    /// leave a pool free to run on any core. Place actors on them with <see cref="CorePool"/>.
    /// </summary>
    public IReadOnlyList<int?>? Cores { get; set; }

    /// <summary>
    /// The accelerator device each sub pool is bound to — a GPU pool owning one ILGPU accelerator for it — one entry
    /// per sub pool: <c>"0"</c> or <c>"cuda:0"</c> (a CUDA device by index), <c>"cpu"</c> (ILGPU's CPU accelerator),
    /// <c>"auto"</c>; null entries, or no list, make plain pools. <c>UseGpuPools</c> (Xoscar.Orleans.Gpu) fills it,
    /// one pool per GPU.
    /// </summary>
    public IReadOnlyList<string?>? Gpus { get; set; }

    /// <summary>The cluster's id, shared by all its pools.</summary>
    public string ClusterId { get; set; } = "xoscar";

    /// <summary>
    /// Where the pools find each other: in the main pool (the default), or in a store such as
    /// <see cref="PoolMembership.Redis"/>, through which actor pools on several hosts, each started with the same
    /// store and <see cref="ClusterId"/>, form one cluster.
    /// </summary>
    public PoolMembership Membership { get; set; } = PoolMembership.MainPool;

    /// <summary>TLS with mutual authentication on every connection of every pool (sub pools read the same files); null: plain TCP.</summary>
    public PoolTls? Tls { get; set; }

    /// <summary>
    /// The cluster's secret, which every connection proves before any message is accepted (at least 16 characters).
    /// Null: a new random one, kept in <see cref="ConnectionFile"/>. Required with a membership store such as Redis: the
    /// pools of every host must share it.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Where the main pool writes its connection file — cluster id, gateway, address and secret, readable by its owner
    /// alone — for clients and sub pools; deleted when the pool stops. Null: <see cref="PoolConnectionFile.DefaultPath"/>
    /// of the gateway, in <see cref="PoolConnectionFile.DefaultFolder"/>.
    /// </summary>
    public string? ConnectionFile { get; set; }

    /// <summary>The lowest level every pool logs to the console (sub pools' lines are passed on to this process's log).</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Options of the Xoscar runtime in every pool of this process (the main pool).</summary>
    public Action<XoscarOptions>? Configure { get; set; }

    /// <summary>
    /// Assemblies that hold the actor classes the sub pools must be able to create; each sub pool process loads them
    /// from their files. Empty: the assembly that calls <see cref="ActorPool.CreateAsync"/> and the entry assembly.
    /// </summary>
    public IList<Assembly> ActorAssemblies { get; } = new List<Assembly>();

    /// <summary>The pool host, <c>xoscar-pool.dll</c>, run with <c>dotnet</c>; null: the one next to this application.</summary>
    public string? PoolHostPath { get; set; }

    /// <summary>
    /// Called with a sub pool's address when its process ended without being asked to (Xoscar's <c>on_process_down</c>),
    /// after the main pool has removed it from the cluster: calls to its actors then raise <see cref="ServerClosedException"/>.
    /// </summary>
    public Action<string>? OnSubPoolDown { get; set; }

    /// <summary>What happens when a sub pool's process dies: nothing (the default), a restart, or a restart that creates its actors again.</summary>
    public SubPoolRecovery AutoRecover { get; set; }

    /// <summary>
    /// With <see cref="AutoRecover"/>, whether each sub pool keeps a spare process that has done everything up to listening on
    /// the sub pool's ports (runtime, assemblies, services), and takes over the address when the sub pool's process dies:
    /// recovery then skips a process start. A spare costs an idle process (its memory) per sub pool; false: a recovery
    /// starts a new process from cold.
    /// </summary>
    public bool WarmSpares { get; set; } = true;

    /// <summary>Called with a sub pool's address once it has been restarted and its actors re-created (Xoscar's <c>on_process_recover</c>).</summary>
    public Action<string>? OnSubPoolRecovered { get; set; }

    /// <summary>
    /// Whether Orleans' own activity propagation is on in every pool (<c>AddActivityPropagation</c>): traces then show
    /// Orleans' <c>Microsoft.Orleans.*</c> client and server spans of each call around Xoscar's spans. Off by default:
    /// it adds two call filters to every call, listened to or not. Xoscar's spans and their context need no option.
    /// </summary>
    public bool OrleansActivities { get; set; }

    /// <summary>Further configuration of the main pool's silo, after <c>AddXoscar</c> (sub pools are configured by their command line).</summary>
    public Action<ISiloBuilder>? ConfigureMainPoolSilo { get; set; }

    /// <summary>Further configuration of the main pool's host beside its silo: e.g. web endpoints such as the dashboard.</summary>
    public Action<IHostBuilder>? ConfigureMainPoolHost { get; set; }

    /// <summary>Whether sub pools get the Orleans Dashboard's silo services (set by <c>UseDashboard</c>, which serves it from the main pool).</summary>
    internal bool ProfileSubPools { get; set; }

    /// <summary>How long all pools may take to start; past it the start fails with a <see cref="TimeoutException"/> naming the pools not ready, and stops what started.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a sub pool may take to stop gracefully before its process is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a sub pool may leave the main pool's health check (a call to the pool, every second) unanswered before it
    /// counts as hung — stopped (SIGSTOP), deadlocked, or with every thread blocked — and is killed, then handled like a
    /// crash (recovered with <see cref="AutoRecover"/>). A hang is found within this time and a second. Null: never.
    /// </summary>
    public TimeSpan? HangTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Checks the options against each other, naming the wrong one.</summary>
    /// <exception cref="ArgumentException">A list has the wrong length, a label, env name or port is not valid, a TLS file cannot be read, or the secret is too short or missing where it is required.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Membership, nameof(Membership));
        PoolSecrets.Check(Secret, Membership, nameof(Secret));
        if (Tls is not null) Tls.Load().Certificate.Dispose();   // a bad file fails here, before any process starts
        if (SubPools < 0) throw new ArgumentException($"SubPools must not be negative; it is {SubPools}.", nameof(SubPools));
        if (PoolHostPath is not null && string.IsNullOrWhiteSpace(PoolHostPath))
        {
            throw new ArgumentException("PoolHostPath is empty: give the path of xoscar-pool.dll, or leave it null for the one beside the application.", nameof(PoolHostPath));
        }
        CheckLength(Labels?.Count, SubPools + 1, nameof(Labels), "one per pool, main pool first");
        CheckLength(Envs?.Count, SubPools, nameof(Envs), "one per sub pool");
        CheckLength(Ports?.Count, SubPools, nameof(Ports), "one per sub pool");
        CheckLength(Cores?.Count, SubPools, nameof(Cores), "one per sub pool");
        CheckLength(Gpus?.Count, SubPools, nameof(Gpus), "one per sub pool");
        if (Gpus?.FirstOrDefault(g => g is not null && (g.Length == 0 || g.Any(char.IsWhiteSpace))) is { } gpu)
        {
            throw new ArgumentException($"GPU device '{gpu}' is not a device name such as \"0\", \"cuda:1\" or \"cpu\".", nameof(Gpus));
        }
        if (Cores?.FirstOrDefault(c => c is < 0 || c >= Environment.ProcessorCount) is { } core)
        {
            throw new ArgumentException($"Core {core} does not exist: this machine has cores 0..{Environment.ProcessorCount - 1}.", nameof(Cores));
        }
        foreach (var label in Labels ?? []) CheckLabel(label, nameof(Labels));
        foreach (var env in Envs ?? []) CheckEnv(env, nameof(Envs));

        var ports = Ports ?? [];
        if (ports.FirstOrDefault(p => p is < 0 or > 65535) is var bad && bad != 0)
        {
            throw new ArgumentException($"Port {bad} is not a TCP port (0 takes a free one).", nameof(Ports));
        }

        if (ports.Where(p => p != 0).GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Port {twice.Key} is given to two sub pools.", nameof(Ports));
        }
    }

    /// <summary>Checks one pool label (null: no label).</summary>
    internal static void CheckLabel(string? label, string argument)
    {
        if (label is not null && (label.Length == 0 || label.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException($"Pool label '{label}' must be non-empty and without white space or control characters.", argument);
        }
    }

    /// <summary>Checks the names of one sub pool's environment variables.</summary>
    internal static void CheckEnv(IReadOnlyDictionary<string, string>? env, string argument)
    {
        foreach (var name in env?.Keys ?? [])
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
            {
                throw new ArgumentException($"Environment variable name '{name}' must be non-empty and contain no '=' or NUL.", argument);
            }
        }
    }

    private static void CheckLength(int? actual, int expected, string argument, string rule)
    {
        if (actual is { } count && count != expected)
        {
            throw new ArgumentException($"{argument} has {count} entries; it needs {expected} ({rule}).", argument);
        }
    }
}
