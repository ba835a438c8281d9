namespace Xoscar.Orleans.Gpu.Bench;

/// <summary>Element counts of the three measurements.</summary>
/// <param name="Saxpy">Floats per SAXPY vector.</param>
/// <param name="Launch">Floats touched by the small kernel.</param>
/// <param name="HandOff">Floats per handed-off buffer.</param>
public sealed record GpuBenchSizes(int Saxpy, int Launch, int HandOff)
{
    /// <summary>On a GPU: 16 Mi floats of SAXPY, a 1 Ki-element kernel, 4 Mi-float (16 MiB) hand-offs.</summary>
    public static GpuBenchSizes Gpu { get; } = new(16 << 20, 1 << 10, 4 << 20);

    /// <summary>On ILGPU's CPU accelerator (an emulator): tiny.</summary>
    public static GpuBenchSizes Cpu { get; } = new(4 << 10, 256, 16 << 10);
}
