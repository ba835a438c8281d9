using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace Xoscar.Orleans.Silo;

/// <summary>How a sub pool's process is started: <c>dotnet xoscar-pool.dll</c> with the options that make it join the main pool.</summary>
/// <param name="HostPath">The pool host, <c>xoscar-pool.dll</c>.</param>
/// <param name="MainAddress">The main pool's address, which the sub pool joins.</param>
/// <param name="Host">The IP address sub pools listen on.</param>
/// <param name="Options">The actor pool's options (cluster id, log level, recovery).</param>
/// <param name="Assemblies">The assemblies with actor classes the sub pool loads.</param>
internal sealed record SubPoolCommandLine(string HostPath, string MainAddress, IPAddress Host, ActorPoolOptions Options, IReadOnlyList<Assembly> Assemblies)
{
    private static readonly string[] DiagnosticPortVariables = ["DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts"];

    /// <summary>The main pool's connection file, from which a sub pool reads the cluster's secret: its path may be seen by all, its content by its owner alone.</summary>
    public required string SecretFile { get; init; }

    /// <summary>
    /// The start of sub pool <paramref name="index"/> on <paramref name="port"/> (0: the process claims a free one, and
    /// its gateway's, itself; <see cref="KeepAddress"/> keeps the one it took for a restart).
    /// </summary>
    public ProcessStartInfo Create(int index, int port, string? label, IReadOnlyDictionary<string, string>? env)
    {
        var start = new ProcessStartInfo(DotNetHost());
        string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        start.ArgumentList.Add(HostPath);
        foreach (var argument in new[]
                 {
                     "--address", new IPEndPoint(Host, port).ToString(), "--gateway-port", "0",
                     "--join", MainAddress, "--cluster-id", Options.ClusterId, "--index", Text(index), "--kind", nameof(PoolKind.Sub),
                     "--parent-pid", Text(Environment.ProcessId), "--log-level", Options.LogLevel.ToString(), "--join-on-cue", "--secret-file", SecretFile,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        if (label is not null) start.ArgumentList.Add("--label=" + label);
        if (index - 1 < Options.Cores?.Count && Options.Cores[index - 1] is { } core) start.ArgumentList.Add("--core=" + Text(core));
        if (index - 1 < Options.Gpus?.Count && Options.Gpus[index - 1] is { } gpu) start.ArgumentList.Add("--gpu=" + gpu);
        if (Options.AutoRecover == SubPoolRecovery.Actors) start.ArgumentList.Add("--recoverable");
        if (Options.ProfileSubPools) start.ArgumentList.Add("--dashboard");
        if (Options.OrleansActivities) start.ArgumentList.Add("--orleans-activities");
        var (membershipArguments, membershipEnvironment) = Options.Membership.ForSubPool();
        foreach (var argument in membershipArguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in membershipEnvironment) start.Environment[name] = value;
        if (Options.Tls is { } tls)
        {
            start.ArgumentList.Add("--tls-certificate=" + tls.CertificatePath);
            if (tls.AuthorityPath is { } authority) start.ArgumentList.Add("--tls-authority=" + authority);
            if (tls.CertificatePassword is { } password) start.Environment[PoolTls.PasswordVariable] = password;
        }

        // A diagnostics tool that launched this process (dotnet-trace, dotnet-counters) listens for it alone: a sub pool
        // inheriting its port would wait at start for a resume that never comes. Envs can still set one.
        foreach (var inherited in DiagnosticPortVariables) start.Environment.Remove(inherited);
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
            start.ArgumentList.Add("--env=" + name + "=" + value);
        }

        foreach (var assembly in Assemblies) start.ArgumentList.Add("--assembly=" + assembly.Location);
        return start;
    }

    /// <summary>
    /// The start of a sub pool's restart after its process died, from the start it had: with <see cref="SubPoolRecovery.Actors"/>,
    /// calls to its actors wait until the main pool has re-created them; a <paramref name="standby"/> gets ready while the
    /// sub pool still runs, and takes over its address on its cue.
    /// </summary>
    public static ProcessStartInfo Restart(ProcessStartInfo start, SubPoolRecovery recovery, bool standby)
    {
        var restart = new ProcessStartInfo(start.FileName) { WorkingDirectory = start.WorkingDirectory };
        foreach (var argument in start.ArgumentList) restart.ArgumentList.Add(argument);
        restart.Environment.Clear();
        foreach (var (name, value) in start.Environment) restart.Environment[name] = value;
        if (recovery == SubPoolRecovery.Actors) restart.ArgumentList.Add("--recovering");
        if (standby) restart.ArgumentList.Add("--standby");
        return restart;
    }

    /// <summary>Makes <paramref name="start"/>, which started a sub pool now at <paramref name="address"/>, start it there again.</summary>
    public static void KeepAddress(ProcessStartInfo start, string address)
    {
        var at = start.ArgumentList.IndexOf("--address");
        start.ArgumentList[at + 1] = address;
    }

    private static string DotNetHost()
    {
        // Under `dotnet test`/`dotnet run` the CLI names itself; an application started as `dotnet app.dll` is run by it.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } cli && File.Exists(cli)) return cli;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
