using System.Globalization;
using System.Text.Json;
using Xoscar.Orleans;
using Xoscar.Orleans.Bench;
using Xoscar.Orleans.Silo;

// Usage: dotnet run -c Release --project bench -- [--quick] [--json PATH] [--only ROW,ROW...] [--compare PREVIOUS.json]
//        dotnet run -c Release --project bench -- --soak [MINUTES] [--soak-phase sub|embedded] [--json PATH]   (30 minutes; 2 with --quick)
if (args.Contains(LoopbackLimits.EchoSwitch)) return await LoopbackLimits.EchoAsync();
if (args.Contains(ColdProcessStart.PlainSiloSwitch)) return await ColdProcessStart.RunPlainSiloAsync();
var quick = args.Contains("--quick");
var soakIndex = Array.IndexOf(args, "--soak");
var onlyIndex = Array.IndexOf(args, "--only");
var jsonIndex = Array.IndexOf(args, "--json");
var compareIndex = Array.IndexOf(args, "--compare");
var comparePath = compareIndex >= 0 && compareIndex + 1 < args.Length ? args[compareIndex + 1] : null;
if (compareIndex >= 0 && (comparePath is null || !File.Exists(comparePath)))
{
    Console.Error.WriteLine("--compare needs the path of an earlier run's --json file");
    return 2;
}

var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
if (jsonIndex >= 0 && jsonPath is null)
{
    Console.Error.WriteLine("--json needs a file path");
    return 2;
}

if (soakIndex >= 0)
{
    var minutes = soakIndex + 1 < args.Length && double.TryParse(args[soakIndex + 1], CultureInfo.InvariantCulture, out var m) ? m : quick ? 2 : 30;
    var phaseIndex = Array.IndexOf(args, "--soak-phase");   // sub or embedded: one phase alone
    var phase = phaseIndex >= 0 && phaseIndex + 1 < args.Length ? args[phaseIndex + 1] : null;
    if (phase is not (null or "sub" or "embedded"))
    {
        Console.Error.WriteLine($"--soak-phase takes sub or embedded, not '{phase}'");
        return 2;
    }

    var soak = await new SoakBenchmark(TimeSpan.FromMinutes(minutes), phase).RunAsync();
    Console.WriteLine($"{"name",-36} {"unit",-9} {"value",10} {"target",8}");
    foreach (var row in soak)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name,-36} {row.Unit,-9} {row.Value,10:F2} {row.Target,8} {(row.Target.Length == 0 ? "" : row.Met ? "✓" : "✗")}"));
    }

    if (jsonPath is not null)
    {
        var json = soak.Select(r => new { name = r.Name, unit = r.Unit, value = r.Value, target = r.Target, met = r.Met });
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }

    return soak.All(r => r.Met) ? 0 : 1;
}

var settings = (quick ? BenchSettings.Quick : BenchSettings.Full) with
{
    Only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1].Split(',').ToHashSet() : null,
};
await using var main = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions { ClusterId = "bench" });
await using var second = await EmbeddedActorPool.StartAsync(new EmbeddedPoolOptions
{
    ClusterId = "bench", JoinAddress = main.Address, Secret = PoolConnectionFile.Read(main.ConnectionFile!).Secret,
});
Console.WriteLine($"pools: {main.Address} (main, caller), {second.Address}; {Environment.ProcessorCount} cores; {settings.Rounds} rounds of {settings.Window.TotalMilliseconds} ms a side; medians");

var rows = new List<BenchRow>();
Console.WriteLine($"{"name",-30} {"unit",-9} {"value",12} {"baseline",12} {"ratio",7}");
var measure = new Measurement(settings);
var groups = new SendBenchmarks(main, second, measure).RunAsync()
    .Concat(new BatchBenchmarks(main.Context, second.Address, measure).RunAsync())
    .Concat(new PoolBenchmarks(measure, settings).RunAsync())
    .Concat(new ColdProcessStart(settings).RunAsync())
    .Concat(new TlsBenchmarks(measure, settings).RunAsync())
    .Concat(new RecoveryBenchmark(settings).RunAsync())
    .Concat(new RayShapedBenchmarks(measure, settings).RunAsync())
    .Concat(new LoopbackLimits(settings).RunAsync());
await foreach (var row in groups)
{
    if (row is null) continue;
    rows.Add(row);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name,-30} {row.Unit,-9} {Figure(row.Value),12} {Figure(row.Baseline),12} {row.Ratio,7:F2}"));
}

if (jsonPath is not null)
{
    var json = rows.Select(r => new { name = r.Name, unit = r.Unit, value = r.Value, baseline = r.Baseline, ratio = r.Ratio });
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
}

// A regression fails the run (exit code 3), so that a script can stop on it.
return comparePath is not null && BenchComparison.Print(rows, comparePath) > 0 ? 3 : 0;

// Large figures in whole units, small ones (seconds) with two decimals.
static string Figure(double value) => value.ToString(Math.Abs(value) >= 100 || value == 0 ? "F0" : "F2", CultureInfo.InvariantCulture);
