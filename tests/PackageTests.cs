using System.Diagnostics;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>
/// The NuGet packages, packed from this build: the one package <c>Xoscar.Orleans</c> gives a fresh application
/// everything it needs — actor proxies generated for its own actors, the runtime, and the pool host process for
/// its sub pools; <c>Xoscar.Orleans.PoolTool</c> installs <c>xoscar-pool</c> as a .NET tool.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly string _folder = Directory.CreateTempSubdirectory("xoscar-package-").FullName;
    private readonly string _version = "0.0.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");

    [Fact]
    public async Task Facade_package_runs_an_application_actor_in_a_sub_pool_process()
    {
        var packages = Path.Combine(_folder, "packages");
        var app = Path.Combine(_folder, "app");
        await RunAsync(RepositoryRoot(), "pack", "Xoscar.Orleans.sln", "--no-build", "-c", Configuration, "-o", packages, "-p:Version=" + _version);
        WriteApplication(app, packages);

        var output = await RunAsync(app, "run", "-c", "Release");

        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("hello, package", lines);
        var processes = lines.Single(l => l.StartsWith("processes ", StringComparison.Ordinal)).Split(' ');
        Assert.NotEqual(processes[1], processes[2]);   // the actor ran in the sub pool's own process
    }

    [Fact]
    public async Task Pool_tool_package_installs_as_a_dotnet_tool_whose_xoscar_pool_command_starts_a_pool()
    {
        var packages = Path.Combine(_folder, "packages");
        var tools = Path.Combine(_folder, "tools");
        var root = RepositoryRoot();
        await RunAsync(root, "pack", Path.Combine(root, "silo", "Host", "Tool", "Xoscar.Orleans.PoolTool.csproj"), "--no-build", "-c", Configuration, "-o", packages, "-p:Version=" + _version);
        var config = Path.Combine(_folder, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="xoscar-build" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        await RunAsync(_folder, "tool", "install", "Xoscar.Orleans.PoolTool", "--version", _version, "--tool-path", tools, "--configfile", config);

        using var pool = Process.Start(new ProcessStartInfo(Path.Combine(tools, "xoscar-pool"), ["--cluster-id", "pool-tool-test"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var ready = ReadyLineAsync(pool).WaitAsync(Patience);
            Assert.StartsWith("xoscar-pool ready 127.0.0.1:", await ready);
        }
        finally
        {
            pool.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> ReadyLineAsync(Process pool)
    {
        var lines = new List<string>();
        while (await pool.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("xoscar-pool ready ", StringComparison.Ordinal)) return line;
            lines.Add(line);
        }

        throw new InvalidOperationException($"The pool ended before it was ready: {string.Join(" | ", lines)}");
    }

    private void WriteApplication(string app, string packages)
    {
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="xoscar-build" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Xoscar.Orleans" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Xoscar.Orleans;
            using Xoscar.Orleans.Silo;

            await using var pool = await ActorPool.CreateAsync(new ActorPoolOptions { SubPools = 1, ClusterId = "package-test" });
            var greeter = await pool.Context.CreateActorAsync<Greeter, IGreeter>(["hello"], address: pool.Addresses[1]);
            Console.WriteLine(await greeter.Greet("package"));
            Console.WriteLine($"processes {Environment.ProcessId} {await greeter.ProcessId()}");

            public interface IGreeter : IActor
            {
                Task<string> Greet(string name);
                Task<int> ProcessId();
            }

            public sealed class Greeter(string greeting) : Actor, IGreeter
            {
                public Task<string> Greet(string name) => Task.FromResult($"{greeting}, {name}");
                public Task<int> ProcessId() => Task.FromResult(Environment.ProcessId);
            }
            """);
    }

    /// <summary>Runs the .NET CLI in <paramref name="folder"/>; its standard output, or a failure quoting all it printed.</summary>
    private static async Task<string> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (arguments[0] is "pack" or "build" or "run") start.ArgumentList.Add("-nodeReuse:false");   // no build server outlives the test
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not end within {Patience}.");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }

        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Xoscar.Orleans.sln"))) return folder.FullName;
        }

        throw new InvalidOperationException($"No Xoscar.Orleans.sln above {AppContext.BaseDirectory}.");
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        // The restore put this build's packages into the machine's package folder under a version used once: remove them.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Directory.Exists(cache) ? Directory.GetDirectories(cache, "xoscar.orleans*") : [])
        {
            var version = Path.Combine(package, _version);
            if (Directory.Exists(version)) Directory.Delete(version, recursive: true);
        }
    }
}
