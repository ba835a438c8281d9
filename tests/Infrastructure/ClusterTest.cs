using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A test class on the shared two-pool cluster.</summary>
[Collection(ClusterCollection.Name)]
public abstract class ClusterTest(ClusterFixture fixture) : TwoPoolTest<ClusterFixture>(fixture);
