namespace Xoscar.Orleans.Gpu;

/// <summary>What kind of device a GPU pool runs on.</summary>
public enum GpuDeviceKind
{
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: an emulator (one OS thread per GPU thread), for tests and machines without a GPU.</summary>
    Cpu,
}
