using System.Diagnostics;
using System.Net;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// A second machine on this one: a Linux network namespace with a network stack of its own, joined to this one by a
/// veth pair — this side <see cref="HostAddress"/>, the namespace <see cref="Address"/> — and nothing else (its
/// loopback is not ours). Processes run in it through <c>ip netns exec</c>. Needs root and iproute2.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static readonly Lazy<string?> Probe = new(ProbeMissing);

    private readonly string _link;

    private NetworkNamespace(string name, string link, IPAddress hostAddress, IPAddress address)
    {
        Name = name;
        _link = link;
        HostAddress = hostAddress;
        Address = address;
    }

    /// <summary>Why namespaces cannot be made here, or null when they can.</summary>
    public static string? Missing => Probe.Value;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>This side's address on the link to the namespace.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>The namespace's address on the link.</summary>
    public IPAddress Address { get; }

    /// <summary>
    /// Makes a namespace with a link to this one, on a /24 of 198.18.0.0/15 — the range set aside for testing networks
    /// (RFC 2544), which no real network of the machine uses — chosen by this process's id.
    /// </summary>
    public static NetworkNamespace Create()
    {
        var id = Environment.ProcessId;
        var name = $"xo-{id}";
        var link = $"xoa{id}";
        var subnet = $"198.18.{id % 256}";
        var created = new NetworkNamespace(name, link, IPAddress.Parse(subnet + ".1"), IPAddress.Parse(subnet + ".2"));
        try
        {
            Ip("netns", "add", name);
            Ip("link", "add", link, "type", "veth", "peer", "name", $"xob{id}");
            Ip("link", "set", $"xob{id}", "netns", name);
            Ip("addr", "add", subnet + ".1/24", "dev", link);
            Ip("link", "set", link, "up");
            Ip("netns", "exec", name, "ip", "addr", "add", subnet + ".2/24", "dev", $"xob{id}");
            Ip("netns", "exec", name, "ip", "link", "set", $"xob{id}", "up");
            Ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>A start of <paramref name="program"/> with <paramref name="arguments"/> inside the namespace.</summary>
    public ProcessStartInfo Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", Name, program }.Concat(arguments)) start.ArgumentList.Add(argument);
        return start;
    }

    public void Dispose()
    {
        TryIp("link", "del", _link);   // takes its peer with it
        TryIp("netns", "del", Name);
    }

    private static string? ProbeMissing()
    {
        if (!OperatingSystem.IsLinux()) return "Network namespaces are Linux's.";
        if (Environment.UserName != "root") return "Making a network namespace needs root.";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) return "iproute2's ip is not installed.";
        var name = $"xo-probe-{Environment.ProcessId}";
        try
        {
            Ip("netns", "add", name);
            return null;
        }
        catch (InvalidOperationException error)
        {
            return "This machine refuses network namespaces: " + error.Message;
        }
        finally
        {
            TryIp("netns", "del", name);
        }
    }

    private static void TryIp(params string[] arguments)
    {
        try
        {
            Ip(arguments);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static void Ip(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var ip = Process.Start(start)!;
        var error = ip.StandardError.ReadToEnd();
        ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        if (ip.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {error.Trim()}");
    }
}
