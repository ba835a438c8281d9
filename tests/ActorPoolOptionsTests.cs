using System.Net;
using System.Net.Sockets;
using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests;

public sealed class ActorPoolOptionsTests
{
    [Theory]
    [MemberData(nameof(WrongOptions))]
    public async Task Wrong_options_are_refused_naming_the_option_before_anything_starts(string option, ActorPoolOptions options)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActorPool.CreateAsync(options));

        Assert.Equal(option, error.ParamName);
    }

    public static TheoryData<string, ActorPoolOptions> WrongOptions() => new()
    {
        { "Labels", new ActorPoolOptions { SubPools = 2, Labels = ["main", "sub"] } },
        { "Labels", new ActorPoolOptions { SubPools = 1, Labels = ["main", "two words"] } },
        { "Labels", new ActorPoolOptions { SubPools = 1, Labels = ["main", ""] } },
        { "Envs", new ActorPoolOptions { SubPools = 1, Envs = [] } },
        { "Envs", new ActorPoolOptions { SubPools = 1, Envs = [new Dictionary<string, string> { ["A=B"] = "c" }] } },
        { "Ports", new ActorPoolOptions { SubPools = 2, Ports = [0] } },
        { "Ports", new ActorPoolOptions { SubPools = 2, Ports = [5000, 5000] } },
        { "SubPools", new ActorPoolOptions { SubPools = -1 } },
        { "Address", new ActorPoolOptions { Address = "localhost" } },
        { "PoolHostPath", new ActorPoolOptions { SubPools = 1, PoolHostPath = "" } },
    };

    [Fact]
    public async Task A_sub_pool_that_never_joins_fails_the_start_in_time_naming_it_and_is_stopped()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, Envs = [NeverStarts()], StartTimeout = TimeSpan.FromSeconds(4) }));

        Assert.Contains("ActorPoolOptions.StartTimeout", error.Message);
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(error.Message, @"sub pool 1 \(pid (\d+)\) had not joined").Groups[1].Value);
        Assert.True(HasEnded(pid), $"sub pool process {pid} still runs");
    }

    [Fact]
    public async Task A_sub_pool_added_that_never_joins_fails_in_time_naming_it_and_is_stopped()
    {
        await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { StartTimeout = TimeSpan.FromSeconds(4) });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => pool.AddSubPoolAsync(env: NeverStarts()));

        Assert.Contains("ActorPoolOptions.StartTimeout", error.Message);
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(error.Message, @"sub pool 1 \(pid (\d+)\) had not joined").Groups[1].Value);
        Assert.True(HasEnded(pid), $"sub pool process {pid} still runs");
        Assert.Single(await pool.Context.GetPoolConfigAsync());
    }

    // The runtime of such a sub pool waits for a diagnostics tool that never comes: its process runs, its pool never starts.
    private static Dictionary<string, string> NeverStarts() =>
        new() { ["DOTNET_DiagnosticPorts"] = Path.Combine(Path.GetTempPath(), $"xoscar-no-tool-{Guid.NewGuid():N}.sock") + ",suspend" };

    private static bool HasEnded(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [Fact]
    public async Task Port_in_use_is_refused_naming_the_port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var mainPort = await Assert.ThrowsAsync<PoolPortInUseException>(() => ActorPool.CreateAsync(new ActorPoolOptions { Address = $"127.0.0.1:{port}" }));
        var subPort = await Assert.ThrowsAsync<PoolPortInUseException>(() => ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, Ports = [port] }));

        Assert.Equal(port, mainPort.Port);
        Assert.Contains(port.ToString(), mainPort.Message);
        Assert.Equal(port, subPort.Port);
    }
}
