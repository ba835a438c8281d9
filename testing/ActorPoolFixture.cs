using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Testing;

/// <summary>
/// An xunit fixture: one <see cref="ActorPool"/> — a main pool in the test process and sub pools in processes of
/// their own — shared by a test class or collection, started before its first test and stopped after its last: every
/// sub pool process has ended when the fixture is done. Derive from it and override <see cref="Configure"/> to set
/// the pool's options (one sub pool by default).
/// </summary>
/// <remarks>
/// Sub pools load the actor classes of <see cref="ActorPoolOptions.ActorAssemblies"/>; left empty, those of every
/// assembly loaded in the test process that declares actor classes — the test assembly among them.
/// The sub pools' own log lines reach the main pool's log, and so <see cref="Logs"/>.
/// </remarks>
public class ActorPoolFixture : IAsyncLifetime
{
    private ActorPool? _pool;

    /// <summary>The pool: its main pool in this process, its sub pools in their own.</summary>
    /// <exception cref="InvalidOperationException">It is not started (xunit starts it before the first test).</exception>
    public ActorPool Pool => _pool ?? throw new InvalidOperationException($"The pool of {GetType().Name} is not started: xunit starts it before the first test that uses the fixture.");

    /// <summary>The main pool's façade.</summary>
    public IActorContext Context => Pool.Context;

    /// <summary>What the main pool logs, its sub pools' lines among it (warnings and above unless <see cref="PoolLogs.MinimumLevel"/> is lowered).</summary>
    public PoolLogs Logs { get; } = new();

    /// <summary>Sets the pool's options before it starts. By default: one sub pool, free ports on 127.0.0.1, a cluster id of its own.</summary>
    /// <param name="options">The options to change.</param>
    protected virtual void Configure(ActorPoolOptions options)
    {
    }

    /// <summary>Starts the pool and its sub pool processes.</summary>
    public async Task InitializeAsync()
    {
        var options = new ActorPoolOptions { SubPools = 1, ClusterId = FixtureClusters.NewId() };
        Configure(options);
        if (options.ActorAssemblies.Count == 0)
        {
            foreach (var assembly in LoadedActorAssemblies()) options.ActorAssemblies.Add(assembly);
        }

        options.ConfigureMainPoolHost += host => host.ConfigureLogging(logging => logging.AddProvider(Logs));
        _pool = await ActorPool.CreateAsync(options);
    }

    /// <summary>Stops the pool, then ends any of its sub pool processes that outlived the stop.</summary>
    public async Task DisposeAsync()
    {
        if (_pool is not null) await SubPoolProcesses.StopAsync(_pool);
    }

    // The pool would take the assembly that called it, which is this one, not the test's.
    private static IEnumerable<Assembly> LoadedActorAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.GetReferencedAssemblies().Any(r => r.Name == Abstractions) && DeclaresActors(a));

    private static readonly string Abstractions = typeof(ActorBase).Assembly.GetName().Name!;

    private static bool DeclaresActors(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partly)
        {
            types = partly.Types;
        }

        return types.Any(t => t is { IsClass: true, IsAbstract: false } && typeof(ActorBase).IsAssignableFrom(t));
    }
}
