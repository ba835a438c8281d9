using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Bench;
using Xoscar.Orleans.Gpu;
using Xoscar.Orleans.Gpu.Bench;
using Xoscar.Orleans.Silo;

// Usage: Xoscar.Orleans.Gpu.Bench [--cpu] [--quick] [--device SPEC] [--json PATH]
//   default: CUDA device 0, GPU sizes (16 Mi-float SAXPY); --cpu: ILGPU's CPU accelerator with tiny sizes.
//   Exit codes: 0 ok, 2 bad arguments, 3 no CUDA device, 4 a check failed.
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var cpu = args.Contains("--cpu");
var device = Option("--device") ?? (cpu ? "cpu" : "0");
var settings = args.Contains("--quick") ? BenchSettings.Quick : BenchSettings.Full;
var sizes = cpu ? GpuBenchSizes.Cpu : GpuBenchSizes.Gpu;
var jsonPath = Option("--json");

using (var factory = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true)))
{
    var devices = GpuDevices.Discover(factory.CreateLogger("Xoscar.Orleans.Gpu.Discovery"));
    Console.WriteLine("devices: " + string.Join("; ", devices));
    if (!cpu && !devices.Any(d => d.Kind == GpuDeviceKind.Cuda))
    {
        Console.Error.WriteLine("no CUDA device found; run with --cpu to use ILGPU's CPU accelerator");
        return 3;
    }
}

// Pools are private by default: the second proves the first's secret.
var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
await using var main = await EmbeddedGpuPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "gpu-bench", Secret = secret }, o => o.Device = device);
await using var second = await EmbeddedGpuPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "gpu-bench", JoinAddress = main.Address, Secret = secret }, o => o.Device = device);
Console.WriteLine($"pools: {main.Address} (main, caller), {second.Address}; device {main.Gpu.Device}; sizes {sizes}; {settings.Rounds} rounds of {settings.Window.TotalMilliseconds} ms a side; medians");

var rows = new List<BenchRow>();
try
{
    var benchmarks = new GpuBenchmarks(main, second, sizes, new Measurement(settings));
    var header = $"{"name",-24} {"unit",-9} {"value",12} {"baseline",12} {"ratio",7}";
    var lines = new List<string>();
    await foreach (var row in benchmarks.RunAsync())
    {
        if (row is null) continue;
        rows.Add(row);
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Name,-24} {row.Unit,-9} {row.Value,12:F3} {row.Baseline,12:F3} {row.Ratio,7:F2}"));
    }

    Console.WriteLine("value: through a GPU actor (handoff-same/x: within one pool; handoff-x/copy: across pools; copyto-x/upload: host bytes copied into a device buffer of the other pool; copyto-dev-x/handoff: a device buffer copied into one of the other pool; memory-back/held: device memory back after destroying an actor that forgot its buffers); baseline: the same ILGPU work launched directly (handoff-same/x: across pools; handoff-x/copy: device → host → device by hand, one process; copyto-x/upload: the same host bytes uploaded by hand in the other pool; copyto-dev-x/handoff: that buffer handed to an actor of the other pool; memory-back/held: the memory those buffers held)");
    Console.WriteLine(header);
    lines.ForEach(Console.WriteLine);
}
catch (InvalidOperationException error) when (error.Message.StartsWith("check failed", StringComparison.Ordinal))
{
    Console.Error.WriteLine(error.Message);
    return 4;
}

if (jsonPath is not null)
{
    var json = rows.Select(r => new { name = r.Name, unit = r.Unit, value = r.Value, baseline = r.Baseline, ratio = r.Ratio });
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
}

return 0;
