namespace Xoscar.Orleans;

/// <summary>
/// A pool whose process is pinned to CPU core <paramref name="Core"/>, or, when null, one chosen at random among
/// the pools pinned to any core (<c>ActorPoolOptions.Cores</c>).
/// </summary>
/// <param name="Core">The core, or null for any core-bound pool.</param>
[GenerateSerializer, Alias("xoscar.CorePool")]
public sealed record CorePool([property: Id(0)] int? Core = null) : AllocationStrategy;
