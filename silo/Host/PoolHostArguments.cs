using Microsoft.Extensions.Logging;
using Xoscar.Orleans.Silo;

namespace Xoscar.Orleans.PoolHost;

/// <summary>What the command line asks the pool host to run.</summary>
internal sealed record PoolHostArguments(
    string Address,
    int GatewayPort,
    string? Join,
    string ClusterId,
    int Index,
    string? Label,
    int? Core,
    string? Gpu,
    PoolKind Kind,
    int? ParentProcessId,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<string> Assemblies,
    int SubPools,
    bool Recoverable,
    bool JoinOnCue,
    bool Dashboard,
    PoolMembership Membership,
    PoolTls? Tls,
    string? Secret,
    LogLevel LogLevel,
    bool Recovering = false,
    bool Standby = false,
    bool OrleansActivities = false);
