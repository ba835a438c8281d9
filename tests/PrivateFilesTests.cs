using System.Runtime.Versioning;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// Files the project creates are readable by their owner alone (0600, in 0700 folders of their own): connection files,
/// certificates, shared-memory segments; connection files go when their pool does, and a dead pool's at the next start.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Directory.CreateTempSubdirectory("xoscar-private-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Connection_file_is_readable_by_its_owner_alone_and_deleted_when_its_pool_stops()
    {
        string path;
        await using (var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "private-files-test" }))
        {
            path = pool.ConnectionFile!;

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
            Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            Assert.Equal(PoolConnectionFile.DefaultPath($"127.0.0.1:{pool.GatewayPort}"), path);
            Assert.Equal("private-files-test", PoolConnectionFile.Read(path).ClusterId);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Connection_file_of_a_pool_whose_process_died_is_deleted_at_the_next_start()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        await ended.WaitForExitAsync();
        var stale = Path.Combine(_folder, "pool-127.0.0.1-1.json");
        File.WriteAllText(stale, $$"""{ "cluster_id": "x", "gateway": "127.0.0.1:1", "address": "127.0.0.1:2", "secret": "{{ClusterSecret.Generate()}}", "pid": {{ended.Id}} }""");

        await using var pool = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ConnectionFile = Path.Combine(_folder, "pool.json") });

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(pool.ConnectionFile));
    }

    [Fact]
    public void Connection_file_readable_by_other_users_is_refused()
    {
        var path = Path.Combine(_folder, "shared.json");
        File.WriteAllText(path, ClusterSecret.Generate());
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<ArgumentException>(() => PoolConnectionFile.ReadSecret(path));

        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void Self_signed_certificate_file_is_readable_by_its_owner_alone()
    {
        var path = Path.Combine(_folder, "cluster.pfx");
        File.WriteAllText(path, "an older file, replaced");

        PoolTls.CreateSelfSigned(path);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Shared_memory_segment_is_readable_by_its_owner_alone()
    {
        using var channel = new SharedMemoryChannel(Options.Create(new XoscarOptions { SharedMemory = true, SharedMemoryThreshold = 1 }));

        var path = channel.TryWrite(new byte[] { 1, 2, 3 })!;

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }
}
