using System.Runtime.CompilerServices;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Silo.Runtime;
using Xoscar.Orleans.Tests.Actors;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// Two machines on one: host A is an actor pool in this process on a veth link, host B an <c>xoscar-pool --sub-pools 1
/// --redis</c> process tree in a network namespace of its own (its own network stack, reachable only over the link),
/// one cluster through a Redis server listening on the link. Nothing starts where Redis or namespaces are missing (the
/// tests then skip).
/// </summary>
public sealed class SeparateHostFixture : IAsyncLifetime
{
    public const string ClusterId = "separate-host-test";

    private NetworkNamespace? _namespace;
    private RedisServer? _redis;
    private ActorPool? _hostA;
    private Process? _hostB;

    public ActorPool HostA => _hostA ?? throw new InvalidOperationException(SeparateHostFactAttribute.Missing ?? "Host A is not started.");

    /// <summary>Host B's main pool and sub pool, as it announced them.</summary>
    public IReadOnlyList<string> HostB { get; private set; } = [];

    /// <summary>The process id of host B's sub pool.</summary>
    public int HostBSubPoolProcessId { get; private set; }

    public async Task InitializeAsync()
    {
        if (SeparateHostFactAttribute.Missing is not null) return;
        _namespace = NetworkNamespace.Create();
        _redis = await RedisServer.StartAsync(alsoOn: _namespace.HostAddress);
        _hostA = await ActorPool.CreateAsync(new ActorPoolOptions
        {
            Address = $"{_namespace.HostAddress}:0",
            ClusterId = ClusterId,
            Membership = PoolMembership.Redis(_redis.ConnectionString),
            Secret = ClusterSecret.Generate(),
        });

        var start = _namespace.Start(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, PoolHostProtocol.FileName),
            "--address", $"{_namespace.Address}:0", "--sub-pools", "1", "--cluster-id", ClusterId,
            "--redis",   // the connection string, with its password, comes from the environment
            "--secret-file", _hostA.ConnectionFile,   // host A's secret, as an operator would copy it (0600) to host B
            "--assembly", typeof(Counter).Assembly.Location, "--parent-pid", Environment.ProcessId.ToString(),
        ]);
        start.RedirectStandardOutput = true;
        start.Environment[PoolMembership.RedisConnectionVariable] = _redis.ConnectionStringOn(_namespace.HostAddress);
        _hostB = Process.Start(start)!;
        var (address, subPools) = await PoolHostLauncher.ReadUntilReadyAsync(_hostB).WaitAsync(TimeSpan.FromSeconds(60));
        if (address is null) throw new InvalidOperationException($"Host B (xoscar-pool in namespace {_namespace.Name}) ended before it was ready.");
        _ = _hostB.StandardOutput.ReadToEndAsync();   // keep its pipe drained
        HostB = [address, .. subPools.Select(s => s.Address)];
        HostBSubPoolProcessId = subPools.Single().ProcessId;
        // Host B is ready in its own view; host A learns of its pools through membership a moment later.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _hostA.Services.GetRequiredService<PoolDirectory>().WaitForPoolsAsync(pools => HostB.All(b => pools.Any(p => p.Address == b)), patience.Token);
    }

    public async Task DisposeAsync()
    {
        if (_hostB is not null)
        {
            _hostB.Kill(entireProcessTree: true);
            await _hostB.WaitForExitAsync();
            ProcessCleanup.KillIfRunning([HostBSubPoolProcessId]);
            _hostB.Dispose();
        }

        if (_hostA is not null) await ProcessCleanup.StopAsync(_hostA);
        if (_redis is not null) await _redis.DisposeAsync();
        _namespace?.Dispose();
    }
}

/// <summary>A test on two machines (network namespaces and Redis): skipped, with the reason shown, where either is missing.</summary>
public sealed class SeparateHostFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    : ConditionalFactAttribute(Missing, test, file)
{
    /// <summary>Why such tests cannot run here, or null when they can.</summary>
    public static string? Missing => RedisServer.Missing ?? NetworkNamespace.Missing;
}

[CollectionDefinition(Name)]
public sealed class SeparateHostCollection : ICollectionFixture<SeparateHostFixture>
{
    public const string Name = "separate host";
}
