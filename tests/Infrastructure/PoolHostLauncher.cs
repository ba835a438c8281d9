using System.Diagnostics;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>Runs the pool host <c>xoscar-pool</c> (copied next to the tests) as a child process and reads its protocol lines.</summary>
public static class PoolHostLauncher
{
    /// <summary>Starts <c>dotnet xoscar-pool.dll</c> with <paramref name="arguments"/>, its standard output redirected.</summary>
    public static Process Start(params string[] arguments) => Process.Start(StartInfo(arguments))!;

    /// <summary>Runs <c>dotnet xoscar-pool.dll</c> with <paramref name="arguments"/> to its end (a refused command line): its exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Error)> RunAsync(params string[] arguments)
    {
        var start = StartInfo(arguments);
        start.RedirectStandardError = true;
        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync();
        var error = await host.StandardError.ReadToEndAsync();
        await output;
        await host.WaitForExitAsync();
        return (host.ExitCode, error);
    }

    private static ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, PoolHostProtocol.FileName));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Remove(PoolMembership.RedisConnectionVariable);
        return start;
    }

    /// <summary>Reads output until the ready line: the pool's address and the sub pools it announced (address, pid); null address if it ended first.</summary>
    public static async Task<(string? Address, List<(string Address, int ProcessId)> SubPools)> ReadUntilReadyAsync(Process host, List<string>? lines = null)
    {
        var subPools = new List<(string, int)>();
        while (await host.StandardOutput.ReadLineAsync() is { } line)
        {
            lines?.Add(line);
            if (PoolHostProtocol.TryParseSubPool(line, out var subPool, out var processId)) subPools.Add((subPool, processId));
            if (PoolHostProtocol.TryParseReady(line, out var address, out _)) return (address, subPools);
        }

        return (null, subPools);
    }
}
