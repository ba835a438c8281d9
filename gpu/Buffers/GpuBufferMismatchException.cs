namespace Xoscar.Orleans.Gpu;

/// <summary>A GPU buffer did not have the element type or length its receiver expected.</summary>
[GenerateSerializer, Alias("xoscar.gpu.GpuBufferMismatchException")]
public sealed class GpuBufferMismatchException : XoscarException
{
    /// <summary>Creates the error from the expected and the actual buffer, each as <c>GpuBuffer&lt;Type&gt;[length]</c>.</summary>
    public GpuBufferMismatchException(string expected, string actual)
        : base($"GPU buffer mismatch: expected {expected}, got {actual}.")
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The buffer the receiver expected, e.g. <c>GpuBuffer&lt;Single&gt;[1024]</c>.</summary>
    [Id(0)] public string Expected { get; private set; }

    /// <summary>The buffer that arrived.</summary>
    [Id(1)] public string Actual { get; private set; }
}
