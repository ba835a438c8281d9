using System.Diagnostics;

namespace Xoscar.Orleans.Runtime;

/// <summary>Whether a process named in a file left behind (a segment, a connection file) still runs: what is left by a dead one is deleted.</summary>
internal static class LiveProcesses
{
    /// <summary>Whether process <paramref name="processId"/> runs.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
