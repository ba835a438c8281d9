using System.Text.Json;
using System.Text.Json.Serialization;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.Security;

namespace Xoscar.Orleans;

/// <summary>
/// What a client needs to connect to an actor pool, as its main pool writes it at start (as Jupyter writes a kernel's
/// connection file): the cluster id, a gateway, the pool's address and the cluster's secret. The file is readable by
/// its owner alone (0600, in a 0700 folder) and is deleted when the pool stops; a later start deletes the files of
/// pools whose process died.
/// </summary>
public sealed class PoolConnectionFile
{
    private const string Prefix = "pool-";

    private PoolConnectionFile(string path, Contents contents)
    {
        Path = path;
        ClusterId = contents.ClusterId;
        Gateway = contents.Gateway;
        Address = contents.Address;
        Secret = contents.Secret;
        ProcessId = contents.ProcessId;
    }

    /// <summary>The file, as a full path.</summary>
    public string Path { get; }

    /// <summary>The cluster's id.</summary>
    public string ClusterId { get; }

    /// <summary>The main pool's gateway, <c>host:port</c>.</summary>
    public string Gateway { get; }

    /// <summary>The main pool's address, <c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The cluster's secret.</summary>
    public string Secret { get; }

    /// <summary>The main pool's process.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Where pools write their connection files unless told otherwise: <c>$XDG_RUNTIME_DIR/xoscar</c>, else
    /// <c>~/.local/share/xoscar/runtime</c>.
    /// </summary>
    public static string DefaultFolder { get; } = FindDefaultFolder();

    /// <summary>The connection file a pool whose gateway is <paramref name="gateway"/> writes by default.</summary>
    public static string DefaultPath(string gateway) =>
        System.IO.Path.Combine(DefaultFolder, Prefix + gateway.Replace(':', '-').Replace('[', '_').Replace(']', '_') + ".json");

    /// <summary>Reads the connection file at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">It is missing, not a connection file, or readable by other users (its secret is then not one).</exception>
    public static PoolConnectionFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = System.IO.Path.GetFullPath(path);
        Contents? contents;
        try
        {
            CheckPrivate(path);
            contents = JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ArgumentException($"Connection file {path} cannot be read: {error.Message}", nameof(path), error);
        }

        if (contents is null || new[] { contents.ClusterId, contents.Gateway, contents.Address, contents.Secret }.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"Connection file {path} is not an Xoscar.Orleans connection file (cluster_id, gateway, address and secret are needed).", nameof(path));
        }

        return new PoolConnectionFile(path, contents);
    }

    /// <summary>
    /// The secret in the file at <paramref name="path"/>: a connection file's, or the whole content of a file that
    /// holds only the secret (leading and trailing white space ignored).
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing, readable by other users, or holds no valid secret.</exception>
    internal static string ReadSecret(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            CheckPrivate(path);
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Secret file {path} cannot be read: {error.Message}", nameof(path), error);
        }

        var secret = text.StartsWith('{') ? Read(path).Secret : text;
        ClusterSecret.Check(secret, nameof(path));
        return secret;
    }

    /// <summary>
    /// Writes a new connection file at <paramref name="path"/> (0600, replacing a file there), first deleting the
    /// files in its folder left by pools whose process is gone; disposing the result deletes it.
    /// </summary>
    internal static Owned Write(string path, string clusterId, string gateway, string address, string secret)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        OwnerOnlyFiles.EnsureFolder(folder);
        DeleteFilesOfEndedPools(folder);
        var contents = new Contents { ClusterId = clusterId, Gateway = gateway, Address = address, Secret = secret, ProcessId = Environment.ProcessId };
        OwnerOnlyFiles.Write(path, JsonSerializer.SerializeToUtf8Bytes(contents, new JsonSerializerOptions { WriteIndented = true }));
        return new Owned(path);
    }

    /// <summary>Where to find a cluster's secret, for an error that says it is missing or wrong.</summary>
    internal static string WhereTheSecretIs =>
        $"The secret is in the main pool's connection file (printed at its start; by default in {DefaultFolder}): pass it as ActorClientOptions.ConnectionFile " +
        "or .Secret, xoscar-pool --secret-file, or XoscarOptions.ClusterSecret.";

    /// <summary>The file and the pool it describes; never the secret.</summary>
    public override string ToString() => $"connection file {Path} (cluster '{ClusterId}', gateway {Gateway}, pool {Address})";

    private static void CheckPrivate(string path)
    {
        if (OwnerOnlyFiles.OthersCanRead(path))
        {
            throw new IOException($"other users can read it, so its secret is not one; make it readable by its owner alone (chmod 600 {path})");
        }
    }

    private static void DeleteFilesOfEndedPools(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, Prefix + "*.json"))
        {
            try
            {
                var processId = JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(file))?.ProcessId ?? 0;
                if (processId > 0 && !LiveProcesses.IsRunning(processId)) File.Delete(file);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
            {
                // Not ours to judge: another writer's file, or one being replaced.
            }
        }
    }

    private static string FindDefaultFolder()
    {
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime) return System.IO.Path.Combine(runtime, "xoscar");
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return data.Length > 0
            ? System.IO.Path.Combine(data, "xoscar", "runtime")
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xoscar-" + Environment.UserName);
    }

    /// <summary>A connection file this process wrote: disposing it deletes it.</summary>
    internal sealed class Owned(string path) : IDisposable
    {
        /// <summary>The file, as a full path.</summary>
        public string Path { get; } = System.IO.Path.GetFullPath(path);

        public void Dispose() => File.Delete(Path);
    }

    private sealed class Contents
    {
        [JsonPropertyName("cluster_id")] public string ClusterId { get; init; } = "";

        [JsonPropertyName("gateway")] public string Gateway { get; init; } = "";

        [JsonPropertyName("address")] public string Address { get; init; } = "";

        [JsonPropertyName("secret")] public string Secret { get; init; } = "";

        [JsonPropertyName("pid")] public int ProcessId { get; init; }
    }
}
