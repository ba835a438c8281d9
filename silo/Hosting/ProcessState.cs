using System.Diagnostics;

namespace Xoscar.Orleans.Silo;

/// <summary>Whether a process that is not necessarily this one's child still runs.</summary>
internal static class ProcessState
{
    /// <summary>Whether process <paramref name="processId"/> has ended; on Linux a zombie (dead, not yet reaped) counts as ended.</summary>
    public static bool HasEnded(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // /proc/<pid>/stat: "pid (name) S ...": the state follows the last ')'.
                var stat = File.ReadAllText($"/proc/{processId}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
            }
            catch (IOException)
            {
                return true;
            }
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
