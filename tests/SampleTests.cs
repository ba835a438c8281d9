using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xoscar.Orleans.Silo;
using Xoscar.Orleans.Tests.Infrastructure;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The samples do what their READMEs say, run from the solution's own build.</summary>
public sealed partial class SampleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ClientAndPool_a_client_process_creates_and_calls_an_actor_in_a_pool_process_that_loaded_the_actor_library()
    {
        using var host = PoolHostLauncher.Start("--sub-pools", "1", "--cluster-id", "sample-client-and-pool", "--assembly", SampleOutput("ClientAndPool/Actors", "ClientAndPool.Actors.dll"));
        var processes = new List<int> { host.Id };
        try
        {
            var lines = new List<string>();
            var (address, subPools) = await PoolHostLauncher.ReadUntilReadyAsync(host, lines).WaitAsync(Bound);
            processes.AddRange(subPools.Select(s => s.ProcessId));
            Assert.True(address is not null, $"The pool ended before it was ready: {string.Join(" | ", lines)}");
            var connectionFile = Assert.Single(lines, l => l.StartsWith("xoscar-pool connection-file ", StringComparison.Ordinal)).Split(' ')[2];

            var (exitCode, output) = await RunAsync(SampleOutput("ClientAndPool/Client", "ClientAndPool.Client.dll"), connectionFile);

            Assert.True(exitCode == 0, output);
            var sub = Assert.Single(subPools);
            Assert.Contains($"Hello, world! (greeting 1 from 'greeter' in pool {sub.Address}, process {sub.ProcessId})", output);
            Assert.Contains($"Hello, again! (greeting 2 from 'greeter' in pool {sub.Address}, process {sub.ProcessId})", output);
        }
        finally
        {
            ProcessCleanup.KillIfRunning(processes);
        }
    }

    [Fact]
    public async Task OrleansApp_an_http_endpoint_creates_calls_and_destroys_actors_in_the_applications_own_silo()
    {
        var start = new ProcessStartInfo(DotNet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     SampleOutput("OrleansApp", "OrleansApp.dll"), "--urls", "http://127.0.0.1:0",
                     $"--Orleans:SiloPort={PoolEndpoints.FreePort(IPAddress.Loopback)}", $"--Orleans:GatewayPort={PoolEndpoints.FreePort(IPAddress.Loopback)}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var app = Process.Start(start)!;
        try
        {
            _ = app.StandardError.ReadToEndAsync();
            var url = await ListeningUrlAsync(app).WaitAsync(Bound);
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Bound };

            var first = await http.PostAsync("/counters/visits/add/2", null);
            var second = await http.PostAsync("/counters/visits/add/3", null);
            var value = await http.GetStringAsync("/counters/visits");
            var destroyed = await http.DeleteAsync("/counters/visits");
            var afterwards = await http.GetAsync("/counters/visits");

            Assert.Equal(("2", "5", "5"), (await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync(), value));
            Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (destroyed.StatusCode, afterwards.StatusCode));
        }
        finally
        {
            ProcessCleanup.KillIfRunning([app.Id]);
        }
    }

    private static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    // The solution builds the samples beside the tests: samples/<project>/bin/<this configuration>/net10.0/<file>.
    private static string SampleOutput(string project, string file)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration, root) = (output.Name, output.Parent!.Name, output.Parent!.Parent!.Parent!.Parent!.FullName);
        var path = Path.Combine(root, "samples", project, "bin", configuration, framework, file);
        Assert.True(File.Exists(path), $"{path} is missing: the solution builds it (dotnet build Xoscar.Orleans.sln).");
        return path;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string dll, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotNet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} did not end within {Bound.TotalSeconds} s: {await output} {await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    // ASP.NET Core logs "Now listening on: http://127.0.0.1:PORT" once it serves.
    private static async Task<string> ListeningUrlAsync(Process app)
    {
        var seen = new List<string>();
        while (await app.StandardOutput.ReadLineAsync() is { } line)
        {
            seen.Add(line);
            if (ListeningPattern().Match(line) is { Success: true } match)
            {
                _ = DrainAsync(app.StandardOutput);
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"The application ended before it served: {string.Join(" | ", seen.TakeLast(20))}");
    }

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is not null)
        {
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
