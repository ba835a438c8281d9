using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A test class on the shared two-pool cluster: the client's façade and fresh uids.</summary>
[Collection(ClusterCollection.Name)]
public abstract class ClusterTest(ClusterFixture fixture)
{
    protected ClusterFixture Fixture => fixture;

    /// <summary>The façade of a client outside both pools.</summary>
    protected IActorContext Xo => fixture.Client;

    protected string Pool0 => fixture.Pool0;

    protected string Pool1 => fixture.Pool1;

    /// <summary>A uid no other test uses: tests share the pools.</summary>
    protected static string NewUid() => Guid.NewGuid().ToString("N");
}
