using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Actors;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;
using Xoscar.Orleans.Testing;

namespace Xoscar.Orleans.Tests;

/// <summary>TLS without an authority: the pool trusts only peers that present its own certificate (one certificate for the whole cluster).</summary>
public sealed class TlsSameCertificateTests : IDisposable
{
    private readonly TestCertificates _certificates = new();
    private readonly PoolLogs _logs = new();

    public void Dispose() => _certificates.Dispose();

    private async Task<EmbeddedActorPool> StartPoolAsync(PoolTls tls) => await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
    {
        ClusterId = TlsTests.TlsPoolFixture.ClusterId,
        Tls = tls,
        ConfigureHost = host => host.ConfigureLogging(logging => logging.AddProvider(_logs)),
    });

    [Fact]
    public async Task Client_holding_the_pool_certificate_calls_actors()
    {
        var tls = new PoolTls(_certificates.SelfSigned("cluster"), TestCertificates.Password);
        await using var pool = await StartPoolAsync(tls);
        await using var client = await ActorClient.ConnectAsync(TlsTests.ClientOptions(pool.GatewayPort, tls));

        var counter = await client.Context.CreateActorAsync<Counter, ICounter>([1], address: pool.Address);

        Assert.Equal(2, await counter.Add(1));
    }

    [Fact]
    public async Task Client_with_another_self_signed_certificate_is_refused()
    {
        await using var pool = await StartPoolAsync(new PoolTls(_certificates.SelfSigned("cluster"), TestCertificates.Password));
        var stranger = new PoolTls(_certificates.SelfSigned("stranger"), TestCertificates.Password);

        await TlsTests.AssertRefusedAsync<TlsHandshakeFailedException>(TlsTests.ClientOptions(pool.GatewayPort, stranger), _logs);
    }
}
