using Xoscar.Orleans.Gpu;
using System.Runtime.CompilerServices;
using Xoscar.Orleans.Tests.Infrastructure;

namespace Xoscar.Orleans.Tests;

/// <summary>A test that needs a CUDA device: skipped, with the reason shown, where ILGPU finds none.</summary>
public sealed class GpuCudaFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    : ConditionalFactAttribute(HasCuda.Value ? null : "No CUDA device: ILGPU found none (libcuda.so.1 absent or no GPU); runs on the GPU machine (gpu/device/run-gpu-checks.sh).", test, file)
{
    private static readonly Lazy<bool> HasCuda = new(GpuDevices.HasCuda);
}
