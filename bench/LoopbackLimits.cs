using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// The machine's own limits, measured in the same run, so that every row can say how far it is from what the hardware
/// allows as well as from Orleans: a raw TCP ping-pong of 8 bytes between this process and a child process on
/// 127.0.0.1 (<c>limit_tcp_pingpong</c>, round trips/s; a cross-pool call is at least one), and a 64 MiB memory copy
/// (<c>limit_memcpy_64MiB</c>, GB/s; moving a <see cref="Blob"/> is at least two).
/// </summary>
public sealed class LoopbackLimits(BenchSettings settings)
{
    /// <summary>The command-line switch that makes this program the ping-pong's echoing child.</summary>
    public const string EchoSwitch = "--echo-child";

    public async IAsyncEnumerable<BenchRow?> RunAsync()
    {
        if (settings.Includes("limit_tcp_pingpong")) yield return new BenchRow("limit_tcp_pingpong", "trips/s", await PingPongAsync(), 0);
        if (settings.Includes("limit_memcpy_64MiB")) yield return new BenchRow("limit_memcpy_64MiB", "GB/s", MemoryCopy(), 0);
    }

    /// <summary>The child: echoes every 8 bytes back on the one connection it accepts, until it closes.</summary>
    public static async Task<int> EchoAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Console.Out.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        Console.Out.Flush();
        using var socket = await listener.AcceptSocketAsync();
        socket.NoDelay = true;
        var buffer = new byte[8];
        while (await ReadExactlyAsync(socket, buffer)) await socket.SendAsync(buffer);
        return 0;
    }

    private async Task<double> PingPongAsync()
    {
        // This program again: its apphost, or `dotnet` with its assembly.
        var self = Environment.ProcessPath!;
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(LoopbackLimits).Assembly.Location, EchoSwitch] : [EchoSwitch];
        using var child = Process.Start(new ProcessStartInfo(self, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var port = int.Parse((await child.StandardOutput.ReadLineAsync())!);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var buffer = new byte[8];
            async Task<double> WindowAsync()
            {
                long trips = 0;
                for (var clock = Stopwatch.StartNew(); clock.Elapsed < settings.Window; trips++)
                {
                    await socket.SendAsync(buffer);
                    await ReadExactlyAsync(socket, buffer);
                }

                return trips / settings.Window.TotalSeconds;
            }

            await WindowAsync();   // warm
            var rounds = new List<double>();
            for (var i = 0; i < settings.Rounds; i++) rounds.Add(await WindowAsync());
            return rounds.Order().ElementAt(rounds.Count / 2);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    private double MemoryCopy()
    {
        var source = new byte[64 << 20];
        var destination = new byte[64 << 20];
        Random.Shared.NextBytes(source);
        source.AsSpan().CopyTo(destination);   // every page touched once before timing
        var rounds = new List<double>();
        for (var i = 0; i < Math.Max(3, settings.Rounds); i++)
        {
            var clock = Stopwatch.StartNew();
            source.AsSpan().CopyTo(destination);
            rounds.Add(source.Length / clock.Elapsed.TotalSeconds / 1e9);
        }

        return rounds.Order().ElementAt(rounds.Count / 2);
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0) return false;
            read += n;
        }

        return true;
    }
}
