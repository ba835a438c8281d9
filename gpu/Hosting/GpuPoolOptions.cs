namespace Xoscar.Orleans.Gpu;

/// <summary>Which device a GPU pool binds to.</summary>
public sealed class GpuPoolOptions
{
    /// <summary>
    /// The device: <c>auto</c> (the first CUDA device, else the CPU accelerator; the default), <c>cpu</c>
    /// (ILGPU's CPU accelerator), a CUDA ordinal such as <c>0</c>, or <c>cuda:0</c>.
    /// </summary>
    public string Device { get; set; } = "auto";
}
