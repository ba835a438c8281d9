using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Usage: dotnet run -c Release --project bench/micro [-- --filter *Send*]
// In process (the pool is started once per benchmark class), short runs: the allocation columns are exact, the times
// are for comparing the rows of one run.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)).WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Xoscar.Orleans.Bench.Micro.CallPathBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
