namespace Xoscar.Orleans.Silo;

/// <summary>
/// What the <c>xoscar-pool</c> process writes to its standard output for the process that started it: one line
/// per sub pool it started itself, then one line when it accepts actors. Every other line is its log.
/// </summary>
internal static class PoolHostProtocol
{
    /// <summary>The pool host's file name (run as <c>dotnet xoscar-pool.dll</c>).</summary>
    public const string FileName = "xoscar-pool.dll";

    /// <summary>The exit code of a pool that ends because its parent process died (Xoscar's <c>os._exit(233)</c>).</summary>
    public const int ParentDiedExitCode = 233;

    /// <summary>The exit code of a pool host whose port (or gateway port) is in use (Linux's <c>EADDRINUSE</c>); it says so on standard error.</summary>
    public const int PortInUseExitCode = 98;

    /// <summary>The line a sub pool started with <c>--join-on-cue</c> waits for on standard input before it joins the cluster.</summary>
    public const string JoinCue = "join";

    private const string ReadyPrefix = "xoscar-pool ready ";
    private const string SubPoolPrefix = "xoscar-pool sub-pool ";

    /// <summary>The line that says the pool at <paramref name="address"/> accepts actors.</summary>
    public static string Ready(string address) => $"{ReadyPrefix}{address} pid={Environment.ProcessId}";

    /// <summary>The line that tells a main pool's connection file and gateway, for clients to connect with.</summary>
    public static string ConnectionFile(string path, string gateway) => $"xoscar-pool connection-file {path} gateway {gateway}";

    /// <summary>The line that shows how a .NET client connects, ready to paste: through the connection file, which holds the secret.</summary>
    public static string ClientLine(string connectionFile) =>
        $"xoscar-pool client: await using var client = await ActorClient.ConnectAsync(new ActorClientOptions {{ ConnectionFile = \"{connectionFile}\" }});";

    /// <summary>The line that names a sub pool this process started.</summary>
    public static string SubPool(string address, int processId) => $"{SubPoolPrefix}{address} pid={processId}";

    /// <summary>Reads a <see cref="Ready"/> line.</summary>
    public static bool TryParseReady(string line, out string address, out int processId) => TryParse(line, ReadyPrefix, out address, out processId);

    /// <summary>Reads a <see cref="SubPool"/> line.</summary>
    public static bool TryParseSubPool(string line, out string address, out int processId) => TryParse(line, SubPoolPrefix, out address, out processId);

    private static bool TryParse(string line, string prefix, out string address, out int processId)
    {
        address = "";
        processId = 0;
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var parts = line[prefix.Length..].Split(" pid=");
        if (parts.Length != 2 || !int.TryParse(parts[1], out processId)) return false;
        address = parts[0];
        return true;
    }
}
