using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Testing;

/// <summary>
/// An xunit fixture: one <see cref="EmbeddedActorPool"/> (an actor pool inside the test process) shared by a test
/// class (<c>IClassFixture&lt;EmbeddedPoolFixture&gt;</c>) or a collection (<c>ICollectionFixture</c>), started before
/// its first test and stopped after its last. Derive from it and override <see cref="Configure"/> to set the pool's
/// options.
/// </summary>
/// <example>
/// <code>
/// public sealed class CounterTests : IClassFixture&lt;EmbeddedPoolFixture&gt;, IDisposable
/// {
///     private readonly EmbeddedPoolFixture _pool;
///     private readonly TestLogs _logs;
///
///     public CounterTests(EmbeddedPoolFixture pool, ITestOutputHelper output) =&gt; (_pool, _logs) = (pool, pool.Logs.Capture(output));
///
///     [Fact]
///     public async Task Add_adds()
///     {
///         var counter = await _pool.Context.CreateActorAsync&lt;Counter, ICounter&gt;([1]);
///         Assert.Equal(3, await counter.Add(2));
///     }
///
///     public void Dispose() =&gt; _logs.Dispose();
/// }
/// </code>
/// </example>
public class EmbeddedPoolFixture : IAsyncLifetime
{
    private EmbeddedActorPool? _pool;

    /// <summary>The pool.</summary>
    /// <exception cref="InvalidOperationException">It is not started (xunit starts it before the first test).</exception>
    public EmbeddedActorPool Pool => _pool ?? throw new InvalidOperationException($"The pool of {GetType().Name} is not started: xunit starts it before the first test that uses the fixture.");

    /// <summary>The pool's façade: create, reference and destroy actors.</summary>
    public IActorContext Context => Pool.Context;

    /// <summary>What the pool logs (warnings and above unless <see cref="PoolLogs.MinimumLevel"/> is lowered in <see cref="Configure"/>).</summary>
    public PoolLogs Logs { get; } = new();

    /// <summary>Sets the pool's options before it starts. By default: a free port on 127.0.0.1 and a cluster id of its own.</summary>
    /// <param name="options">The options to change.</param>
    protected virtual void Configure(EmbeddedPoolOptions options)
    {
    }

    /// <summary>Starts the pool.</summary>
    public async Task InitializeAsync()
    {
        var options = new EmbeddedPoolOptions { ClusterId = FixtureClusters.NewId() };
        Configure(options);
        options.ConfigureHost += host => host.ConfigureLogging(logging => logging.AddProvider(Logs));
        _pool = await EmbeddedActorPool.StartAsync(options);
    }

    /// <summary>Stops the pool; its actors go with it, and its connection file is deleted.</summary>
    public async Task DisposeAsync()
    {
        if (_pool is not null) await _pool.DisposeAsync();
    }
}
