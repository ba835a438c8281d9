namespace Xoscar.Orleans;

/// <summary>The main pool (index 0) of the cluster.</summary>
[GenerateSerializer, Alias("xoscar.MainPool")]
public sealed record MainPool : AllocationStrategy;
