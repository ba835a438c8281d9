namespace Xoscar.Orleans;

/// <summary>The pool at <paramref name="Address"/> (the default: the address passed to <c>CreateActorAsync</c>).</summary>
/// <param name="Address">The pool address, <c>host:port</c>.</param>
[GenerateSerializer, Alias("xoscar.AddressSpecified")]
public sealed record AddressSpecified([property: Id(0)] string Address) : AllocationStrategy;
