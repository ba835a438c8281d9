namespace Xoscar.Orleans.Tests.Actors;

/// <summary>An actor that tells which process and pool it runs in, and calls counters for its caller (or kills their pool).</summary>
public interface IProcessProbe : IActor
{
    Task<int> ProcessId();
    Task<string> Where();
    Task<string?> Env(string name);
    Task<int> AddTo(ICounter counter, int n);
    Task Wait(int delayMs);
    Task<string> AllowedCores();
    Task Kill(ICounter victim);
}

public sealed class ProcessProbe : StatelessActor, IProcessProbe
{
    public Task<int> ProcessId() => Task.FromResult(Environment.ProcessId);

    public Task<string> Where() => Task.FromResult(Address);

    public Task<string?> Env(string name) => Task.FromResult(Environment.GetEnvironmentVariable(name));

    public Task<int> AddTo(ICounter counter, int n) => counter.Add(n);

    public Task Wait(int delayMs) => Task.Delay(delayMs);

    public Task Kill(ICounter victim) => Context.KillActorAsync(victim);

    /// <summary>The cores the thread running this call may use, as the kernel lists them.</summary>
    public Task<string> AllowedCores() => Task.FromResult(
        File.ReadLines("/proc/thread-self/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim());
}
