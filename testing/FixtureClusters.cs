namespace Xoscar.Orleans.Testing;

/// <summary>Cluster ids for fixtures' pools: one of its own each, so that fixtures running side by side never meet.</summary>
internal static class FixtureClusters
{
    public static string NewId() => "xoscar-test-" + Guid.NewGuid().ToString("N")[..12];
}
