using System.CommandLine;
using Xoscar.Orleans.PoolHost;

// xoscar-pool: one actor pool per process. `dotnet xoscar-pool.dll --help` lists the options.
var command = PoolHostCommand.Create(PoolHostRunner.RunAsync);
// The runner handles SIGINT/SIGTERM itself: a graceful leave of the cluster can take longer than the parser's grace period.
return await command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
