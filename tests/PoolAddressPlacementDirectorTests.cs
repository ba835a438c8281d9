using System.Collections.Immutable;
using System.Net;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Placement by pool address when this silo's view of the cluster lags: a pool that joined a moment ago is active in
/// the membership before its grain types reach this silo's cluster manifest.
/// </summary>
public sealed class PoolAddressPlacementDirectorTests
{
    private static readonly SiloAddress Joined = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 41001), 1);
    private static readonly PlacementTarget Target = new(
        GrainId.Create("xoscar-test", $"{PoolAddresses.Of(Joined)}/actor-1"), [], default, 0);

    [Fact]
    public async Task A_pool_active_but_not_yet_in_the_manifest_is_waited_for_and_chosen()
    {
        var context = new LaggingContext();
        var director = new PoolAddressPlacementDirector(new PoolObituaries(), new Membership(SiloStatus.Active));

        var placing = director.OnAddActivation(new PoolAddressPlacement(), Target, context);
        await Task.Delay(100);
        Assert.False(placing.IsCompleted);
        context.Compatible = [Joined];

        Assert.Equal(Joined, await placing.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_pool_the_membership_does_not_show_active_fails_at_once_naming_it()
    {
        var director = new PoolAddressPlacementDirector(new PoolObituaries(), new Membership(SiloStatus.Dead));

        var placing = director.OnAddActivation(new PoolAddressPlacement(), Target, new LaggingContext());

        Assert.True(placing.IsFaulted);
        var error = await Assert.ThrowsAsync<ServerClosedException>(() => placing);
        Assert.Contains($"No actor pool is running at {PoolAddresses.Of(Joined)}", error.Message);
    }

    private sealed class LaggingContext : IPlacementContext
    {
        public volatile SiloAddress[] Compatible = [];

        public SiloAddress LocalSilo => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 41000), 1);

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => Compatible;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) => new Dictionary<ushort, SiloAddress[]> { [0] = Compatible };
    }

    private sealed class Membership(SiloStatus status) : IClusterMembershipService
    {
        public ClusterMembershipSnapshot CurrentSnapshot { get; } = new(
            ImmutableDictionary<SiloAddress, ClusterMember>.Empty.Add(Joined, new ClusterMember(Joined, status, "joined")), new MembershipVersion(2));

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => throw new NotSupportedException();
    }
}
