namespace Xoscar.Orleans.Gpu;

/// <summary>What kind of device a GPU pool runs on.</summary>
public enum GpuDeviceKind
{
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: an emulator (one OS thread per GPU thread), for tests and machines without a GPU.</summary>
    Cpu,

    /// <summary>
    /// A device of a simulated inventory (<c>sim:INDEX:MEMORY</c>): ILGPU's CPU accelerator standing in for a GPU with
    /// its own index and a configured memory size, which its pool enforces. For placement tests on machines without a GPU.
    /// </summary>
    Simulated,
}
