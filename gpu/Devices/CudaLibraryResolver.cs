using System.Reflection;
using System.Runtime.InteropServices;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Lets ILGPU find the CUDA driver where only <c>libcuda.so.1</c> exists: ILGPU imports <c>cuda</c> (Linux) and
/// <c>nvcuda</c> (Windows), and without this resolver it silently reports no CUDA device on such machines.
/// Installed once per process on the ILGPU assembly.
/// </summary>
internal static class CudaLibraryResolver
{
    private static readonly string[] Fallbacks = ["libcuda.so.1", "libcuda.so", "nvcuda.dll"];
    private static readonly object Gate = new();
    private static bool _installed;
    private static volatile string? _loaded;

    /// <summary>The library the CUDA import resolved to, or null while none was loaded.</summary>
    public static string? LoadedLibrary => _loaded;

    /// <summary>Installs the resolver; returns false when another resolver was already installed on ILGPU (ILGPU installs its own on WSL).</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            if (_installed) return true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(global::ILGPU.Context).Assembly, Resolve);
                _installed = true;
            }
            catch (InvalidOperationException)
            {
                // Only one resolver per assembly: ILGPU's own WSL resolver got there first.
            }

            return _installed;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not ("cuda" or "nvcuda")) return IntPtr.Zero;
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
        {
            _loaded ??= OperatingSystem.IsWindows() ? "nvcuda.dll" : $"libcuda.so (probed as '{libraryName}')";
            return handle;
        }

        foreach (var name in Fallbacks)
        {
            if (NativeLibrary.TryLoad(name, out handle))
            {
                _loaded ??= name;
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
