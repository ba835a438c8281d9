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
    };

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
