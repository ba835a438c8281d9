using ILGPU;

namespace Xoscar.Orleans.Gpu;

/// <summary>Small ILGPU kernels shared by the samples, tests and the GPU benchmark.</summary>
public static class StandardKernels
{
    /// <summary>SAXPY in place: <c>y[i] = a * x[i] + y[i]</c>, one GPU thread per element.</summary>
    public static void Saxpy(Index1D i, float a, ArrayView<float> x, ArrayView<float> y) => y[i] = a * x[i] + y[i];

    /// <summary>Adds <paramref name="value"/> to every element: <c>data[i] += value</c>.</summary>
    public static void AddScalar(Index1D i, ArrayView<float> data, float value) => data[i] += value;
}
