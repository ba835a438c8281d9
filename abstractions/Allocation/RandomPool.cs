namespace Xoscar.Orleans;

/// <summary>A pool chosen at random among all pools of the cluster, the main pool included (Xoscar's <c>Random</c>).</summary>
[GenerateSerializer, Alias("xoscar.RandomPool")]
public sealed record RandomPool : AllocationStrategy;
