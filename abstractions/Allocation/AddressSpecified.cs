using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>The pool at <see cref="Address"/> (the default: the address passed to <c>CreateActorAsync</c>).</summary>
[GenerateSerializer, Alias("xoscar.AddressSpecified")]
public sealed record AddressSpecified : AllocationStrategy
{
    /// <summary>The pool at <paramref name="address"/>.</summary>
    /// <param name="address">The pool address, <c>host:port</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a pool address.</exception>
    public AddressSpecified(string address) => Address = PoolAddressFormat.Check(address, nameof(address));

    /// <summary>The pool address, <c>host:port</c>.</summary>
    [Id(0)] public string Address { get; }
}
