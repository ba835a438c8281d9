using System.Net;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>Membership and TLS settings that cannot work are refused before a pool runs, naming what is wrong.</summary>
public sealed class ClusterSecurityOptionsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Unreachable_redis_fails_the_pool_start_naming_the_pool_and_the_store()
    {
        var closedPort = PoolEndpoints.FreePort(IPAddress.Loopback);

        var error = await Assert.ThrowsAsync<MembershipUnavailableException>(() => ActorPool.CreateAsync(new ActorPoolOptions
        {
            Membership = PoolMembership.Redis($"127.0.0.1:{closedPort},password=hidden-secret"),
            Secret = ClusterSecret.Generate(),
        }));

        Assert.Equal($"Redis at 127.0.0.1:{closedPort}", error.Store);
        Assert.Contains(error.Address, error.Message);
        Assert.DoesNotContain("hidden-secret", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379,password=hidden-secret,no-such-option=1")]
    public void Redis_membership_with_a_bad_connection_string_is_refused_without_quoting_it(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => PoolMembership.Redis(connectionString));

        Assert.Equal("connectionString", error.ParamName);
        Assert.DoesNotContain("hidden-secret", error.Message);
    }

    [Fact]
    public async Task Join_address_with_a_membership_store_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
        {
            JoinAddress = "127.0.0.1:11111",
            Membership = PoolMembership.Redis("127.0.0.1:6379"),
        }));

        Assert.Equal(nameof(EmbeddedPoolOptions.JoinAddress), error.ParamName);
    }

    [Fact]
    public async Task Certificate_file_that_is_not_a_certificate_is_refused_naming_it_before_anything_starts()
    {
        var path = _certificates.NotACertificate();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, Tls = new PoolTls(path) }));

        Assert.Equal(nameof(PoolTls.CertificatePath), error.ParamName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Certificate_with_the_wrong_password_is_refused_naming_it()
    {
        var path = _certificates.SelfSigned("pool");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { Tls = new PoolTls(path, "wrong") }));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Missing_authority_file_is_refused_naming_it()
    {
        var tls = new PoolTls(_certificates.SelfSigned("pool"), TestCertificates.Password) { AuthorityPath = "no-such-authority.cer" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorPool.CreateAsync(new ActorPoolOptions { Tls = tls }));

        Assert.Equal(nameof(PoolTls.AuthorityPath), error.ParamName);
        Assert.Contains(Path.GetFullPath("no-such-authority.cer"), error.Message);
    }

    [Fact]
    public void Tls_settings_never_show_the_password()
    {
        var tls = new PoolTls("pool.pfx", "hidden-secret");

        Assert.DoesNotContain("hidden-secret", tls.ToString());
    }

    [Theory]
    [InlineData("--redis", "needs a connection string")]
    [InlineData("--tls-authority", "--tls-authority needs --tls-certificate")]
    [InlineData("--join", "--redis")]
    public async Task Pool_host_refuses_a_membership_or_TLS_option_it_cannot_use(string option, string explanation)
    {
        string[] arguments = option switch
        {
            "--tls-authority" => ["--tls-authority", "authority.cer"],
            "--join" => ["--join", "127.0.0.1:11111", "--redis", "127.0.0.1:6379"],
            _ => [option],
        };

        var (exitCode, error) = await PoolHostLauncher.RunAsync(arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(explanation, error);
    }
}
