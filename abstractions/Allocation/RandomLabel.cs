namespace Xoscar.Orleans;

/// <summary>A pool chosen at random among those labelled <paramref name="Label"/>.</summary>
/// <param name="Label">The pool label, as given in <c>ActorPoolOptions.Labels</c>.</param>
[GenerateSerializer, Alias("xoscar.RandomLabel")]
public sealed record RandomLabel([property: Id(0)] string Label) : AllocationStrategy;
