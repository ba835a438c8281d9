namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A cluster of two pools with a client outside both, shared by the test classes of one collection.</summary>
public interface ITwoPoolCluster
{
    /// <summary>The façade of a client outside both pools.</summary>
    IActorContext Client { get; }

    /// <summary>The address of the first pool.</summary>
    string Pool0 { get; }

    /// <summary>The address of the second pool.</summary>
    string Pool1 { get; }
}

/// <summary>A test class on a shared two-pool cluster: the client's façade, the pools, fresh uids.</summary>
public abstract class TwoPoolTest<TCluster>(TCluster cluster) where TCluster : ITwoPoolCluster
{
    protected TCluster Fixture => cluster;

    /// <summary>The façade of a client outside both pools.</summary>
    protected IActorContext Xo => cluster.Client;

    protected string Pool0 => cluster.Pool0;

    protected string Pool1 => cluster.Pool1;

    /// <summary>A uid no other test uses: tests share the pools.</summary>
    protected static string NewUid() => Guid.NewGuid().ToString("N");
}
