using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// An actor pool of two processes with TLS, trusting certificates of the cluster's own authority: its pools talk over
/// TLS, a client with a certificate of that authority is served, and clients without one are refused.
/// </summary>
public sealed class TlsTests(TlsTests.TlsPoolFixture fixture) : IClassFixture<TlsTests.TlsPoolFixture>
{
    [Fact]
    public async Task Actor_in_a_sub_pool_is_created_and_called_over_TLS()
    {
        var probe = await fixture.Pool.Context.CreateActorAsync<ProcessProbe, IProcessProbe>(address: fixture.Pool.Addresses[1]);
        var counter = await fixture.Pool.Context.CreateActorAsync<Counter, ICounter>([1]);

        Assert.Equal(fixture.Pool.SubPoolProcessIds[0], await probe.ProcessId());
        Assert.Equal(3, await probe.AddTo(counter, 2));
    }

    [Fact]
    public async Task Client_with_a_certificate_of_the_cluster_authority_calls_actors()
    {
        var tls = new PoolTls(fixture.Certificates.IssuedBy(fixture.Authority, "client"), TestCertificates.Password) { AuthorityPath = fixture.AuthorityPath };
        await using var client = await ActorClient.ConnectAsync(ClientOptions(fixture.Pool.GatewayPort, tls));

        var counter = await client.Context.CreateActorAsync<Counter, ICounter>([5], address: fixture.Pool.Addresses[1]);

        Assert.Equal(6, await counter.Add(1));
    }

    [Fact]
    public async Task Client_without_TLS_is_refused_by_the_pool_at_once()
    {
        var error = await AssertRefusedAsync<ClusterSecretRejectedException>(ClientOptions(fixture.Pool.GatewayPort, tls: null), fixture.Logs);

        Assert.Contains("uses TLS and this client does not", error.Message);
    }

    [Fact]
    public async Task Client_with_a_certificate_of_another_authority_is_refused_by_the_pool_within_two_seconds()
    {
        var (otherPath, other) = fixture.Certificates.Authority("other-authority");
        using (other)
        {
            var tls = new PoolTls(fixture.Certificates.IssuedBy(other, "stranger"), TestCertificates.Password) { AuthorityPath = otherPath };

            var error = await AssertRefusedAsync<TlsHandshakeFailedException>(ClientOptions(fixture.Pool.GatewayPort, tls), fixture.Logs);

            Assert.Contains("certificate", error.Message);
        }
    }

    /// <summary>A client of the pool whose gateway is <paramref name="gatewayPort"/>, with <paramref name="tls"/> or without TLS.</summary>
    internal static ActorClientOptions ClientOptions(int gatewayPort, PoolTls? tls) => new()
    {
        Gateways = { $"127.0.0.1:{gatewayPort}" },
        ClusterId = TlsPoolFixture.ClusterId,
        Tls = tls,
    };

    /// <summary>
    /// Connects with <paramref name="options"/>: the TLS handshake fails (the pool logs it), and the client's
    /// connect fails at once with <typeparamref name="TError"/> naming the gateway — not at its 30 s connect timeout,
    /// as Orleans' client alone would, retrying. Alone it takes well under 2 s, client start included; the bound
    /// leaves room for a suite that keeps both cores busy (one CI run took 2.5 s).
    /// </summary>
    internal static async Task<TError> AssertRefusedAsync<TError>(ActorClientOptions options, PoolLogs poolLogs) where TError : XoscarException
    {
        // "failed", or "timed out" where the client gave up on the pool's certificate first and closed.
        var refused = poolLogs.WaitForNewAsync(line => line.Contains("Authentication"));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TError>(() => ActorClient.ConnectAsync(options));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refused after {watch.Elapsed.TotalSeconds:0.00} s");
        await refused.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(options.Gateways[0], error.Message);
        return error;
    }

    /// <summary>A main pool and one sub pool process, each with its own certificate issued by the cluster's authority.</summary>
    public sealed class TlsPoolFixture : IAsyncLifetime
    {
        public const string ClusterId = "tls-test";

        private ActorPool? _pool;

        public TestCertificates Certificates { get; } = new();

        public string AuthorityPath { get; private set; } = "";

        public System.Security.Cryptography.X509Certificates.X509Certificate2 Authority { get; private set; } = null!;

        public ActorPool Pool => _pool ?? throw new InvalidOperationException("The pool is not started.");

        /// <summary>What the main pool logs (its TLS refusals among it).</summary>
        public PoolLogs Logs { get; } = new();

        public async Task InitializeAsync()
        {
            (AuthorityPath, Authority) = Certificates.Authority("cluster-authority");
            _pool = await ActorPool.CreateAsync(new ActorPoolOptions
            {
                SubPools = 1,
                ClusterId = ClusterId,
                Tls = new PoolTls(Certificates.IssuedBy(Authority, "pool"), TestCertificates.Password) { AuthorityPath = AuthorityPath },
                ConfigureMainPoolHost = host => host.ConfigureLogging(logging => logging.AddProvider(Logs)),
            });
        }

        public async Task DisposeAsync()
        {
            if (_pool is not null) await ProcessCleanup.StopAsync(_pool);

            Authority.Dispose();
            Certificates.Dispose();
        }
    }
}
