namespace Xoscar.Orleans;

/// <summary>Where the façade sends calls that name no pool: the local pool inside a silo, the configured one in a client.</summary>
internal interface IDefaultPoolAddress
{
    /// <summary>The address, or null where there is none.</summary>
    string? Address { get; }

    /// <summary>Whether <see cref="Address"/> is the pool of this process (a silo), not one it calls (a client's).</summary>
    bool IsThisPool { get; }
}
