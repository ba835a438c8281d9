using Xoscar.Orleans.Silo;
using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Xoscar.Orleans.PoolHost;

/// <summary>The <c>xoscar-pool</c> command line: its options, their help, and how they become <see cref="PoolHostArguments"/>.</summary>
internal static class PoolHostCommand
{
    /// <summary>The root command, running <paramref name="run"/> with the parsed arguments.</summary>
    public static RootCommand Create(Func<PoolHostArguments, Task<int>> run)
    {
        var address = new Option<string>("--address", "-a") { Description = "The pool address, host:port (port 0: a free port).", DefaultValueFactory = _ => "127.0.0.1:0" };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The port Orleans clients connect to (0: a free port)." };
        var join = new Option<string?>("--join") { Description = "The address of the main pool this pool belongs to (a sub pool) or whose cluster it joins; without --redis, that main pool keeps the cluster's membership. None: start a cluster." };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster id, shared by all pools of the cluster.", DefaultValueFactory = _ => "xoscar" };
        var index = new Option<int>("--index") { Description = "The pool's index: 0 for the main pool, 1..n for sub pools." };
        var label = new Option<string?>("--label") { Description = "The pool's label, for RandomLabel and IdleLabel allocation." };
        var core = new Option<int?>("--core") { Description = "Pin the pool's process to this CPU core (Linux)." };
        var gpu = new Option<string?>("--gpu") { Description = "Make this a GPU pool owning one accelerator for this device: 0, cuda:0, cpu (ILGPU's CPU accelerator) or auto." };
        var kind = new Option<PoolKind>("--kind") { Description = "Main or Sub.", DefaultValueFactory = _ => PoolKind.Main };
        var parentPid = new Option<int?>("--parent-pid") { Description = "Exit when the process with this id ends (the main pool's process)." };
        var env = new Option<string[]>("--env") { Description = "NAME=VALUE: an environment variable of this pool, published in its config (repeatable)." };
        var assembly = new Option<string[]>("--assembly") { Description = "PATH of an assembly with actor classes to load (repeatable)." };
        var subPools = new Option<int>("--sub-pools") { Description = "Start as the main pool of an actor pool with this many sub pool processes." };
        var recoverable = new Option<bool>("--recoverable") { Description = "Report this pool's actors to the main pool, which re-creates them if this process dies and is restarted." };
        var recovering = new Option<bool>("--recovering")
        {
            Description = "Start as the restart of a sub pool whose process died: until the main pool has re-created its actors, calls to actors not back yet wait instead of failing.",
        };
        var standby = new Option<bool>("--standby")
        {
            Description = $"Get ready as the spare of the sub pool at --address, which still runs: wait for the line '{PoolHostProtocol.JoinCue}' on standard input before listening on its ports and joining.",
        };
        var joinOnCue = new Option<bool>("--join-on-cue")
        {
            Description = $"Get ready, then wait for the line '{PoolHostProtocol.JoinCue}' on standard input before joining the cluster (a main pool lets its sub pools join one at a time).",
        };
        var dashboard = new Option<bool>("--dashboard")
        {
            Description = "Add the Orleans Dashboard's silo services (call profiling, silo statistics), so that the dashboard served by the main pool covers this pool too.",
        };
        var orleansActivities = new Option<bool>("--orleans-activities")
        {
            Description = "Propagate Orleans' own activities (AddActivityPropagation), so that traces show Orleans' spans of each call around Xoscar's.",
        };
        var redis = new Option<string?>("--redis")
        {
            Description = $"Keep the cluster's membership in Redis at this connection string (default: the {PoolMembership.RedisConnectionVariable} environment variable, which keeps a password out of the process list); without it, the main pool keeps it.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "connection",
        };
        var tlsCertificate = new Option<string?>("--tls-certificate")
        {
            Description = $"Use TLS with mutual authentication on every connection, with the certificate and key in this PKCS#12 (.pfx) file (its password: the {PoolTls.PasswordVariable} environment variable).",
            HelpName = "pfx-file",
        };
        var tlsAuthority = new Option<string?>("--tls-authority")
        {
            Description = "With --tls-certificate: trust peers whose certificate is issued by this authority (PEM or DER file); without it, only peers presenting the same certificate.",
            HelpName = "ca-file",
        };
        var secretFile = new Option<string?>("--secret-file")
        {
            Description = "Read the cluster's secret, which every connection proves, from this file: a pool's connection file, or a file holding only the secret; " +
                          "it must be readable by its owner alone. Needed with --join and --redis; without it a main pool makes a new secret.",
            HelpName = "file",
        };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "The lowest level logged to the console.", DefaultValueFactory = _ => LogLevel.Warning };

        var command = new RootCommand("Runs one Xoscar.Orleans actor pool (an Orleans silo) until SIGINT or SIGTERM. Prints 'xoscar-pool ready <address> pid=<pid>' once it accepts actors; exits with code 98 if its port is in use.")
        {
            address, gatewayPort, join, clusterId, index, label, core, gpu, kind, parentPid, env, assembly, subPools, recoverable, recovering, standby, joinOnCue, dashboard,
            orleansActivities, redis, tlsCertificate, tlsAuthority, secretFile, logLevel,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(kind) == PoolKind.Sub && result.GetValue(join) is null) result.AddError("--kind Sub needs --join (the main pool's address).");
            if (result.GetValue(kind) == PoolKind.Main && result.GetValue(join) is not null && result.GetResult(redis) is not null)
            {
                result.AddError("--join makes a main pool join the cluster kept by another main pool; with --redis, main pools find each other through Redis: leave --join out.");
            }
            if (result.GetValue(core) is { } c && (c < 0 || c >= Environment.ProcessorCount)) result.AddError($"--core {c} does not exist: this machine has cores 0..{Environment.ProcessorCount - 1}.");
            if (result.GetValue(subPools) < 0) result.AddError("--sub-pools must not be negative.");
            if (result.GetValue(subPools) > 0 && result.GetValue(join) is not null) result.AddError("--sub-pools starts a main pool; it cannot be combined with --join.");
            if (result.GetValue(recovering) && result.GetValue(kind) != PoolKind.Sub) result.AddError("--recovering is for a sub pool (--kind Sub) restarted by its main pool.");
            if (result.GetValue(standby) && (result.GetValue(kind) != PoolKind.Sub || result.GetValue(join) is null)) result.AddError("--standby is for a sub pool (--kind Sub with --join) that takes over an address.");
            if (result.GetValue(joinOnCue) && result.GetValue(join) is null) result.AddError("--join-on-cue needs --join: only a pool that joins a cluster waits for its cue.");
            if (result.GetResult(redis) is not null && RedisConnection(result.GetValue(redis)) is null)
            {
                result.AddError($"--redis needs a connection string, given or in the {PoolMembership.RedisConnectionVariable} environment variable.");
            }
            if (result.GetValue(tlsAuthority) is not null && result.GetValue(tlsCertificate) is null) result.AddError("--tls-authority needs --tls-certificate.");
            if (result.GetValue(secretFile) is { } file)
            {
                try
                {
                    PoolConnectionFile.ReadSecret(file);
                }
                catch (ArgumentException error)
                {
                    result.AddError($"--secret-file: {error.Message}");
                }
            }
            else if (result.GetValue(join) is not null || result.GetResult(redis) is not null)
            {
                result.AddError("--join and --redis need --secret-file: a pool joining a cluster proves that cluster's secret (the main pool's connection file holds it).");
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in result.GetValue(env) ?? [])
            {
                if (pair.IndexOf('=') <= 0) result.AddError($"--env '{pair}' is not NAME=VALUE.");
                else if (!names.Add(pair[..pair.IndexOf('=')])) result.AddError($"--env names '{pair[..pair.IndexOf('=')]}' twice.");
            }
        });
        command.SetAction((result, _) => run(new PoolHostArguments(
            result.GetValue(address)!,
            result.GetValue(gatewayPort),
            result.GetValue(join),
            result.GetValue(clusterId)!,
            result.GetValue(index),
            result.GetValue(label),
            result.GetValue(core),
            result.GetValue(gpu),
            result.GetValue(kind),
            result.GetValue(parentPid),
            (result.GetValue(env) ?? []).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
            result.GetValue(assembly) ?? [],
            result.GetValue(subPools),
            result.GetValue(recoverable),
            result.GetValue(joinOnCue),
            result.GetValue(dashboard),
            result.GetResult(redis) is null ? PoolMembership.MainPool : PoolMembership.Redis(RedisConnection(result.GetValue(redis))!),
            result.GetValue(tlsCertificate) is { } certificate
                ? new PoolTls(certificate, Environment.GetEnvironmentVariable(PoolTls.PasswordVariable)) { AuthorityPath = result.GetValue(tlsAuthority) }
                : null,
            result.GetValue(secretFile) is { } file ? PoolConnectionFile.ReadSecret(file) : null,
            result.GetValue(logLevel),
            result.GetValue(recovering),
            result.GetValue(standby),
            result.GetValue(orleansActivities))));
        return command;
    }

    private static string? RedisConnection(string? given) =>
        given is { Length: > 0 } ? given : Environment.GetEnvironmentVariable(PoolMembership.RedisConnectionVariable) is { Length: > 0 } variable ? variable : null;
}
