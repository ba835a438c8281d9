namespace Xoscar.Orleans;

/// <summary>The role of a pool in its cluster.</summary>
public enum PoolKind
{
    /// <summary>The main pool (index 0): the one that was started first, decides allocation strategies, and whose death ends the sub pools.</summary>
    Main,

    /// <summary>A sub pool: a separate process that joined the main pool's cluster.</summary>
    Sub,
}
