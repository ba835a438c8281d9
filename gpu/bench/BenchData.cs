namespace Xoscar.Orleans.Gpu.Bench;

/// <summary>Non-zero, position-dependent data, so a wrong index or a skipped element shows in the check.</summary>
public static class BenchData
{
    public static float[] X(int n) => Enumerable.Range(0, n).Select(i => 1f + (i % 1000) * 0.001f).ToArray();

    public static float[] Y(int n) => Enumerable.Range(0, n).Select(i => 2f - (i % 777) * 0.002f).ToArray();
}
