namespace Xoscar.Orleans;

/// <summary>The pool with index <paramref name="Index"/>: 0 is the main pool, 1..n the sub pools in creation order.</summary>
/// <param name="Index">The pool's index.</param>
[GenerateSerializer, Alias("xoscar.ProcessIndex")]
public sealed record ProcessIndex([property: Id(0)] int Index) : AllocationStrategy;
