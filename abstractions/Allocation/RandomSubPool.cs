namespace Xoscar.Orleans;

/// <summary>A pool chosen at random among the sub pools (every pool but the main one).</summary>
[GenerateSerializer, Alias("xoscar.RandomSubPool")]
public sealed record RandomSubPool : AllocationStrategy;
