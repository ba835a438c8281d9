using Orleans.Placement;
using Orleans.Runtime;

namespace Xoscar.Orleans;

/// <summary>
/// Places a grain in the pool whose address its key starts with (<c>address/uid</c>, or just <c>address</c>
/// for a pool's own grain). Every Xoscar actor uses it: an actor lives in the pool it was created in, for life.
/// </summary>
public sealed class PoolAddressPlacement : PlacementStrategy
{
    /// <summary>
    /// The grain directory of grains placed so: each pool records its own activations (see <c>AddXoscar()</c> on a
    /// silo builder), since a grain's key already says which pool it lives in.
    /// </summary>
    internal const string DirectoryName = "xoscar-pool-address";
}

/// <summary>Marks a grain class as placed by <see cref="PoolAddressPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class PoolAddressPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public PoolAddressPlacementAttribute() : base(new PoolAddressPlacement()) { }
}
